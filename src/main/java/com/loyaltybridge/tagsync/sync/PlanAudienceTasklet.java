package com.loyaltybridge.tagsync.sync;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import com.loyaltybridge.tagsync.ledger.PlanReason;
import com.loyaltybridge.tagsync.ledger.SendReason;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository.StateSource;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;
import com.loyaltybridge.tagsync.ledger.SyncLeftUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.BeforeAudiences;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.Counts;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.Plan;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;

/**
 * Once the export is staged and each user is in the ledger once, makes the plan: for a
 * plan of the difference, which users need something and why, against the audience's
 * state (one set-based pass, see {@link SyncUserRepository#planDifference}); for every
 * plan of an audience, which members the export no longer holds; and the counts. One
 * transaction: a crash leaves no half plan, and the step runs again.
 * <p>
 * The first sync of an audience synced before audiences existed plans against that sync's
 * tagged users; a real run makes them the audience's first members in the same
 * transaction, a dry run changes nothing of the audience.
 */
class PlanAudienceTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(PlanAudienceTasklet.class);

    private final long jobInstanceId;

    private final SyncRequest request;

    private final boolean dryRun;

    private final SyncPlanRepository plans;

    private final SyncUserRepository ledger;

    private final SyncAudienceRepository audiences;

    private final SyncAudienceMemberTagRepository memberTags;

    private final SyncLeftUserRepository leftUsers;

    PlanAudienceTasklet(long jobInstanceId, SyncRequest request, boolean dryRun, SyncPlanRepository plans,
            SyncUserRepository ledger, SyncAudienceRepository audiences, SyncAudienceMemberTagRepository memberTags,
            SyncLeftUserRepository leftUsers) {
        this.jobInstanceId = jobInstanceId;
        this.request = request;
        this.dryRun = dryRun;
        this.plans = plans;
        this.ledger = ledger;
        this.audiences = audiences;
        this.memberTags = memberTags;
        this.leftUsers = leftUsers;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        Plan plan = plans.find(jobInstanceId).orElseThrow(() -> new IllegalStateException("sync without a plan"));
        StateSource state = state(plan);
        long users = ledger.userCount(jobInstanceId);
        Counts counts;
        if (plan.why() == PlanReason.STATE || plan.why() == PlanReason.SEEDED) {
            Map<SendReason, Long> byReason = ledger.planDifference(jobInstanceId, state, request.tags(),
                    plan.runStart(), plan.refreshDueBefore());
            long entering = byReason.getOrDefault(SendReason.ENTERING, 0L);
            long refresh = byReason.getOrDefault(SendReason.REFRESH, 0L);
            long retry = byReason.getOrDefault(SendReason.RETRY, 0L);
            long leaving = leftUsers.recordLeavers(jobInstanceId, state);
            counts = new Counts(entering, refresh, retry, 0, users - entering - refresh - retry, leaving);
        }
        else {
            long leaving = state == null ? 0 : leftUsers.recordLeavers(jobInstanceId, state);
            SendReason reason = plan.why().stagedReason();
            counts = new Counts(reason == SendReason.ENTERING ? users : 0, 0, 0, reason == SendReason.FULL ? users : 0,
                    0, leaving);
        }
        plans.recordCounts(jobInstanceId, counts);
        contribution.incrementWriteCount(counts.toSend());
        log.info(
                "Plan{}: {} users to send ({} entering, {} refresh due, {} retried{}), {} unchanged, {} left the audience",
                dryRun ? " (dry run)" : "", counts.toSend(), counts.entering(), counts.refresh(), counts.retry(),
                counts.full() > 0 ? ", " + counts.full() + " sent in full" : "", counts.unchanged(), counts.leaving());
        return RepeatStatus.FINISHED;
    }

    /**
     * Where the plan reads the audience's state; null without an audience (nobody can
     * have left it).
     */
    private StateSource state(Plan plan) {
        if (plan.why() == PlanReason.SEEDED) {
            BeforeAudiences before = plans
                .latestCompletedBeforeAudiences(SegmentSyncJobConfiguration.JOB_NAME, request.segmentId(),
                        request.identifierSource().text())
                .orElseThrow();
            StateSource seed = memberTags.seedOf(before);
            if (dryRun || plan.audienceId() == null) {
                return seed;
            }
            int seeded = memberTags.seed(plan.audienceId(), before.jobInstanceId(), seed, before.endedAt());
            audiences.markSeeded(plan.audienceId(), before.jobInstanceId());
            log.info("The audience's first members: the {} (member, tag) pairs sync {} from before audiences tagged",
                    seeded, before.jobInstanceId());
        }
        return plan.audienceId() == null ? null : memberTags.stateOf(plan.audienceId());
    }

}
