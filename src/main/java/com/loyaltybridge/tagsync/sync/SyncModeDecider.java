package com.loyaltybridge.tagsync.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.step.StepExecution;

import com.loyaltybridge.tagsync.ledger.SyncUserRepository;

/**
 * Chooses between the API and the bulk file once the plan is made: {@code auto} counts
 * the users the plan sends (the difference, for an audience that has synced before), so
 * the choice is the same on every restart.
 */
class SyncModeDecider implements JobExecutionDecider {

    static final String RESOLVED_MODE = "resolvedMode";

    private static final Logger log = LoggerFactory.getLogger(SyncModeDecider.class);

    private final SyncUserRepository ledger;

    private final long autoApiMaxUsers;

    SyncModeDecider(SyncUserRepository ledger, long autoApiMaxUsers) {
        this.ledger = ledger;
        this.autoApiMaxUsers = autoApiMaxUsers;
    }

    @Override
    public FlowExecutionStatus decide(JobExecution jobExecution, StepExecution stepExecution) {
        SyncRequest request = SyncRequest.fromJobParameters(jobExecution.getJobParameters());
        SyncMode mode = request.mode();
        if (mode == SyncMode.AUTO) {
            long users = ledger.toSendCount(jobExecution.getJobInstance().getInstanceId());
            mode = users <= autoApiMaxUsers ? SyncMode.API : SyncMode.CSV;
            log.info("auto mode: {} users to send, {} than sync.auto-api-max-users={}: using {}", users,
                    users <= autoApiMaxUsers ? "no more" : "more", autoApiMaxUsers, mode.text());
        }
        jobExecution.getExecutionContext().putString(RESOLVED_MODE, mode.text());
        return new FlowExecutionStatus(mode.name());
    }

}
