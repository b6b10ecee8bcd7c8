package com.loyaltybridge.tagsync.launch;

import com.loyaltybridge.tagsync.sync.SyncSummary;

/**
 * The result of asking for a sync.
 *
 * @param summary the sync's summary; null when nothing was run and nothing had run before
 * @param message one line saying what happened when no summary tells it (already running,
 * not restartable)
 */
public record SyncOutcome(Kind kind, SyncSummary summary, String message) {

    public enum Kind {

        /** This call ran the sync (new or resumed); see the summary's status. */
        RAN,
        /** The sync had completed before; nothing was done. */
        ALREADY_COMPLETED,
        /** Another process is running this sync right now; nothing was done. */
        ALREADY_RUNNING,
        /**
         * The sync cannot be run again (abandoned by an operator, or refused by Spring
         * Batch).
         */
        REFUSED,
        /**
         * Its audience already follows a newer export, which syncing this one would undo;
         * nothing was done ({@code full} syncs it anyway).
         */
        SUPERSEDED

    }
}
