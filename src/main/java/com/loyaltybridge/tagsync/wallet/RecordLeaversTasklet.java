package com.loyaltybridge.tagsync.wallet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberWalletRepository;
import com.loyaltybridge.tagsync.ledger.SyncWalletLeaverRepository;

/**
 * Records the audience's members that this run's export no longer holds: the members with
 * a wallet written whom the export did not stage. They are cleared by the next step
 * ({@code STAGED}); with {@code offers.clear-leavers} off they are only counted
 * ({@code UNCHANGED}) and the audience forgets them, in the same transaction. One
 * statement, run again harmlessly by a resumed run; a dry run records them, to count, and
 * changes nothing of the audience.
 */
class RecordLeaversTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(RecordLeaversTasklet.class);

    private final long jobInstanceId;

    private final Long audienceId;

    private final boolean dryRun;

    private final boolean clearLeavers;

    private final SyncWalletLeaverRepository leavers;

    private final SyncAudienceMemberWalletRepository wallets;

    /**
     * @param audienceId the run's audience; null without one, which has no members to
     * leave
     */
    RecordLeaversTasklet(long jobInstanceId, Long audienceId, boolean dryRun, boolean clearLeavers,
            SyncWalletLeaverRepository leavers, SyncAudienceMemberWalletRepository wallets) {
        this.jobInstanceId = jobInstanceId;
        this.audienceId = audienceId;
        this.dryRun = dryRun;
        this.clearLeavers = clearLeavers;
        this.leavers = leavers;
        this.wallets = wallets;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (audienceId == null) {
            return RepeatStatus.FINISHED;
        }
        LedgerState state = dryRun || clearLeavers ? LedgerState.STAGED : LedgerState.UNCHANGED;
        int recorded = leavers.recordLeavers(jobInstanceId, wallets.membersOf(audienceId), state);
        if (state == LedgerState.UNCHANGED) {
            wallets.forgetLeavers(audienceId, jobInstanceId, LedgerState.UNCHANGED);
        }
        if (recorded > 0) {
            log.info("{} members left the segment since their wallet was written; {}", recorded,
                    state == LedgerState.STAGED
                            ? (dryRun ? "a run would clear their wallet attributes"
                                    : "their wallet attributes are cleared")
                            : "their wallet attributes are left as they are (offers.clear-leavers is off)");
        }
        return RepeatStatus.FINISHED;
    }

}
