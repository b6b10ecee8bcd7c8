package com.loyaltybridge.tagsync.sync;

import org.springframework.batch.core.BatchStatus;

/**
 * What a caller that runs any job reading one export ({@link ExportJobRequest}) needs of
 * its summary: the scan prints one line of it, or the whole of a dry run's, and decides
 * from it whether the run failed or needs a look.
 */
public interface ExportJobSummary {

    long jobExecutionId();

    BatchStatus status();

    /**
     * Completed, but something needs a person's look (users refused, lines skipped, ...).
     */
    boolean needsAttention();

    /** The whole summary, as the job's own command prints it. */
    String format();

    /**
     * The counts that follow the status on a scan's line for this run, e.g.
     * {@code users 5, tagged 5, ...}.
     */
    String scanCounts();

}
