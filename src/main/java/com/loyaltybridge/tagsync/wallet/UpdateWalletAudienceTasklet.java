package com.loyaltybridge.tagsync.wallet;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;

/**
 * The last step: the audience now follows this run's export, so an older export of it is
 * never run after it.
 */
class UpdateWalletAudienceTasklet implements Tasklet {

    private final long jobInstanceId;

    private final OfferWalletRequest request;

    private final Long audienceId;

    private final SyncAudienceRepository audiences;

    /**
     * @param audienceId the run's audience; null without one
     */
    UpdateWalletAudienceTasklet(long jobInstanceId, OfferWalletRequest request, Long audienceId,
            SyncAudienceRepository audiences) {
        this.jobInstanceId = jobInstanceId;
        this.request = request;
        this.audienceId = audienceId;
        this.audiences = audiences;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (audienceId != null) {
            audiences.markSynced(audienceId, request.export().uri(), request.exportRequestedAt().orElse(null),
                    jobInstanceId, null, null);
        }
        return RepeatStatus.FINISHED;
    }

}
