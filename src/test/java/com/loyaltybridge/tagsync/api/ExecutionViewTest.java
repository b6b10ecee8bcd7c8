package com.loyaltybridge.tagsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;

class ExecutionViewTest {

    @Test
    void anExitDescriptionIsOneLinePerFailureAndNeverAStackTrace() {
        JobExecution execution = new JobExecution(1L, new JobInstance(1L, "offerWalletSync"), new JobParameters());
        execution.setExitStatus(new ExitStatus("FAILED",
                "org.springframework.batch.core.step.FatalStepExecutionException: Unable to process chunk\n"
                        + "\tat org.springframework.batch.core.step.item.ChunkOrientedStep.processChunk(...)"));

        assertThat(ExecutionView.exitDescriptionOf(execution, List.of()))
            .isEqualTo("org.springframework.batch.core.step.FatalStepExecutionException: Unable to process chunk");
        assertThat(ExecutionView.exitDescriptionOf(execution, List.of("Braze refused the key (HTTP 401)", "later")))
            .isEqualTo("Braze refused the key (HTTP 401); later");
    }

}
