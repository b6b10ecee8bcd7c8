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
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.Plan;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncWalletLeaverRepository;
import com.loyaltybridge.tagsync.sync.ExportJobSummaries;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/**
 * Builds the {@link OfferWalletSummary} of an execution of the offers job from the ledger
 * and the job repository.
 */
@Component
public class OfferWalletSummaries implements ExportJobSummaries {

    /** How many identifiers of each group a dry run lists. */
    public static final int FIRST_IDENTIFIERS = 20;

    private final SyncUserRepository ledger;

    private final SyncSkippedLineRepository skippedLines;

    private final SyncWalletLeaverRepository leavers;

    private final SyncPlanRepository plans;

    private final BrazeRestSettings braze;

    private final JobRepository jobRepository;

    public OfferWalletSummaries(SyncUserRepository ledger, SyncSkippedLineRepository skippedLines,
            SyncWalletLeaverRepository leavers, SyncPlanRepository plans, BrazeRestSettings braze,
            JobRepository jobRepository) {
        this.jobRepository = jobRepository;
        this.ledger = ledger;
        this.skippedLines = skippedLines;
        this.leavers = leavers;
        this.plans = plans;
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
        return new OfferWalletSummary(jobInstanceId, execution.getId(), request, dryRun, execution.getStatus(),
                SyncSummaries.failureMessages(execution), audience, plan.map(Plan::why).orElse(null),
                ledger.userCount(jobInstanceId), ledger.countByState(jobInstanceId),
                ledger.rejectionsByCode(jobInstanceId), ledger.refusalsByMessage(jobInstanceId),
                skippedLines.countByReason(jobInstanceId), leavers.countByState(jobInstanceId),
                refresh.map(WalletPaceRecorder::brazeRequests).orElse(0L),
                clearing.map(WalletPaceRecorder::brazeRequests).orElse(0L),
                ledger.writtenAgainCount(jobInstanceId) + leavers.writtenAgainCount(jobInstanceId),
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
                dryRun ? ledger.firstIdentifiersIn(jobInstanceId, LedgerState.CHANGED, FIRST_IDENTIFIERS) : List.of(),
                dryRun ? leavers.firstIdentifiers(jobInstanceId, FIRST_IDENTIFIERS) : List.of());
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
