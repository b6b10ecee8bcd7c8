package com.loyaltybridge.tagsync.retention;

import java.util.Optional;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository.Audience;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository.LedgerCounts;
import com.loyaltybridge.tagsync.ledger.SyncLeftUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.BeforeAudiences;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.Plan;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncSettings;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/**
 * The tag sync's runs as pruning sees them: the members a sync found gone
 * ({@code sync_left_user}) go, with the audience's rows of those still gone; the last
 * completed sync of a segment from before audiences stays until that segment's audience
 * has completed a sync, as its tagged users are where the audience's first members come
 * from after an upgrade.
 */
@Component
class TagSyncPruning implements PrunableJob<SyncRequest> {

    private final SyncSummaries summaries;

    private final SyncLeftUserRepository leftUsers;

    private final SyncAudienceMemberTagRepository memberTags;

    private final SyncPlanRepository plans;

    private final SyncAudienceRepository audiences;

    private final SyncSettings settings;

    private final TransactionTemplate transaction;

    TagSyncPruning(SyncSummaries summaries, SyncLeftUserRepository leftUsers,
            SyncAudienceMemberTagRepository memberTags, SyncPlanRepository plans, SyncAudienceRepository audiences,
            SyncSettings settings, PlatformTransactionManager transactionManager) {
        this.summaries = summaries;
        this.leftUsers = leftUsers;
        this.memberTags = memberTags;
        this.plans = plans;
        this.audiences = audiences;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    @Override
    public String jobName() {
        return SegmentSyncJobConfiguration.JOB_NAME;
    }

    @Override
    public String dryRunJobName() {
        return SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME;
    }

    @Override
    public String kind(boolean dryRun) {
        return dryRun ? "dry run" : "";
    }

    @Override
    public SyncRequest request(JobParameters parameters) {
        return SyncRequest.fromJobParameters(parameters);
    }

    @Override
    public Optional<String> whyCompletedRunKept(long jobInstanceId, SyncRequest request) {
        return seedsItsAudience(jobInstanceId, request)
                ? Optional
                    .of("the last sync of its segment from before audiences: its audience's first sync seeds from it")
                : Optional.empty();
    }

    @Override
    public LedgerCounts ledgerCounts(long jobInstanceId) {
        return summaries.ledgerCounts(jobInstanceId);
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

    /**
     * The members the sync found gone, a batch per transaction, each with its rows in the
     * audience's state (one per tag) if it is still gone: batches of fewer members than
     * the batch size, so that a transaction deletes at most that.
     */
    @Override
    public Deleted pruneLeavers(long jobInstanceId, SyncRequest request) {
        Long audienceId = plans.find(jobInstanceId).map(Plan::audienceId).orElse(null);
        int perBatch = Math.max(1, settings.pruneBatchSize() / (1 + request.tags().size()));
        return BatchedDeletes.run(transaction, "", after -> {
            Optional<String> end = leftUsers.batchEnd(jobInstanceId, after, perBatch);
            if (end.isEmpty()) {
                return BatchedDeletes.Batch.pastTheLast();
            }
            int members = audienceId == null ? 0 : memberTags.deleteLeft(audienceId, jobInstanceId, after, end.get());
            return new BatchedDeletes.Batch<>(end.get(), leftUsers.deleteBatch(jobInstanceId, after, end.get()),
                    members);
        });
    }

}
