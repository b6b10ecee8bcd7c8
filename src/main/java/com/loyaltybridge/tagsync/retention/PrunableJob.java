package com.loyaltybridge.tagsync.retention;

import java.util.Optional;

import org.springframework.batch.core.job.parameters.JobParameters;

import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository.LedgerCounts;
import com.loyaltybridge.tagsync.sync.ExportJobRequest;

/**
 * What pruning needs of one job that reads exports (the tag sync, the offers job): its
 * runs' requests and counts, whether a run that ended still serves a later one, and the
 * per-member rows of its own that a run leaves besides {@code sync_user}.
 * {@link LedgerRetention} does the rest, the same for every job: which runs can never run
 * again, storing their counts, pruning {@code sync_user}. A new job's retention is a new
 * implementation.
 *
 * @param <R> the job's request, the typed boundary to its parameters
 */
interface PrunableJob<R extends ExportJobRequest> {

    String jobName();

    /** The job of its dry runs, in job instances of their own. */
    String dryRunJobName();

    /**
     * How the prune's report names a run of this job before its job instance ("dry run");
     * empty for none.
     */
    String kind(boolean dryRun);

    R request(JobParameters parameters);

    /**
     * Why a run that completed, or was abandoned, keeps its rows all the same; empty when
     * they can go.
     */
    Optional<String> whyCompletedRunKept(long jobInstanceId, R request);

    /**
     * What the run's summary counts: stored before its first row goes, so that its
     * summary shows the same afterwards.
     */
    LedgerCounts ledgerCounts(long jobInstanceId);

    /**
     * Deletes the rows of the members the run found gone, in transactions of at most
     * {@code sync.prune-batch-size} rows, and with them whatever of the audience's state
     * goes too.
     */
    Deleted pruneLeavers(long jobInstanceId, R request);

    /**
     * What one table's pruning deleted: its rows, rows of another table that went with
     * them, in how many transactions.
     */
    record Deleted(long rows, long alongside, int transactions) {
    }

}
