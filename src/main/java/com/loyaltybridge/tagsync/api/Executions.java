package com.loyaltybridge.tagsync.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import java.util.Comparator;
import java.util.Map;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.sync.ExportJobRequest;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncSummaries;
import com.loyaltybridge.tagsync.wallet.OfferWalletJobConfiguration;
import com.loyaltybridge.tagsync.wallet.OfferWalletRequest;
import com.loyaltybridge.tagsync.wallet.OfferWalletSummaries;

/**
 * Executions of the tag sync and of the offers job (and of their dry runs) by id, as the
 * API and the console show them (any other id is a 404), and what an operator may do with
 * one: restart, stop, abandon.
 */
@Component
@ConditionalOnWebApplication
public class Executions {

    private static final int MAX_STOP_ATTEMPTS = 5;

    private final JobRepository jobRepository;

    private final JobOperator jobOperator;

    private final SyncSummaries summaries;

    private final OfferWalletSummaries walletSummaries;

    Executions(JobRepository jobRepository, JobOperator jobOperator, SyncSummaries summaries,
            OfferWalletSummaries walletSummaries) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.summaries = summaries;
        this.walletSummaries = walletSummaries;
    }

    public JobExecution get(long id) {
        JobExecution execution;
        try {
            execution = jobRepository.getJobExecution(id);
        }
        catch (EmptyResultDataAccessException e) {
            execution = null;
        }
        if (execution == null || !isShown(execution.getJobInstance().getJobName())) {
            throw ApiProblem.notFound("no sync execution " + id);
        }
        return execution;
    }

    /**
     * The jobs whose executions are shown, each with the kind of mapping that runs it:
     * the tag sync's and the offers job's, and their dry runs'.
     */
    static final Map<String, SegmentMapping.Kind> JOBS = Map.of(SegmentSyncJobConfiguration.JOB_NAME,
            SegmentMapping.Kind.TAGS, SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME, SegmentMapping.Kind.TAGS,
            OfferWalletJobConfiguration.JOB_NAME, SegmentMapping.Kind.OFFERS,
            OfferWalletJobConfiguration.DRY_RUN_JOB_NAME, SegmentMapping.Kind.OFFERS);

    /** Whether executions of {@code jobName} are shown. */
    static boolean isShown(String jobName) {
        return JOBS.containsKey(jobName);
    }

    /** Whether {@code execution} is one of a dry run, of either job. */
    public static boolean isDryRun(JobExecution execution) {
        String job = execution.getJobInstance().getJobName();
        return SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME.equals(job)
                || OfferWalletJobConfiguration.DRY_RUN_JOB_NAME.equals(job);
    }

    /** Whether {@code execution} is one of the offers job (or its dry run). */
    public static boolean isOffers(JobExecution execution) {
        return OfferWalletSummaries.isOffersJob(execution);
    }

    /** Execution {@code id} as the API shows it, whichever job ran. */
    public ExecutionDetails details(long id) {
        return details(get(id));
    }

    public ExecutionDetails details(JobExecution execution) {
        return isOffers(execution) ? walletView(execution) : view(execution);
    }

    /** An execution of the offers job, as the API shows it. */
    public WalletExecutionView walletView(JobExecution execution) {
        return WalletExecutionView.of(execution, walletSummaries.of(execution));
    }

    /** Execution {@code id} of a tag sync, as the API shows it; 404 for any other. */
    public ExecutionView view(long id) {
        JobExecution execution = get(id);
        if (isOffers(execution)) {
            throw ApiProblem.notFound("execution " + id + " is a run of offer wallets, not a tag sync");
        }
        return view(execution);
    }

    /** An execution of the tag sync, as the API shows it. */
    public ExecutionView view(JobExecution execution) {
        return ExecutionView.of(execution, summaries.of(execution));
    }

    /**
     * The sync that restarting execution {@code id} runs again, which resumes where it
     * stopped: only a FAILED or STOPPED execution restarts, and only the latest of its
     * sync (an older one was already followed by another).
     */
    public ExportJobRequest restartRequest(long id) {
        JobExecution execution = get(id);
        if (isDryRun(execution)) {
            throw ApiProblem
                .conflict("execution " + id + " is a dry run: it is never restarted; launch another dry run");
        }
        if (execution.getStatus() != BatchStatus.FAILED && execution.getStatus() != BatchStatus.STOPPED) {
            throw ApiProblem
                .conflict("execution " + id + " is " + execution.getStatus() + "; only FAILED or STOPPED ones restart");
        }
        long latest = jobRepository.getJobExecutions(execution.getJobInstance())
            .stream()
            .max(Comparator.comparing(JobExecution::getId))
            .map(JobExecution::getId)
            .orElse(id);
        if (latest != id) {
            throw ApiProblem
                .conflict("execution " + id + " was already followed by execution " + latest + " of the same sync");
        }
        return isOffers(execution) ? OfferWalletRequest.fromJobParameters(execution.getJobParameters())
                : SyncRequest.fromJobParameters(execution.getJobParameters());
    }

    /**
     * Gives a failed or stopped execution up for good: no scan, restart or launch runs
     * its sync again.
     */
    public ExecutionDetails abandon(long id) {
        JobExecution execution = get(id);
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            throw ApiProblem.conflict("execution " + id + " already completed; there is nothing to abandon");
        }
        // Spring Batch would abandon a STOPPING execution, which still runs until its
        // next chunk boundary.
        if (execution.getStatus().isRunning()) {
            throw ApiProblem.conflict("execution " + id + " is " + execution.getStatus()
                    + "; stop it first and abandon it once it is STOPPED");
        }
        try {
            jobOperator.abandon(execution);
        }
        catch (JobExecutionAlreadyRunningException e) {
            throw ApiProblem.conflict("execution " + id + " is running; stop it first");
        }
        return details(id);
    }

    /**
     * Asks a running execution to stop, in whichever process runs it: it sees STOPPING at
     * its next chunk commit and ends STOPPED. Only the job execution is marked: Spring
     * Batch 6.0's {@code JobOperator.stop} also rewrites the running steps' rows, and the
     * step then fails (or ends UNKNOWN, which can never be restarted) on an optimistic
     * lock when it next commits.
     * @return false when the execution is not running
     */
    public boolean requestStop(long id) {
        for (int attempt = 1;; attempt++) {
            JobExecution execution = get(id);
            if (!execution.getStatus().isRunning()) {
                return false;
            }
            execution.setStatus(BatchStatus.STOPPING);
            try {
                jobRepository.update(execution);
                return true;
            }
            catch (OptimisticLockingFailureException e) {
                // The running job wrote its execution in between: read it again.
                if (attempt == MAX_STOP_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

}
