package com.loyaltybridge.tagsync.sync;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import com.loyaltybridge.tagsync.brazeexport.BrazeExportItemReader;
import com.loyaltybridge.tagsync.brazeexport.BrazeExportListing;
import com.loyaltybridge.tagsync.brazeexport.BrazeExportSettings;
import com.loyaltybridge.tagsync.brazeexport.BrazeUserParser;
import com.loyaltybridge.tagsync.brazeexport.ExportRecord;
import com.loyaltybridge.tagsync.bulkfile.BulkFileSettings;
import com.loyaltybridge.tagsync.bulkfile.BulkFileWriter;
import com.loyaltybridge.tagsync.ledger.LedgerEntry;
import com.loyaltybridge.tagsync.ledger.SyncBulkFilePartRepository;
import com.loyaltybridge.tagsync.ledger.SyncExportObjectRepository;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.sessionm.InFlightLimiter;
import com.loyaltybridge.tagsync.sessionm.SessionmSettings;
import com.loyaltybridge.tagsync.sessionm.SessionmTagSender;
import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * The segment tag sync: one job instance per export and tag setting.
 * <pre>
 * listExportObjects -> stageUsers -> removeDuplicateUsers -> mode? -- API --> tagUsers
 *                                                                \- CSV --> writeBulkFile
 * </pre>
 * {@code stageUsers} streams the export into the ledger ({@code sync_user}), recording bad lines;
 * {@code removeDuplicateUsers} keeps each user once; the API and CSV steps then work from the ledger,
 * so both resume exactly where they stopped.
 */
@Configuration(proxyBeanMethods = false)
public class SegmentSyncJobConfiguration {

    public static final String JOB_NAME = "segmentTagSync";

    /** {@code listeners}: every {@link JobExecutionListener} bean (start hook, metrics, progress log). */
    @Bean
    Job segmentTagSyncJob(JobRepository jobRepository, Step listExportObjectsStep, Step stageUsersStep,
            Step removeDuplicateUsersStep, Step tagUsersStep, Step writeBulkFileStep, SyncUserRepository ledger, SyncSettings settings,
            ObjectProvider<JobExecutionListener> listeners) {
        SyncModeDecider mode = new SyncModeDecider(ledger, settings.autoApiMaxUsers());
        JobBuilder job = new JobBuilder(JOB_NAME, jobRepository);
        listeners.orderedStream().forEach(job::listener);
        return job
                .start(listExportObjectsStep)
                .next(stageUsersStep)
                .next(removeDuplicateUsersStep)
                .next(mode).on(SyncMode.API.name()).to(tagUsersStep)
                .from(mode).on(SyncMode.CSV.name()).to(writeBulkFileStep)
                .end()
                .build();
    }

    @Bean
    Step listExportObjectsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ListExportObjectsTasklet listExportObjectsTasklet) {
        return new StepBuilder(SyncStep.LIST_EXPORT_OBJECTS.stepName(), jobRepository)
                .tasklet(listExportObjectsTasklet, transactionManager)
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    @StepScope
    ListExportObjectsTasklet listExportObjectsTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
            BrazeExportListing listing, SyncExportObjectRepository catalog) {
        return new ListExportObjectsTasklet(jobInstanceId(stepExecution), request(stepExecution).export(), listing, catalog);
    }

    @Bean
    Step stageUsersStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            BrazeExportItemReader<ExportRecord> exportReader, StagingWriter stagingWriter, BrazeExportListing listing,
            SyncExportObjectRepository catalog, SyncSettings settings) {
        return new StepBuilder(SyncStep.STAGE_USERS.stepName(), jobRepository)
                .<ExportRecord, ExportRecord>chunk(settings.stagingChunkSize())
                .transactionManager(transactionManager)
                .reader(exportReader)
                .writer(stagingWriter)
                .listener(new StagedExportCheck(listing, catalog))
                .build();
    }

    /** Lines parsed into users on the reader's read-ahead thread, while the step stages the previous chunk. */
    @Bean
    @StepScope
    BrazeExportItemReader<ExportRecord> exportReader(@Value("#{stepExecution}") StepExecution stepExecution,
            ObjectStore store, SyncExportObjectRepository catalog, BrazeExportSettings settings) {
        SyncRequest request = request(stepExecution);
        BrazeUserParser parser = new BrazeUserParser(request.identifierSource(), settings);
        return new BrazeExportItemReader<>(store, catalog.objectsOf(jobInstanceId(stepExecution), request.export()), settings,
                parser);
    }

    @Bean
    @StepScope
    StagingWriter stagingWriter(@Value("#{stepExecution}") StepExecution stepExecution, SyncUserRepository ledger,
            SyncSkippedLineRepository skippedLines, SyncSettings settings) {
        return new StagingWriter(jobInstanceId(stepExecution), ledger, skippedLines, settings.maxSkippedLines());
    }

    @Bean
    Step removeDuplicateUsersStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            RemoveDuplicateUsersTasklet removeDuplicateUsersTasklet) {
        return new StepBuilder(SyncStep.REMOVE_DUPLICATE_USERS.stepName(), jobRepository)
                .tasklet(removeDuplicateUsersTasklet, transactionManager)
                .build();
    }

    @Bean
    @StepScope
    RemoveDuplicateUsersTasklet removeDuplicateUsersTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncUserRepository ledger, SyncSkippedLineRepository skippedLines, SyncSettings settings) {
        return new RemoveDuplicateUsersTasklet(jobInstanceId(stepExecution), request(stepExecution).export(), ledger,
                skippedLines, settings.maxSkippedLines());
    }

    @Bean
    Step tagUsersStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<LedgerEntry> pendingUsersReader, TagUsersWriter tagUsersWriter, SyncUserRepository ledger,
            SessionmPaceRecorder sessionmPaceRecorder, SyncSettings settings, SessionmSettings sessionm) {
        return new StepBuilder(SyncStep.TAG_USERS.stepName(), jobRepository)
                .<LedgerEntry, LedgerEntry>chunk(settings.taggingChunkSize(sessionm.requestsPerSecond()))
                .transactionManager(transactionManager)
                .reader(pendingUsersReader)
                .writer(tagUsersWriter)
                .stream(sessionmPaceRecorder)
                .listener(refreshingPlannerStatistics(ledger))
                .build();
    }

    /** The users still to tag, in export order; restarts resume after the last committed chunk. */
    @Bean
    @StepScope
    JdbcPagingItemReader<LedgerEntry> pendingUsersReader(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncUserRepository ledger, SyncSettings settings, SessionmSettings sessionm) throws Exception {
        return ledger.pendingUsersReader("pendingUsersReader", jobInstanceId(stepExecution),
                settings.taggingChunkSize(sessionm.requestsPerSecond()));
    }

    @Bean
    @StepScope
    TagUsersWriter tagUsersWriter(@Value("#{stepExecution}") StepExecution stepExecution, SyncUserRepository ledger,
            SessionmTagSender sender, RunLockCheck runLocks, InFlightLimiter limiter, SyncSettings settings) {
        return new TagUsersWriter(jobInstanceId(stepExecution), request(stepExecution), ledger, sender,
                runLocks.forRun(stepExecution.getJobParameters()), () -> settings.intentBatchSize(limiter.limit()));
    }

    /** This execution's SessionM figures, saved with each chunk (see {@link SessionmPaceRecorder}). */
    @Bean
    @StepScope
    SessionmPaceRecorder sessionmPaceRecorder(InFlightLimiter limiter) {
        return new SessionmPaceRecorder(limiter);
    }

    @Bean
    Step writeBulkFileStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            WriteBulkFileTasklet writeBulkFileTasklet, SyncUserRepository ledger) {
        return new StepBuilder(SyncStep.WRITE_BULK_FILE.stepName(), jobRepository)
                .tasklet(writeBulkFileTasklet, transactionManager)
                .listener(refreshingPlannerStatistics(ledger))
                .build();
    }

    /** For the steps that read the staged users back: see {@link SyncUserRepository#refreshPlannerStatistics()}. */
    private static StepExecutionListener refreshingPlannerStatistics(SyncUserRepository ledger) {
        return new StepExecutionListener() {
            @Override
            public void beforeStep(StepExecution stepExecution) {
                ledger.refreshPlannerStatistics();
            }
        };
    }

    @Bean
    @StepScope
    WriteBulkFileTasklet writeBulkFileTasklet(@Value("#{stepExecution}") StepExecution stepExecution, SyncUserRepository ledger,
            SyncBulkFilePartRepository parts, BulkFileWriter writer, BulkFileSettings bulkFileSettings) {
        SyncRequest request = request(stepExecution);
        long jobInstanceId = jobInstanceId(stepExecution);
        StorageLocation output = request.output() != null ? request.output() : StorageLocation.parse(bulkFileSettings.output());
        return new WriteBulkFileTasklet(jobInstanceId, request, BulkFileWriter.folderFor(output, request.export(), jobInstanceId),
                ledger, parts, writer);
    }

    private static SyncRequest request(StepExecution stepExecution) {
        return SyncRequest.fromJobParameters(stepExecution.getJobParameters());
    }

    private static long jobInstanceId(StepExecution stepExecution) {
        return stepExecution.getJobExecution().getJobInstance().getInstanceId();
    }
}
