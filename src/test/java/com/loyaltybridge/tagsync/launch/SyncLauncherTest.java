package com.loyaltybridge.tagsync.launch;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.users;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncJobSliceSupport;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncMode;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncStep;

/**
 * What the launcher does with a sync, depending on what the job repository says about it:
 * run it, resume it after an execution that a dead process left running or that ended
 * UNKNOWN, report it completed, or leave it alone while another process holds it. Small
 * csv syncs of local exports, against the test PostgreSQL.
 */
class SyncLauncherTest extends SyncJobSliceSupport {

    @TempDir
    static Path folders;

    @Autowired
    SyncLauncher launcher;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    ExportRunLocks locks;

    @Test
    void aSyncRunsToItsEndAndRunningItAgainOnlySaysWhenItCompleted() {
        SyncRequest request = request("twice");

        SyncOutcome first = launcher.run(request);
        SyncOutcome second = launcher.run(request);

        assertThat(first.kind()).isEqualTo(SyncOutcome.Kind.RAN);
        assertThat(first.summary().status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(first.summary().bulkFileRows()).isEqualTo(5);
        assertThat(second.kind()).isEqualTo(SyncOutcome.Kind.ALREADY_COMPLETED);
        assertThat(second.message()).startsWith("this sync already completed at ").contains("nothing was done");
        assertThat(second.summary().jobExecutionId()).isEqualTo(first.summary().jobExecutionId());
    }

    @Test
    void aSyncThatAnotherRunHoldsIsLeftAlone() {
        SyncRequest request = request("held");
        Optional<ExportRunLocks.RunLock> elsewhere = locks.tryAcquire(SyncLauncher.lockName(request.toJobParameters()));
        assertThat(elsewhere).isPresent();
        try (ExportRunLocks.RunLock held = elsewhere.get()) {
            SyncOutcome outcome = launcher.run(request);

            assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.ALREADY_RUNNING);
            assertThat(outcome.message())
                .as("the sync's own lock, as versions before audiences take it, is honoured too")
                .contains("another process is running");
            assertThat(jobRepository.getJobInstance(SegmentSyncJobConfiguration.JOB_NAME, request.toJobParameters()))
                .as("no execution was started")
                .isNull();
        }
    }

    @Test
    void anExecutionLeftRunningByAProcessThatIsGoneIsMarkedFailedAndTheSyncResumed() {
        SyncRequest request = request("left-running");
        long dead = earlierExecution(request, BatchStatus.STARTED, BatchStatus.STARTED);

        SyncOutcome outcome = launcher.run(request);

        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.RAN);
        assertThat(outcome.summary().status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(outcome.summary().bulkFileRows()).isEqualTo(5);
        assertThat(jobRepository.getJobExecution(dead).getStatus()).isEqualTo(BatchStatus.FAILED);
    }

    @Test
    void anExecutionThatEndedUnknownIsMarkedFailedAndTheSyncResumed() {
        SyncRequest request = request("unknown");
        long unknown = earlierExecution(request, BatchStatus.UNKNOWN, BatchStatus.UNKNOWN);

        SyncOutcome outcome = launcher.run(request);

        assertThat(outcome.kind()).isEqualTo(SyncOutcome.Kind.RAN);
        assertThat(outcome.summary().status()).isEqualTo(BatchStatus.COMPLETED);
        JobExecution marked = jobRepository.getJobExecution(unknown);
        assertThat(marked.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(marked.getStepExecutions()).extracting(StepExecution::getStatus).containsOnly(BatchStatus.FAILED);
    }

    @Test
    void anAbandonedSyncIsNotRunAgain() {
        SyncRequest request = request("abandoned");
        earlierExecution(request, BatchStatus.ABANDONED, BatchStatus.FAILED);

        SyncOutcome outcome = launcher.run(request);

        assertThat(outcome.kind()).isNotEqualTo(SyncOutcome.Kind.RAN);
        JobInstance instance = jobRepository.getJobInstance(SegmentSyncJobConfiguration.JOB_NAME,
                request.toJobParameters());
        assertThat(jobRepository.getJobExecutions(instance)).extracting(JobExecution::getStatus)
            .containsExactly(BatchStatus.ABANDONED);
    }

    @Test
    void theCallerLearnsItsExecutionBeforeTheSyncEnds() {
        List<String> seen = new ArrayList<>();

        SyncOutcome outcome = launcher.run(request("on-start"),
                execution -> seen.add(execution.getId() + " " + execution.getStatus()));

        assertThat(seen).containsExactly(outcome.summary().jobExecutionId() + " " + BatchStatus.STARTED);
    }

    /** A csv sync of a new export of five users, with a bulk file folder of its own. */
    private static SyncRequest request(String segment) {
        StorageLocation export = ExportFolder.of(segment)
            .writeTo(folders.resolve("exports"), Map.of("a.gz", gzip(lines(users(1, 5)))));
        return new SyncRequest(export, List.of("vip"), null, SyncMode.CSV, IdentifierSource.EXTERNAL_ID,
                StorageLocation.directory(folders.resolve("bulk").resolve(segment)));
    }

    /**
     * The id of an execution of {@code request} as a process left it, its staging step in
     * {@code stepStatus}. (No method here returns a JobExecution: Spring Batch's test
     * listener would call it.)
     */
    private long earlierExecution(SyncRequest request, BatchStatus status, BatchStatus stepStatus) {
        JobInstance instance = jobRepository.createJobInstance(SegmentSyncJobConfiguration.JOB_NAME,
                request.toJobParameters());
        JobExecution execution = jobRepository.createJobExecution(instance, request.toJobParameters(),
                new ExecutionContext());
        execution.setStartTime(LocalDateTime.now().minusMinutes(5));
        execution.setStatus(status);
        jobRepository.update(execution);
        StepExecution step = jobRepository.createStepExecution(SyncStep.STAGE_USERS.stepName(), execution);
        step.setStartTime(LocalDateTime.now().minusMinutes(5));
        step.setStatus(stepStatus);
        jobRepository.update(step);
        return execution.getId();
    }

}
