package com.loyaltybridge.tagsync.scan;

import java.util.Locale;

import org.springframework.batch.core.BatchStatus;

import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.sync.SyncSummary;

/**
 * What a scan did with one export, said in one line.
 *
 * @param summary the sync's summary when it ran or had run; null otherwise
 * @param detail  what the line says beyond the summary
 */
public record ScanResult(SegmentExport export, Action action, SyncSummary summary, String detail) {

    public enum Action {
        /** The scan ran the sync (first run or automatic restart); the summary says how it ended. */
        RAN,
        /** Another process completed it between the scan's look and its launch. */
        COMPLETED_ELSEWHERE,
        /** Not complete yet: objects younger than the settle time and no completion callback. */
        NOT_COMPLETE,
        /** Another process is running this sync right now. */
        RUNNING_ELSEWHERE,
        /** Failed as many times as {@code scan.max-attempts} allows: left for a person. */
        GAVE_UP,
        /** An operator abandoned it: not run again, and not a failure of this scan. */
        ABANDONED,
        /** Spring Batch refuses to run it again. */
        NOT_RUNNABLE
    }

    /** Failed, or left for a person: the scan did not get this export synced. */
    public boolean failed() {
        return action == Action.GAVE_UP || action == Action.NOT_RUNNABLE
                || action == Action.RAN && summary.status() != BatchStatus.COMPLETED;
    }

    public boolean needsAttention() {
        return action == Action.RAN && summary.status() == BatchStatus.COMPLETED && summary.needsAttention();
    }

    public String line() {
        String head = "scan: " + export.segmentId() + " " + export.folder().uri() + ": ";
        if (action != Action.RAN) {
            return head + detail;
        }
        StringBuilder line = new StringBuilder(head).append(summary.status().name().toLowerCase(Locale.ROOT));
        line.append(" (execution ").append(summary.jobExecutionId()).append(") users ").append(summary.users());
        if (summary.usedApi()) {
            line.append(", tagged ").append(summary.count(LedgerState.TAGGED) + summary.count(LedgerState.ALREADY_TAGGED))
                    .append(", in doubt ").append(summary.inDoubt())
                    .append(", rejected ").append(summary.rejected());
        } else if (summary.bulkFileParts() > 0) {
            line.append(", bulk file rows ").append(summary.bulkFileRows());
        }
        line.append(", skipped lines ").append(summary.skipped());
        if (!summary.failures().isEmpty()) {
            line.append(": ").append(String.join("; ", summary.failures()));
        }
        return line.toString();
    }
}
