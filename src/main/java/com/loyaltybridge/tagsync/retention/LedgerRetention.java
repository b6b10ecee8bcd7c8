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
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository.Audience;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository.LedgerCounts;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository.Unpruned;
import com.loyaltybridge.tagsync.ledger.SyncLeftUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.BeforeAudiences;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.Plan;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository.PrunedBatch;
import com.loyaltybridge.tagsync.retention.PruneReport.KeptSync;
import com.loyaltybridge.tagsync.retention.PruneReport.PrunedSync;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncSettings;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/**
 * Keeps the database from growing with every export: a sync's per-user rows
 * ({@code sync_user}, {@code sync_left_user}) are deleted once it ended more than
 * {@code sync.ledger-retention} ago and can never run again. The audience's state is the
 * lasting record of what SessionM holds; what stays with the execution is its counts
 * (stored first, in {@code sync_ledger_summary}, so its summary still shows them), its
 * plan's counts, its refused and in-doubt users and its skipped lines. The members a sync
 * found gone leave the audience's state with its rows: they have been gone for the whole
 * retention, and one who returns is entering either way.
 * <p>
 * A sync that can never run again: its last execution completed or was abandoned (Spring
 * Batch runs neither again); or the launcher refuses it because its audience follows a
 * newer export since (a failed sync of an older export would undo newer state); or it is
 * a dry run (each has a job instance of its own). A failed, stopped or killed sync that
 * could still resume keeps its rows, whatever its age. So does the last completed sync
 * from before audiences of a segment until that segment's audience has completed a sync:
 * its tagged users are where the audience's first members come from after an upgrade.
 * <p>
 * Everything is deleted in transactions of at most {@code sync.prune-batch-size} rows,
 * and a prune killed at any point is finished by the next one. One prune at a time,
 * across processes (a PostgreSQL lock, as for syncs); syncs running meanwhile are not in
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

    private static final List<String> JOB_NAMES = List.of(SegmentSyncJobConfiguration.JOB_NAME,
            SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME);

    private final SyncLedgerSummaryRepository ledgerSummaries;

    private final SyncUserRepository users;

    private final SyncLeftUserRepository leftUsers;

    private final SyncAudienceMemberTagRepository memberTags;

    private final SyncPlanRepository plans;

    private final SyncAudienceRepository audiences;

    private final SyncSummaries summaries;

    private final SyncLauncher launcher;

    private final ExportRunLocks locks;

    private final JobRepository jobRepository;

    private final SyncSettings settings;

    private final TransactionTemplate transaction;

    public LedgerRetention(SyncLedgerSummaryRepository ledgerSummaries, SyncUserRepository users,
            SyncLeftUserRepository leftUsers, SyncAudienceMemberTagRepository memberTags, SyncPlanRepository plans,
            SyncAudienceRepository audiences, SyncSummaries summaries, SyncLauncher launcher, ExportRunLocks locks,
            JobRepository jobRepository, SyncSettings settings, PlatformTransactionManager transactionManager) {
        this.ledgerSummaries = ledgerSummaries;
        this.users = users;
        this.leftUsers = leftUsers;
        this.memberTags = memberTags;
        this.plans = plans;
        this.audiences = audiences;
        this.summaries = summaries;
        this.launcher = launcher;
        this.locks = locks;
        this.jobRepository = jobRepository;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /**
     * Prunes every sync past the retention that can never run again; says which it
     * pruned, and which it kept and why.
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
            for (Unpruned sync : ledgerSummaries.unprunedEndedBefore(JOB_NAMES, endedBefore)) {
                JobExecution last = jobRepository.getJobExecution(sync.lastExecutionId());
                SyncRequest request = SyncRequest.fromJobParameters(last.getJobParameters());
                Optional<String> why = whyKept(sync, request);
                if (why.isPresent()) {
                    kept.add(new KeptSync(sync.jobInstanceId(), request.export().uri(), why.get()));
                }
                else {
                    pruned.add(prune(sync, request));
                }
            }
            return new PruneReport(false, endedBefore, settings.ledgerRetention(), pruned, kept,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Why the sync keeps its rows although it ended before the retention; empty when it
     * can go.
     */
    private Optional<String> whyKept(Unpruned sync, SyncRequest request) {
        if (SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME.equals(sync.jobName())) {
            return Optional.empty();
        }
        BatchStatus status = BatchStatus.valueOf(sync.status());
        if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
            return seedsItsAudience(sync.jobInstanceId(), request) ? Optional
                .of("the last sync of its segment from before audiences: its audience's first sync seeds from it")
                    : Optional.empty();
        }
        // Refused for good by the launcher, so never resumed; nor is it running: its
        // audience's lock would have kept the
        // newer export from completing meanwhile.
        if (launcher.isSuperseded(request)) {
            return Optional.empty();
        }
        return Optional.of(status.isRunning()
                ? "left " + status + " (running, or killed): it can still be run again, resuming" + " from its rows"
                : "ended " + status + " and can still be run again, resuming from its rows");
    }

    /**
     * Whether the sync is the one an audience's first sync after an upgrade takes its
     * members from, and still will.
     */
    private boolean seedsItsAudience(long jobInstanceId, SyncRequest request) {
        if (request.segmentId() == null || plans.find(jobInstanceId).isPresent()) {
            return false;
        }
        String identifier = request.identifierSource().text();
        boolean latest = plans
            .latestCompletedBeforeAudiences(SegmentSyncJobConfiguration.JOB_NAME, request.segmentId(), identifier)
            .map(BeforeAudiences::jobInstanceId)
            .filter(seed -> seed == jobInstanceId)
            .isPresent();
        return latest && audiences.find(request.segmentId(), identifier).map(Audience::lastJobInstanceId).isEmpty();
    }

    private PrunedSync prune(Unpruned sync, SyncRequest request) {
        long jobInstanceId = sync.jobInstanceId();
        LedgerCounts counts = transaction.execute(status -> {
            LedgerCounts stored = summaries.ledgerCounts(jobInstanceId);
            ledgerSummaries.record(jobInstanceId, stored);
            return stored;
        });
        Deleted users = pruneUsers(jobInstanceId);
        Long audienceId = plans.find(jobInstanceId).map(Plan::audienceId).orElse(null);
        Deleted leavers = pruneLeavers(jobInstanceId, audienceId, request.tags().size());
        transaction.executeWithoutResult(status -> ledgerSummaries.markPruned(jobInstanceId));
        long keptUsers = counts.usersByState()
            .entrySet()
            .stream()
            .filter(entry -> entry.getKey().isKeptAfterPruning())
            .mapToLong(Map.Entry::getValue)
            .sum();
        PrunedSync pruned = new PrunedSync(jobInstanceId,
                SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME.equals(sync.jobName()), request.export().uri(),
                sync.endedAt(), users.rows(), keptUsers, leavers.rows(), leavers.alongside(),
                1 + users.transactions() + leavers.transactions() + 1);
        log.info("Pruned {}", pruned.describe());
        return pruned;
    }

    /**
     * What one table's pruning deleted: its rows, rows of another table that went with
     * them, in how many transactions.
     */
    private record Deleted(long rows, long alongside, int transactions) {
    }

    /**
     * The sync's users, a batch per transaction, but those a person may still have to
     * look at.
     */
    private Deleted pruneUsers(long jobInstanceId) {
        long rows = 0;
        int transactions = 0;
        long afterUserSeq = -1;
        while (true) {
            long after = afterUserSeq;
            PrunedBatch batch = transaction
                .execute(status -> users.pruneBatch(jobInstanceId, after, settings.pruneBatchSize()));
            transactions++;
            if (batch.lastUserSeq() == null) {
                return new Deleted(rows, 0, transactions);
            }
            rows += batch.deleted();
            afterUserSeq = batch.lastUserSeq();
        }
    }

    /**
     * The members the sync found gone, a batch per transaction, each with its rows in the
     * audience's state (one per tag) if it is still gone: batches of fewer members than
     * the batch size, so that a transaction deletes at most that.
     */
    private Deleted pruneLeavers(long jobInstanceId, Long audienceId, int tags) {
        int perBatch = Math.max(1, settings.pruneBatchSize() / (1 + tags));
        long rows = 0;
        long forgotten = 0;
        int transactions = 0;
        String afterIdentifier = "";
        while (true) {
            String after = afterIdentifier;
            LeftBatch batch = transaction.execute(status -> {
                Optional<String> end = leftUsers.batchEnd(jobInstanceId, after, perBatch);
                if (end.isEmpty()) {
                    return null;
                }
                int members = audienceId == null ? 0
                        : memberTags.deleteLeft(audienceId, jobInstanceId, after, end.get());
                return new LeftBatch(end.get(), leftUsers.deleteBatch(jobInstanceId, after, end.get()), members);
            });
            transactions++;
            if (batch == null) {
                return new Deleted(rows, forgotten, transactions);
            }
            rows += batch.left();
            forgotten += batch.forgotten();
            afterIdentifier = batch.lastIdentifier();
        }
    }

    private record LeftBatch(String lastIdentifier, int left, int forgotten) {
    }

}
