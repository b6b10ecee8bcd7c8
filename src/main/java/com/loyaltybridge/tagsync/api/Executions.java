package com.loyaltybridge.tagsync.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/** Executions of the sync job and of its dry run by id, as the API shows them; any other id is a 404. */
@Component
@ConditionalOnWebApplication
class Executions {

    private static final int MAX_STOP_ATTEMPTS = 5;

    private final JobRepository jobRepository;
    private final SyncSummaries summaries;

    Executions(JobRepository jobRepository, SyncSummaries summaries) {
        this.jobRepository = jobRepository;
        this.summaries = summaries;
    }

    JobExecution get(long id) {
        JobExecution execution;
        try {
            execution = jobRepository.getJobExecution(id);
        } catch (EmptyResultDataAccessException e) {
            execution = null;
        }
        if (execution == null || !isSync(execution.getJobInstance().getJobName())) {
            throw ApiProblem.notFound("no sync execution " + id);
        }
        return execution;
    }

    /** Whether {@code jobName} is the sync job's or its dry run's. */
    static boolean isSync(String jobName) {
        return SegmentSyncJobConfiguration.JOB_NAME.equals(jobName) || SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME.equals(jobName);
    }

    static boolean isDryRun(JobExecution execution) {
        return SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME.equals(execution.getJobInstance().getJobName());
    }

    ExecutionView view(long id) {
        return view(get(id));
    }

    ExecutionView view(JobExecution execution) {
        return ExecutionView.of(execution, summaries.of(execution));
    }

    /**
     * Asks a running execution to stop, in whichever process runs it: it sees STOPPING at its next chunk commit and
     * ends STOPPED. Only the job execution is marked: Spring Batch 6.0's {@code JobOperator.stop} also rewrites the
     * running steps' rows, and the step then fails (or ends UNKNOWN, which can never be restarted) on an optimistic
     * lock when it next commits.
     *
     * @return false when the execution is not running
     */
    boolean requestStop(long id) {
        for (int attempt = 1; ; attempt++) {
            JobExecution execution = get(id);
            if (!execution.getStatus().isRunning()) {
                return false;
            }
            execution.setStatus(BatchStatus.STOPPING);
            try {
                jobRepository.update(execution);
                return true;
            } catch (OptimisticLockingFailureException e) {
                // The running job wrote its execution in between: read it again.
                if (attempt == MAX_STOP_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
