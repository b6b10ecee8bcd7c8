package com.loyaltybridge.tagsync.wallet;

import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import com.loyaltybridge.tagsync.ledger.PlanReason;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberWalletRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository.Audience;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;

/**
 * Decides, once per run and before its export is staged, what it compares the wallets
 * with: the wallets last written for its audience, or nothing (no audience,
 * {@code --full}, the audience's first run), when every wallet read is written. Every
 * later execution of the run finds the same plan. A dry run looks the audience up without
 * recording it.
 */
class OpenWalletPlanTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(OpenWalletPlanTasklet.class);

    private final long jobInstanceId;

    private final OfferWalletRequest request;

    private final boolean dryRun;

    private final SyncAudienceRepository audiences;

    private final SyncAudienceMemberWalletRepository wallets;

    private final SyncPlanRepository plans;

    OpenWalletPlanTasklet(long jobInstanceId, OfferWalletRequest request, boolean dryRun,
            SyncAudienceRepository audiences, SyncAudienceMemberWalletRepository wallets, SyncPlanRepository plans) {
        this.jobInstanceId = jobInstanceId;
        this.request = request;
        this.dryRun = dryRun;
        this.audiences = audiences;
        this.wallets = wallets;
        this.plans = plans;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (plans.find(jobInstanceId).isPresent()) {
            return RepeatStatus.FINISHED;
        }
        String name = request.audienceName();
        if (name == null) {
            plans.open(jobInstanceId, null, PlanReason.NO_AUDIENCE, Instant.now(), null);
            log.info(
                    "No audience: the export is outside Braze's layout and none was named (--audience); every wallet read"
                            + " is written");
            return RepeatStatus.FINISHED;
        }
        Optional<Audience> audience = dryRun ? audiences.find(name, request.identifierSource().text())
                : Optional.of(audiences.findOrCreate(name, request.identifierSource().text(), request.segmentId()));
        PlanReason why = request.full() ? PlanReason.FULL
                : audience.isPresent() && wallets.hasState(audience.get().id()) ? PlanReason.STATE
                        : PlanReason.FIRST_SYNC;
        plans.open(jobInstanceId, audience.map(Audience::id).orElse(null), why, Instant.now(), null);
        log.info("Audience {}: {}", name, WalletPlans.describe(why));
        return RepeatStatus.FINISHED;
    }

}
