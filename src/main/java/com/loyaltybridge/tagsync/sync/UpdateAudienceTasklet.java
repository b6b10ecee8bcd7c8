package com.loyaltybridge.tagsync.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.Plan;

/**
 * The last step of a sync of an audience: every member sent, the audience now follows
 * this export. Its members the export no longer holds are marked as having left (nothing
 * can take a tag away in SessionM; they are no longer sent nor refreshed, and come back
 * as entering), and the export becomes the one later exports are compared with. One
 * transaction; a sync without an audience has nothing to do here.
 */
class UpdateAudienceTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(UpdateAudienceTasklet.class);

    private final long jobInstanceId;

    private final SyncRequest request;

    private final SyncPlanRepository plans;

    private final SyncAudienceRepository audiences;

    private final SyncAudienceMemberTagRepository memberTags;

    UpdateAudienceTasklet(long jobInstanceId, SyncRequest request, SyncPlanRepository plans,
            SyncAudienceRepository audiences, SyncAudienceMemberTagRepository memberTags) {
        this.jobInstanceId = jobInstanceId;
        this.request = request;
        this.plans = plans;
        this.audiences = audiences;
        this.memberTags = memberTags;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        Plan plan = plans.find(jobInstanceId).orElseThrow(() -> new IllegalStateException("sync without a plan"));
        if (plan.audienceId() == null) {
            return RepeatStatus.FINISHED;
        }
        int left = memberTags.markLeft(plan.audienceId(), jobInstanceId);
        audiences.markSynced(plan.audienceId(), request.export().uri(), request.exportRequestedAt().orElse(null),
                jobInstanceId, String.join(",", request.tags()), request.ttlSeconds());
        contribution.incrementWriteCount(left);
        log.info("Audience {} now follows {}; {} (member, tag) pairs of members who left", request.audienceName(),
                request.export(), left);
        return RepeatStatus.FINISHED;
    }

}
