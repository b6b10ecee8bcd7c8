package com.loyaltybridge.tagsync.scan;

import java.util.Locale;

import org.springframework.batch.core.BatchStatus;

import com.loyaltybridge.tagsync.sync.ExportJobSummary;

/**
 * What a scan did with one export for one mapping, said in one line (a dry run's plan:
 * its summary as {@code sync --dry-run} or {@code offers --dry-run} prints it).
 *
 * @param summary the run's summary (a tag sync's or the offers job's) when it ran, the
 * dry run's when it was planned; null otherwise
 * @param detail what the line says beyond the summary
 */
public record ScanResult(SegmentExport export, Action action, ExportJobSummary summary, String detail) {

    public enum Action {

        /**
         * The scan ran the sync (first run or automatic restart); the summary says how it
         * ended.
         */
        RAN,
        /** Another process completed it between the scan's look and its launch. */
        COMPLETED_ELSEWHERE,
        /**
         * Not complete yet: objects younger than the settle time and no completion
         * callback.
         */
        NOT_COMPLETE,
        /** Another process is running this sync right now. */
        RUNNING_ELSEWHERE,
        /**
         * Failed as many times as {@code scan.max-attempts} allows: left for a person.
         */
        GAVE_UP,
        /** An operator abandoned it: not run again, and not a failure of this scan. */
        ABANDONED,
        /** Spring Batch refuses to run it again. */
        NOT_RUNNABLE,
        /**
         * A newer complete export of the segment is there (or its audience already
         * follows one): this one is never sent, and a failed sync of it is not resumed.
         * Not a failure.
         */
        SUPERSEDED,
        /**
         * {@code scan --dry-run}: the plan of the export the scan would sync; the summary
         * is the dry run's.
         */
        PLANNED

    }

    /**
     * Failed, or left for a person: the scan did not get this export synced (or its dry
     * run did not end).
     */
    public boolean failed() {
        return action == Action.GAVE_UP || action == Action.NOT_RUNNABLE
                || hasSummary() && summary.status() != BatchStatus.COMPLETED;
    }

    public boolean needsAttention() {
        return hasSummary() && summary.status() == BatchStatus.COMPLETED && summary.needsAttention();
    }

    private boolean hasSummary() {
        return action == Action.RAN || action == Action.PLANNED;
    }

    /**
     * What the scan prints for this export: its line, and for a dry run the plan as
     * {@code sync --dry-run} prints it.
     */
    public String text() {
        return action == Action.PLANNED ? line() + System.lineSeparator() + summary.format().stripTrailing() : line();
    }

    public String line() {
        String head = "scan: " + export.segmentId() + " " + export.folder().uri() + ": ";
        if (action == Action.PLANNED) {
            return head + "planned (dry run, execution " + summary.jobExecutionId() + ")";
        }
        if (action != Action.RAN) {
            return head + detail;
        }
        return head + summary.status().name().toLowerCase(Locale.ROOT) + " (execution " + summary.jobExecutionId()
                + ") " + summary.scanCounts();
    }
}
