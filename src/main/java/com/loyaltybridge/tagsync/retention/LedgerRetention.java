package com.loyaltybridge.tagsync.retention;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.launch.ExportRunLocks;
import com.loyaltybridge.tagsync.launch.SyncLauncher;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository.LedgerCounts;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository.Unpruned;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository.PrunedBatch;
import com.loyaltybridge.tagsync.retention.PrunableJob.Deleted;
import com.loyaltybridge.tagsync.retention.PruneReport.KeptSync;
import com.loyaltybridge.tagsync.retention.PruneReport.PrunedSync;
import com.loyaltybridge.tagsync.sync.ExportJobRequest;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncSettings;

/**
 * Keeps the database from growing with every export: a run's per-user rows
 * ({@code sync_user}, and the members it found gone: a tag sync's {@code sync_left_user},
 * an offers run's {@code sync_wallet_leaver}) are deleted once it ended more than
 * {@code sync.ledger-retention} ago and can never run again. The audience's state is the
 * lasting record of what SessionM (or Braze) holds; what stays with the execution is its
 * counts (stored first, in {@code sync_ledger_summary}, so its summary still shows them),
 * its plan's counts, its refused and in-doubt users and its skipped lines. The members a
 * tag sync found gone leave the audience's state with its rows: they have been gone for
 * the whole retention, and one who returns is entering either way. What differs from one
 * job to the other is in its {@link PrunableJob}.
 * <p>
 * A run that can never run again: its last execution completed or was abandoned (Spring
 * Batch runs neither again); or the launcher refuses it because its audience follows a
 * newer export since (a failed sync of an older export would undo newer state); or it is
 * a dry run (each has a job instance of its own). A failed, stopped or killed run that
 * could still resume keeps its rows, whatever its age. So does the last completed sync
 * from before audiences of a segment until that segment's audience has completed a sync:
 * its tagged users are where the audience's first members come from after an upgrade.
 * <p>
 * Everything is deleted in transactions of at most {@code sync.prune-batch-size} rows,
 * and a prune killed at any point is finished by the next one. One prune at a time,
 * across processes (a PostgreSQL lock, as for syncs); runs going on meanwhile are not in
 * its way, as it only deletes what none of them reads.
 */
@Service
public class LedgerRetention {

    private static final Logger log = LoggerFactory.getLogger(LedgerRetention.class);

    /**
     * The lock that keeps prunes one at a time; not a sync's, so it never keeps one from
     * running.
     */
    static final String LOCK_NAME = SegmentSyncJobConfiguration.JOB_NAME + "|prune";

    private final List<PrunableJob<?>> jobs;

    private final List<String> jobNames;

    private final SyncLedgerSummaryRepository ledgerSummaries;

    private final SyncUserRepository users;

    private final SyncLauncher launcher;

    private final ExportRunLocks locks;

    private final JobRepository jobRepository;

    private final SyncSettings settings;

    private final TransactionTemplate transaction;

    LedgerRetention(List<PrunableJob<?>> jobs, SyncLedgerSummaryRepository ledgerSummaries, SyncUserRepository users,
            SyncLauncher launcher, ExportRunLocks locks, JobRepository jobRepository, SyncSettings settings,
            PlatformTransactionManager transactionManager) {
        this.jobs = List.copyOf(jobs);
        this.jobNames = jobs.stream().flatMap(job -> List.of(job.jobName(), job.dryRunJobName()).stream()).toList();
        this.ledgerSummaries = ledgerSummaries;
        this.users = users;
        this.launcher = launcher;
        this.locks = locks;
        this.jobRepository = jobRepository;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /**
     * Prunes every run past the retention that can never run again; says which it pruned,
     * and which it kept and why.
     */
    public PruneReport prune() {
        long start = System.nanoTime();
        LocalDateTime endedBefore = LocalDateTime.now().minus(settings.ledgerRetention());
        Optional<ExportRunLocks.RunLock> lock = locks.tryAcquire(LOCK_NAME);
        if (lock.isEmpty()) {
            return PruneReport.elsewhere(endedBefore, settings.ledgerRetention());
        }
        try (ExportRunLocks.RunLock held = lock.get()) {
            List<PrunedSync> pruned = new ArrayList<>();
            List<KeptSync> kept = new ArrayList<>();
            for (Unpruned run : ledgerSummaries.unprunedEndedBefore(jobNames, endedBefore)) {
                consider(jobOf(run), run, pruned, kept);
            }
            return new PruneReport(false, endedBefore, settings.ledgerRetention(), pruned, kept,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private PrunableJob<?> jobOf(Unpruned run) {
        return jobs.stream()
            .filter(job -> job.jobName().equals(run.jobName()) || job.dryRunJobName().equals(run.jobName()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no retention for job " + run.jobName()));
    }

    /** Prunes {@code run}, or keeps it and says why. */
    private <R extends ExportJobRequest> void consider(PrunableJob<R> job, Unpruned run, List<PrunedSync> pruned,
            List<KeptSync> kept) {
        JobExecution last = jobRepository.getJobExecution(run.lastExecutionId());
        R request = job.request(last.getJobParameters());
        boolean dryRun = job.dryRunJobName().equals(run.jobName());
        Optional<String> why = dryRun ? Optional.empty() : whyKept(job, run, request);
        if (why.isPresent()) {
            kept.add(new KeptSync(run.jobInstanceId(), job.kind(false), request.export().uri(), why.get()));
        }
        else {
            pruned.add(prune(job, run, request, job.kind(dryRun)));
        }
    }

    /**
     * Why a run (not a dry run) keeps its rows although it ended before the retention;
     * empty when it can go.
     */
    private <R extends ExportJobRequest> Optional<String> whyKept(PrunableJob<R> job, Unpruned run, R request) {
        BatchStatus status = BatchStatus.valueOf(run.status());
        if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
            return job.whyCompletedRunKept(run.jobInstanceId(), request);
        }
        // Refused for good by the launcher, so never resumed; nor is it running: its
        // audience's lock would have kept the newer export from completing meanwhile.
        if (launcher.isSuperseded(request)) {
            return Optional.empty();
        }
        return Optional.of(status.isRunning()
                ? "left " + status + " (running, or killed): it can still be run again, resuming" + " from its rows"
                : "ended " + status + " and can still be run again, resuming from its rows");
    }

    private <R extends ExportJobRequest> PrunedSync prune(PrunableJob<R> job, Unpruned run, R request, String kind) {
        long jobInstanceId = run.jobInstanceId();
        LedgerCounts counts = transaction.execute(status -> {
            LedgerCounts stored = job.ledgerCounts(jobInstanceId);
            ledgerSummaries.record(jobInstanceId, stored);
            return stored;
        });
        Deleted users = pruneUsers(jobInstanceId);
        Deleted leavers = job.pruneLeavers(jobInstanceId, request);
        transaction.executeWithoutResult(status -> ledgerSummaries.markPruned(jobInstanceId));
        long keptUsers = counts.usersByState()
            .entrySet()
            .stream()
            .filter(entry -> entry.getKey().isKeptAfterPruning())
            .mapToLong(Map.Entry::getValue)
            .sum();
        PrunedSync pruned = new PrunedSync(jobInstanceId, kind, request.export().uri(), run.endedAt(), users.rows(),
                keptUsers, leavers.rows(), leavers.alongside(), 1 + users.transactions() + leavers.transactions() + 1);
        log.info("Pruned {}", pruned.describe());
        return pruned;
    }

    /**
     * The run's users, a batch per transaction, but those a person may still have to look
     * at.
     */
    private Deleted pruneUsers(long jobInstanceId) {
        return BatchedDeletes.run(transaction, -1L, after -> {
            PrunedBatch batch = users.pruneBatch(jobInstanceId, after, settings.pruneBatchSize());
            return new BatchedDeletes.Batch<>(batch.lastUserSeq(), batch.deleted(), 0);
        });
    }

}
