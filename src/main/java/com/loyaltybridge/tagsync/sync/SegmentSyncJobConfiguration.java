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
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;
import com.loyaltybridge.tagsync.ledger.SyncBulkFilePartRepository;
import com.loyaltybridge.tagsync.ledger.SyncExportObjectRepository;
import com.loyaltybridge.tagsync.ledger.SyncLeftUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.sessionm.InFlightLimiter;
import com.loyaltybridge.tagsync.sessionm.SessionmSettings;
import com.loyaltybridge.tagsync.sessionm.SessionmTagSender;
import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * The segment tag sync: one job instance per export and tag setting. <pre>
 * openPlan -> listExportObjects -> stageUsers -> removeDuplicateUsers -> planAudience -> mode? -- API --> tagUsers -------> updateAudience
 *                                                                                           \- CSV --> writeBulkFile --/
 * </pre> {@code openPlan} decides whom the sync sends: everyone, or only what changed for
 * its audience; {@code stageUsers} streams the export into the ledger
 * ({@code sync_user}), recording bad lines; {@code removeDuplicateUsers} keeps each user
 * once; {@code planAudience} decides who needs what against the audience's state and
 * finds who left; the API and CSV steps then work from the ledger, so both resume exactly
 * where they stopped, recording what SessionM holds in the audience's state as they go;
 * {@code updateAudience} marks the members who left and moves the audience on to this
 * export.
 * <p>
 * The dry run ({@value #DRY_RUN_JOB_NAME}) is the same up to {@code planAudience}, in a
 * job instance of its own: it sends nothing, writes no bulk file and changes nothing of
 * the audience.
 */
@Configuration(proxyBeanMethods = false)
public class SegmentSyncJobConfiguration {

    public static final String JOB_NAME = "segmentTagSync";

    public static final String DRY_RUN_JOB_NAME = "segmentTagSyncDryRun";

    /**
     * {@code listeners}: every {@link JobExecutionListener} bean (start hook, metrics,
     * progress log).
     */
    @Bean
    Job segmentTagSyncJob(JobRepository jobRepository, Step openPlanStep, Step listExportObjectsStep,
            Step stageUsersStep, Step removeDuplicateUsersStep, Step planAudienceStep, Step tagUsersStep,
            Step writeBulkFileStep, Step updateAudienceStep, SyncUserRepository ledger, SyncSettings settings,
            ObjectProvider<JobExecutionListener> listeners) {
        SyncModeDecider mode = new SyncModeDecider(ledger, settings.autoApiMaxUsers());
        JobBuilder job = new JobBuilder(JOB_NAME, jobRepository);
        listeners.orderedStream().forEach(job::listener);
        return job.start(openPlanStep)
            .next(listExportObjectsStep)
            .next(stageUsersStep)
            .next(removeDuplicateUsersStep)
            .next(planAudienceStep)
            .next(mode)
            .on(SyncMode.API.name())
            .to(tagUsersStep)
            .next(updateAudienceStep)
            .from(mode)
            .on(SyncMode.CSV.name())
            .to(writeBulkFileStep)
            .next(updateAudienceStep)
            .end()
            .build();
    }

    /** The dry run: the plan of a sync, and nothing else. */
    @Bean
    Job segmentTagSyncDryRunJob(JobRepository jobRepository, Step openPlanStep, Step listExportObjectsStep,
            Step stageUsersStep, Step removeDuplicateUsersStep, Step planAudienceStep,
            ObjectProvider<JobExecutionListener> listeners) {
        JobBuilder job = new JobBuilder(DRY_RUN_JOB_NAME, jobRepository);
        listeners.orderedStream().forEach(job::listener);
        return job.start(openPlanStep)
            .next(listExportObjectsStep)
            .next(stageUsersStep)
            .next(removeDuplicateUsersStep)
            .next(planAudienceStep)
            .build();
    }

    @Bean
    Step openPlanStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            OpenPlanTasklet openPlanTasklet) {
        return new StepBuilder(SyncStep.OPEN_PLAN.stepName(), jobRepository)
            .tasklet(openPlanTasklet, transactionManager)
            .build();
    }

    @Bean
    @StepScope
    OpenPlanTasklet openPlanTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncAudienceRepository audiences, SyncAudienceMemberTagRepository memberTags, SyncPlanRepository plans,
            SyncUserRepository ledger, SyncSettings settings) {
        return new OpenPlanTasklet(jobInstanceId(stepExecution), request(stepExecution), isDryRun(stepExecution),
                audiences, memberTags, plans, ledger, settings);
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
        // Shared with the offers job: it reads only the export of the run's parameters,
        // whichever job runs.
        return new ListExportObjectsTasklet(jobInstanceId(stepExecution),
                ExportJobRequest.exportOf(stepExecution.getJobParameters()), listing, catalog);
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

    /**
     * Lines parsed into users on the reader's read-ahead thread, while the step stages
     * the previous chunk.
     */
    @Bean
    @StepScope
    BrazeExportItemReader<ExportRecord> exportReader(@Value("#{stepExecution}") StepExecution stepExecution,
            ObjectStore store, SyncExportObjectRepository catalog, BrazeExportSettings settings) {
        SyncRequest request = request(stepExecution);
        BrazeUserParser parser = new BrazeUserParser(request.identifierSource(), settings);
        return new BrazeExportItemReader<>(store, catalog.objectsOf(jobInstanceId(stepExecution), request.export()),
                settings, parser);
    }

    @Bean
    @StepScope
    StagingWriter stagingWriter(@Value("#{stepExecution}") StepExecution stepExecution, SyncUserRepository ledger,
            SyncSkippedLineRepository skippedLines, SyncPlanRepository plans, SyncSettings settings) {
        long jobInstanceId = jobInstanceId(stepExecution);
        return new StagingWriter(jobInstanceId, ledger, skippedLines, settings.maxSkippedLines(),
                plan(plans, jobInstanceId).why().stagedReason());
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
        // Shared with the offers job, like listExportObjects.
        return new RemoveDuplicateUsersTasklet(jobInstanceId(stepExecution),
                ExportJobRequest.exportOf(stepExecution.getJobParameters()), ledger, skippedLines,
                settings.maxSkippedLines());
    }

    @Bean
    Step planAudienceStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PlanAudienceTasklet planAudienceTasklet, SyncUserRepository ledger) {
        return new StepBuilder(SyncStep.PLAN_AUDIENCE.stepName(), jobRepository)
            .tasklet(planAudienceTasklet, transactionManager)
            .listener(refreshingPlannerStatistics(ledger))
            .build();
    }

    @Bean
    @StepScope
    PlanAudienceTasklet planAudienceTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncPlanRepository plans, SyncUserRepository ledger, SyncAudienceRepository audiences,
            SyncAudienceMemberTagRepository memberTags, SyncLeftUserRepository leftUsers) {
        return new PlanAudienceTasklet(jobInstanceId(stepExecution), request(stepExecution), isDryRun(stepExecution),
                plans, ledger, audiences, memberTags, leftUsers);
    }

    @Bean
    Step tagUsersStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<LedgerEntry> pendingUsersReader, TagUsersWriter tagUsersWriter,
            SyncUserRepository ledger, SessionmPaceRecorder sessionmPaceRecorder, SyncSettings settings,
            SessionmSettings sessionm) {
        return new StepBuilder(SyncStep.TAG_USERS.stepName(), jobRepository)
            .<LedgerEntry, LedgerEntry>chunk(settings.taggingChunkSize(sessionm.requestsPerSecond()))
            .transactionManager(transactionManager)
            .reader(pendingUsersReader)
            .writer(tagUsersWriter)
            .stream(sessionmPaceRecorder)
            .listener(refreshingPlannerStatistics(ledger))
            .build();
    }

    /**
     * The users still to tag, in export order; restarts resume after the last committed
     * chunk.
     */
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
            SyncAudienceMemberTagRepository memberTags, SyncPlanRepository plans,
            PlatformTransactionManager transactionManager, SessionmTagSender sender, RunLockCheck runLocks,
            InFlightLimiter limiter, SyncSettings settings) {
        long jobInstanceId = jobInstanceId(stepExecution);
        SyncRequest request = request(stepExecution);
        DeliveryLedger deliveries = new DeliveryLedger(jobInstanceId, ledger, memberTags,
                plan(plans, jobInstanceId).audienceId(), request.tags(), request.ttlSeconds(), transactionManager);
        return new TagUsersWriter(request, deliveries, sender, runLocks.forRun(stepExecution.getJobParameters()),
                () -> settings.intentBatchSize(limiter.limit()));
    }

    /**
     * This execution's SessionM figures, saved with each chunk (see
     * {@link SessionmPaceRecorder}).
     */
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

    /**
     * For the steps that read the staged users back: see
     * {@link SyncUserRepository#refreshPlannerStatistics()}.
     */
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
    WriteBulkFileTasklet writeBulkFileTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncUserRepository ledger, SyncBulkFilePartRepository parts, BulkFileWriter writer,
            BulkFileSettings bulkFileSettings, SyncAudienceMemberTagRepository memberTags, SyncPlanRepository plans) {
        SyncRequest request = request(stepExecution);
        long jobInstanceId = jobInstanceId(stepExecution);
        StorageLocation output = request.output() != null ? request.output()
                : StorageLocation.parse(bulkFileSettings.output());
        return new WriteBulkFileTasklet(jobInstanceId, request,
                BulkFileWriter.folderFor(output, request.export(), jobInstanceId), ledger, parts, writer, memberTags,
                plan(plans, jobInstanceId).audienceId());
    }

    @Bean
    Step updateAudienceStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            UpdateAudienceTasklet updateAudienceTasklet) {
        return new StepBuilder(SyncStep.UPDATE_AUDIENCE.stepName(), jobRepository)
            .tasklet(updateAudienceTasklet, transactionManager)
            .build();
    }

    @Bean
    @StepScope
    UpdateAudienceTasklet updateAudienceTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncPlanRepository plans, SyncAudienceRepository audiences, SyncAudienceMemberTagRepository memberTags) {
        return new UpdateAudienceTasklet(jobInstanceId(stepExecution), request(stepExecution), plans, audiences,
                memberTags);
    }

    private static SyncRequest request(StepExecution stepExecution) {
        return SyncRequest.fromJobParameters(stepExecution.getJobParameters());
    }

    private static SyncPlanRepository.Plan plan(SyncPlanRepository plans, long jobInstanceId) {
        return plans.find(jobInstanceId)
            .orElseThrow(() -> new IllegalStateException("sync " + jobInstanceId + " has no plan"));
    }

    private static boolean isDryRun(StepExecution stepExecution) {
        return DRY_RUN_JOB_NAME.equals(stepExecution.getJobExecution().getJobInstance().getJobName());
    }

    private static long jobInstanceId(StepExecution stepExecution) {
        return stepExecution.getJobExecution().getJobInstance().getInstanceId();
    }

}
