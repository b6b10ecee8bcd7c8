package com.loyaltybridge.tagsync.wallet;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.brazeapi.BrazeRestSettings;
import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.PlanReason;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository.LedgerCounts;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.Plan;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncWalletLeaverRepository;
import com.loyaltybridge.tagsync.sync.ExportJobSummaries;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/**
 * Builds the {@link OfferWalletSummary} of an execution of the offers job from the ledger
 * and the job repository; for a run whose members' rows were pruned (see
 * {@code sync.ledger-retention}), from the counts stored before they went.
 */
@Component
public class OfferWalletSummaries implements ExportJobSummaries {

    /** How many identifiers of each group a dry run lists. */
    public static final int FIRST_IDENTIFIERS = 20;

    private final SyncUserRepository ledger;

    private final SyncSkippedLineRepository skippedLines;

    private final SyncWalletLeaverRepository leavers;

    private final SyncPlanRepository plans;

    private final SyncLedgerSummaryRepository ledgerSummaries;

    private final BrazeRestSettings braze;

    private final JobRepository jobRepository;

    public OfferWalletSummaries(SyncUserRepository ledger, SyncSkippedLineRepository skippedLines,
            SyncWalletLeaverRepository leavers, SyncPlanRepository plans, SyncLedgerSummaryRepository ledgerSummaries,
            BrazeRestSettings braze, JobRepository jobRepository) {
        this.jobRepository = jobRepository;
        this.ledger = ledger;
        this.skippedLines = skippedLines;
        this.leavers = leavers;
        this.plans = plans;
        this.ledgerSummaries = ledgerSummaries;
        this.braze = braze;
    }

    /** Whether {@code execution} is one of the offers job (or its dry run). */
    public static boolean isOffersJob(JobExecution execution) {
        String job = execution.getJobInstance().getJobName();
        return OfferWalletJobConfiguration.JOB_NAME.equals(job)
                || OfferWalletJobConfiguration.DRY_RUN_JOB_NAME.equals(job);
    }

    @Override
    public boolean summarises(JobExecution execution) {
        return isOffersJob(execution);
    }

    @Override
    public OfferWalletSummary of(JobExecution execution) {
        long jobInstanceId = execution.getJobInstance().getInstanceId();
        OfferWalletRequest request = OfferWalletRequest.fromJobParameters(execution.getJobParameters());
        boolean dryRun = OfferWalletJobConfiguration.DRY_RUN_JOB_NAME.equals(execution.getJobInstance().getJobName());
        Optional<Plan> plan = plans.find(jobInstanceId);
        String audience = plan.filter(found -> found.why() != PlanReason.NO_AUDIENCE).isPresent()
                ? request.audienceName() : null;
        Optional<StepExecution> refresh = lastOf(execution, WalletStep.REFRESH_WALLETS);
        Optional<StepExecution> clearing = lastOf(execution, WalletStep.CLEAR_LEAVERS);
        Optional<LedgerCounts> stored = ledgerSummaries.find(jobInstanceId);
        LedgerCounts counts = stored.orElseGet(() -> countLedger(jobInstanceId));
        // A pruned dry run's first identifiers went with its rows; its counts remain.
        boolean listsFirsts = dryRun && stored.isEmpty();
        return new OfferWalletSummary(jobInstanceId, execution.getId(), request, dryRun, execution.getStatus(),
                SyncSummaries.failureMessages(execution), audience, plan.map(Plan::why).orElse(null), counts.users(),
                counts.usersByState(), ledger.rejectionsByCode(jobInstanceId), ledger.refusalsByMessage(jobInstanceId),
                skippedLines.countByReason(jobInstanceId), counts.leaversByState(),
                refresh.map(WalletPaceRecorder::brazeRequests).orElse(0L),
                clearing.map(WalletPaceRecorder::brazeRequests).orElse(0L), counts.writtenAgain(),
                braze.attributesPerRequest(), execution.getStartTime(), execution.getEndTime(),
                execution.getStepExecutions()
                    .stream()
                    .filter(WalletStep.REFRESH_WALLETS::is)
                    .mapToLong(StepExecution::getWriteCount)
                    .sum(),
                execution.getStepExecutions()
                    .stream()
                    .filter(WalletStep.REFRESH_WALLETS::is)
                    .map(WalletPaceRecorder::read)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(null),
                execution.getStepExecutions()
                    .stream()
                    .filter(WalletStep.CLEAR_LEAVERS::is)
                    .map(WalletPaceRecorder::read)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(null),
                listsFirsts ? ledger.firstIdentifiersIn(jobInstanceId, LedgerState.CHANGED, FIRST_IDENTIFIERS)
                        : List.of(),
                listsFirsts ? leavers.firstIdentifiers(jobInstanceId, FIRST_IDENTIFIERS) : List.of());
    }

    /**
     * What the summary of a run counts of its members and leavers: the counts stored when
     * its rows were pruned, or else counted from its rows now. Pruning stores these very
     * counts before the first row goes.
     */
    public LedgerCounts ledgerCounts(long jobInstanceId) {
        return ledgerSummaries.find(jobInstanceId).orElseGet(() -> countLedger(jobInstanceId));
    }

    private LedgerCounts countLedger(long jobInstanceId) {
        return new LedgerCounts(ledger.userCount(jobInstanceId), ledger.countByState(jobInstanceId),
                leavers.countByState(jobInstanceId),
                ledger.writtenAgainCount(jobInstanceId) + leavers.writtenAgainCount(jobInstanceId));
    }

    /**
     * The latest execution of {@code step} in the run, this execution's or an earlier
     * one's: what its context holds is the run's so far. Spring Batch copies a step's
     * context into its next execution, so the latest has it all.
     */
    private Optional<StepExecution> lastOf(JobExecution execution, WalletStep step) {
        return Optional.ofNullable(jobRepository.getLastStepExecution(execution.getJobInstance(), step.stepName()));
    }

}
