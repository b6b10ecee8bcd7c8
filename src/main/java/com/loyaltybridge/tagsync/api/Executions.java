package com.loyaltybridge.tagsync.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/** Executions of the sync job by id, as the API shows them; any other id is a 404. */
@Component
@ConditionalOnWebApplication
class Executions {

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
        if (execution == null || !SegmentSyncJobConfiguration.JOB_NAME.equals(execution.getJobInstance().getJobName())) {
            throw ApiProblem.notFound("no sync execution " + id);
        }
        return execution;
    }

    ExecutionView view(long id) {
        return view(get(id));
    }

    ExecutionView view(JobExecution execution) {
        return ExecutionView.of(execution, summaries.of(execution));
    }
}
