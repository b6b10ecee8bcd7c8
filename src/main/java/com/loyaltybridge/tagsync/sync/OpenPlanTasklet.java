package com.loyaltybridge.tagsync.sync;

import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import com.loyaltybridge.tagsync.ledger.PlanReason;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository.Audience;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;

/**
 * Decides, once per sync and before its export is staged, whom it sends: every user (no
 * audience, {@code --full}, the audience's first sync) or only those the audience's state
 * says need something. Staging then gives every user the plan's reason, or none for step
 * {@code planAudience} to decide; every later run of the sync finds the same plan.
 * <p>
 * A dry run looks the audience up without recording it: it changes nothing of the
 * audiences.
 */
class OpenPlanTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(OpenPlanTasklet.class);

    private final long jobInstanceId;

    private final SyncRequest request;

    private final boolean dryRun;

    private final SyncAudienceRepository audiences;

    private final SyncAudienceMemberTagRepository memberTags;

    private final SyncPlanRepository plans;

    private final SyncUserRepository ledger;

    private final SyncSettings settings;

    OpenPlanTasklet(long jobInstanceId, SyncRequest request, boolean dryRun, SyncAudienceRepository audiences,
            SyncAudienceMemberTagRepository memberTags, SyncPlanRepository plans, SyncUserRepository ledger,
            SyncSettings settings) {
        this.jobInstanceId = jobInstanceId;
        this.request = request;
        this.dryRun = dryRun;
        this.audiences = audiences;
        this.memberTags = memberTags;
        this.plans = plans;
        this.ledger = ledger;
        this.settings = settings;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (plans.find(jobInstanceId).isPresent()) {
            return RepeatStatus.FINISHED;
        }
        Instant runStart = Instant.now();
        Long refreshBefore = settings.refreshBeforeSeconds(request.ttlSeconds());
        if (ledger.userCount(jobInstanceId) > 0) {
            // Staged by a run from before plans: it was to send every user, and still is.
            int users = ledger.sendEveryone(jobInstanceId, PlanReason.BEFORE_AUDIENCES.stagedReason());
            plans.open(jobInstanceId, null, PlanReason.BEFORE_AUDIENCES, runStart, refreshBefore);
            log.info("This sync started before audiences: its {} users staged then are all sent", users);
            return RepeatStatus.FINISHED;
        }
        String name = request.audienceName();
        if (name == null) {
            plans.open(jobInstanceId, null, PlanReason.NO_AUDIENCE, runStart, refreshBefore);
            log.info(
                    "No audience: the export is outside Braze's layout and none was named (--audience); every user is sent");
            return RepeatStatus.FINISHED;
        }
        Optional<Audience> audience = dryRun ? audiences.find(name, request.identifierSource().text())
                : Optional.of(audiences.findOrCreate(name, request.identifierSource().text(), request.segmentId()));
        PlanReason why = reason(audience);
        plans.open(jobInstanceId, audience.map(Audience::id).orElse(null), why, runStart, refreshBefore);
        log.info("Audience {}: {}", name, why.description());
        return RepeatStatus.FINISHED;
    }

    private PlanReason reason(Optional<Audience> audience) {
        if (request.full()) {
            return PlanReason.FULL;
        }
        if (audience.isPresent() && memberTags.hasState(audience.get().id())) {
            return PlanReason.STATE;
        }
        boolean before = request.audience() == null && request.segmentId() != null
                && audience.map(Audience::seededFromJobInstanceId).isEmpty()
                && plans
                    .latestCompletedBeforeAudiences(SegmentSyncJobConfiguration.JOB_NAME, request.segmentId(),
                            request.identifierSource().text())
                    .isPresent();
        return before ? PlanReason.SEEDED : PlanReason.FIRST_SYNC;
    }

}
