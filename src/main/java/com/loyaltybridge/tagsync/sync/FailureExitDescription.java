package com.loyaltybridge.tagsync.sync;

import java.util.List;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Stores why a sync failed as one line per failure in its job execution's exit
 * description (column {@code exit_message}), where the REST API and an operator's query
 * find it later. Spring Batch would store a stack trace cut at 2,500 characters, which
 * usually loses the cause that says what went wrong.
 */
@Component
class FailureExitDescription implements JobExecutionListener {

    @Override
    public void afterJob(JobExecution execution) {
        List<String> failures = SyncSummaries.failureMessages(execution);
        if (!failures.isEmpty()) {
            execution
                .setExitStatus(new ExitStatus(execution.getExitStatus().getExitCode(), String.join("; ", failures)));
        }
    }

}
