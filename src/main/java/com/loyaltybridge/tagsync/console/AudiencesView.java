package com.loyaltybridge.tagsync.console;

import java.util.List;

/**
 * What the Audiences page shows: each audience the ledger holds and each mapped segment
 * without one yet, with its members, its last synced export, its last run, its next TTL
 * refresh wave, and (for a mapped segment) every export found under the export roots with
 * where it stands for a scan.
 *
 * @param audiences by name
 */
record AudiencesView(List<Audience> audiences, String exportRoots) {

    /**
     * One audience, or one mapped segment that has none yet.
     *
     * @param audienceId its number in the REST API ({@code /api/audiences/{id}}); null
     * before its first sync completed
     * @param mapped whether a segment mapping makes the scan sync its exports
     * @param settings the tag settings of its syncs (the mapping's, else its last
     * sync's), in words
     * @param members members now, in words
     * @param lastSynced the export it follows (date and name), or null
     * @param lastExecutionId the execution that completed that export's sync, or null
     * @param lastRun the newest execution of a sync (or dry run) of its segment, or null
     * @param nextRefresh when the next wave of TTL refreshes is due, in words ("none:
     * counter tags", …)
     * @param refreshDue members a sync starting now would refresh, in words
     * @param exports the exports of a mapped segment, newest first; empty otherwise
     * @param problem why its exports could not be listed, or null
     */
    record Audience(String name, String segmentId, String identifier, Long audienceId, boolean mapped,
            List<Setting> settings, String members, String lastSynced, Long lastExecutionId, String lastSyncedAt,
            LastRun lastRun, String nextRefresh, String refreshDue, List<Export> exports, String problem) {
    }

    record Setting(String name, String value) {
    }

    /** The newest execution of its segment's syncs. */
    record LastRun(long executionId, StatusLook status, String kind, String at) {
    }

    /**
     * One export folder of a mapped segment.
     *
     * @param standing where it stands for a scan, in words (synced, next to sync,
     * superseded, not complete)
     * @param detail why, for a superseded or incomplete export; null otherwise
     * @param sync its latest execution's status with the mapping's settings, or "not
     * synced"
     * @param executionId that latest execution, or null
     */
    record Export(String name, String date, String requestedAt, String location, StatusLook standing, String detail,
            StatusLook sync, Long executionId) {
    }
}
