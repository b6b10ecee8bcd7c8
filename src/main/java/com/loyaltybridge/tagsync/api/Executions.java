package com.loyaltybridge.tagsync.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import java.util.Comparator;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/**
 * Executions of the sync job and of its dry run by id, as the API and the console show
 * them (any other id is a 404), and what an operator may do with one: restart, stop,
 * abandon.
 */
@Component
@ConditionalOnWebApplication
public class Executions {

    private static final int MAX_STOP_ATTEMPTS = 5;

    private final JobRepository jobRepository;

    private final JobOperator jobOperator;

    private final SyncSummaries summaries;

    Executions(JobRepository jobRepository, JobOperator jobOperator, SyncSummaries summaries) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.summaries = summaries;
    }

    public JobExecution get(long id) {
        JobExecution execution;
        try {
            execution = jobRepository.getJobExecution(id);
        }
        catch (EmptyResultDataAccessException e) {
            execution = null;
        }
        if (execution == null || !isSync(execution.getJobInstance().getJobName())) {
            throw ApiProblem.notFound("no sync execution " + id);
        }
        return execution;
    }

    /** Whether {@code jobName} is the sync job's or its dry run's. */
    static boolean isSync(String jobName) {
        return SegmentSyncJobConfiguration.JOB_NAME.equals(jobName)
                || SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME.equals(jobName);
    }

    public static boolean isDryRun(JobExecution execution) {
        return SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME.equals(execution.getJobInstance().getJobName());
    }

    public ExecutionView view(long id) {
        return view(get(id));
    }

    public ExecutionView view(JobExecution execution) {
        return ExecutionView.of(execution, summaries.of(execution));
    }

    /**
     * The sync that restarting execution {@code id} runs again, which resumes where it
     * stopped: only a FAILED or STOPPED execution restarts, and only the latest of its
     * sync (an older one was already followed by another).
     */
    public SyncRequest restartRequest(long id) {
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
        return SyncRequest.fromJobParameters(execution.getJobParameters());
    }

    /**
     * Gives a failed or stopped execution up for good: no scan, restart or launch runs
     * its sync again.
     */
    public ExecutionView abandon(long id) {
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
        return view(id);
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
