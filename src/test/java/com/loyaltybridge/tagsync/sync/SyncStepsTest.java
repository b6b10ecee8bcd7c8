package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.users;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.StepRunner;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.brazeexport.BrazeExportListing;
import com.loyaltybridge.tagsync.brazeexport.ExportRecord.ExportUser;
import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.ledger.PlanReason;
import com.loyaltybridge.tagsync.ledger.SyncExportObjectRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.storage.StoredObject;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncJobSliceSupport;

/**
 * The job's steps one at a time, as Spring Batch runs them
 * ({@link JobOperatorTestUtils}), against the test PostgreSQL and exports in a local
 * folder: what each step leaves in the ledger. A step runs in a job instance whose export
 * objects were listed beforehand, as {@code listExportObjects} does.
 */
class SyncStepsTest extends SyncJobSliceSupport {

    @TempDir
    static Path exports;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    BrazeExportListing listing;

    @Autowired
    SyncExportObjectRepository catalog;

    @Autowired
    SyncUserRepository ledger;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SyncPlanRepository plans;

    @Autowired
    @Qualifier("segmentTagSyncJob")
    Job job;

    @BeforeEach
    void theSyncJob() {
        jobs.setJob(job);
    }

    @Autowired
    TransactionTemplate transaction;

    @Test
    void stagingRecordsEveryLineWithAUserInTheLedgerAndEveryOtherAsASkippedLine() {
        StorageLocation export = ExportFolder.of("staging")
            .writeTo(exports, Map.of("a.zip", zip(lines(user("C-1"), user("C-2"), "not json", user("C-1"))), "b.gz",
                    gzip(lines(users(3, 4)))));
        JobParameters parameters = request(export, SyncMode.CSV).toJobParameters();
        long instance = listedBeforehand(export, parameters);

        JobExecution execution = jobs.startStep(SyncStep.STAGE_USERS.stepName(), parameters, new ExecutionContext());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(identifiersInExportOrder(instance)).as("a repeated user too: duplicates go in the next step")
            .containsExactly("C-1", "C-2", "C-1", "C-3", "C-4");
        assertThat(jdbc.query("SELECT object_key, line_number, reason FROM sync_skipped_line WHERE job_instance_id = ?",
                (rs, row) -> tuple(rs.getString(1).endsWith("/a.zip"), rs.getLong(2), rs.getString(3)), instance))
            .containsExactly(tuple(true, 3L, "invalid_json"));
        assertThat(steps(execution)).singleElement().extracting(StepExecution::getReadCount).isEqualTo(6L);
    }

    @Test
    void removingDuplicatesKeepsEachUserAtItsFirstLineAndRecordsTheLaterOnesAsSkipped() {
        StorageLocation export = ExportFolder.of("duplicates")
            .writeTo(exports, Map.of("a.zip", zip(lines(users(1, 3))), "b.zip", zip(lines(users(1, 2)))));
        JobParameters parameters = request(export, SyncMode.CSV).toJobParameters();
        long instance = listedBeforehand(export, parameters);
        List<StoredObject> objects = catalog.objectsOf(instance, export);
        transaction.executeWithoutResult(status -> ledger.stage(instance, List.of(
                new ExportUser(0, objects.get(0).key(), 1, "C-1"), new ExportUser(0, objects.get(0).key(), 2, "C-2"),
                new ExportUser(0, objects.get(0).key(), 3, "C-3"), new ExportUser(1, objects.get(1).key(), 1, "C-1"),
                new ExportUser(1, objects.get(1).key(), 2, "C-2"))));

        JobExecution execution = jobs.startStep(SyncStep.REMOVE_DUPLICATE_USERS.stepName(), parameters,
                new ExecutionContext());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(identifiersInExportOrder(instance)).containsExactly("C-1", "C-2", "C-3");
        assertThat(jdbc
            .queryForList("SELECT detail FROM sync_skipped_line WHERE job_instance_id = ? AND reason = 'duplicate_user'"
                    + " ORDER BY line_number", String.class, instance))
            .hasSize(2)
            .allSatisfy(detail -> assertThat(detail).startsWith("identifier already seen at line ").endsWith("a.zip"));
        assertThat(steps(execution)).singleElement().extracting(StepExecution::getFilterCount).isEqualTo(2L);
    }

    @Test
    void autoModeCountsTheDistinctUsersAndWritesABulkFileAboveTheApiLimit() throws Exception {
        StorageLocation export = ExportFolder.of("auto")
            .writeTo(exports, Map.of("a.gz", gzip(lines(users(1, 4)), lines(user("C-1")))));
        StorageLocation output = StorageLocation.directory(exports.resolve("bulk-out"));
        SyncRequest request = new SyncRequest(export, List.of("vip"), null, SyncMode.AUTO, IdentifierSource.EXTERNAL_ID,
                output);

        JobExecution execution = jobs.startJob(request.toJobParameters());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExecutionContext().getString(SyncModeDecider.RESOLVED_MODE)).as("4 users, more than 3")
            .isEqualTo("csv");
        assertThat(execution.getStepExecutions()).extracting(StepExecution::getStepName)
            .containsExactly(SyncStep.OPEN_PLAN.stepName(), SyncStep.LIST_EXPORT_OBJECTS.stepName(),
                    SyncStep.STAGE_USERS.stepName(), SyncStep.REMOVE_DUPLICATE_USERS.stepName(),
                    SyncStep.PLAN_AUDIENCE.stepName(), SyncStep.WRITE_BULK_FILE.stepName(),
                    SyncStep.UPDATE_AUDIENCE.stepName());
        assertThat(jdbc.queryForObject("SELECT sum(user_count) FROM sync_bulk_file_part WHERE job_instance_id = ?",
                Long.class, execution.getJobInstance().getInstanceId()))
            .isEqualTo(4);
    }

    /**
     * The job instance a single step then runs in: an earlier execution of it listed the
     * export's objects, as the job's first step does, and stopped there (Spring Batch
     * resumes an instance only after an execution).
     */
    private long listedBeforehand(StorageLocation export, JobParameters parameters) {
        JobInstance instance = jobRepository.createJobInstance(StepRunner.JOB_NAME, parameters);
        JobExecution earlier = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
        catalog.record(instance.getInstanceId(), listing.objectsOf(export));
        plans.open(instance.getInstanceId(), null, PlanReason.NO_AUDIENCE, Instant.now(), null);
        earlier.setStatus(BatchStatus.STOPPED);
        earlier.setExitStatus(ExitStatus.STOPPED);
        earlier.setEndTime(LocalDateTime.now());
        jobRepository.update(earlier);
        return instance.getInstanceId();
    }

    private static SyncRequest request(StorageLocation export, SyncMode mode) {
        return new SyncRequest(export, List.of("vip"), null, mode, IdentifierSource.EXTERNAL_ID, null);
    }

    private List<String> identifiersInExportOrder(long instance) {
        return jdbc.queryForList("SELECT identifier FROM sync_user WHERE job_instance_id = ? ORDER BY user_seq",
                String.class, instance);
    }

    /**
     * The one step a step run executed. (No method here returns a StepExecution: Spring
     * Batch's test listener would call it.)
     */
    private static List<StepExecution> steps(JobExecution execution) {
        return List.copyOf(execution.getStepExecutions());
    }

}
