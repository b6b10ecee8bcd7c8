package com.loyaltybridge.tagsync.wallet;

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
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import com.loyaltybridge.tagsync.brazeapi.BrazeRestSettings;
import com.loyaltybridge.tagsync.brazeapi.BrazeTrackClient;
import com.loyaltybridge.tagsync.brazeexport.BrazeExportItemReader;
import com.loyaltybridge.tagsync.brazeexport.BrazeExportListing;
import com.loyaltybridge.tagsync.brazeexport.BrazeExportSettings;
import com.loyaltybridge.tagsync.brazeexport.BrazeUserParser;
import com.loyaltybridge.tagsync.brazeexport.ExportRecord;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberWalletRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;
import com.loyaltybridge.tagsync.ledger.SyncExportObjectRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncWalletLeaverRepository;
import com.loyaltybridge.tagsync.ledger.SyncWalletLeaverRepository.Leaver;
import com.loyaltybridge.tagsync.ledger.WalletMember;
import com.loyaltybridge.tagsync.offers.ConnectSettings;
import com.loyaltybridge.tagsync.offers.OfferWalletClient;
import com.loyaltybridge.tagsync.offers.WalletAttributes;
import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.sync.RunLockCheck;
import com.loyaltybridge.tagsync.sync.StagedExportCheck;
import com.loyaltybridge.tagsync.sync.StagingWriter;
import com.loyaltybridge.tagsync.sync.SyncSettings;

/**
 * The offers job: a segment's SessionM offer wallets written to its members' Braze
 * profiles, only what changed. One job instance per export and identifier source (and
 * culture, audience, {@code --full} when given). <pre>
 * openWalletPlan -> listExportObjects -> stageMembers -> removeDuplicateUsers -> refreshWallets -> recordLeavers -> clearLeavers -> updateWalletAudience
 * </pre> {@code openWalletPlan} decides what the wallets are compared with: those last
 * written for the audience ({@code offers:SEGMENT}), or nothing on its first run;
 * {@code listExportObjects} and {@code removeDuplicateUsers} are the tag sync's own
 * steps; {@code stageMembers} stages the export like the tag sync's {@code stageUsers},
 * with who each member is in Braze and its language; {@code refreshWallets} reads every
 * member's wallet from SessionM Connect and writes the changed ones to Braze, recording
 * each outcome and the audience's new fingerprints ({@link RefreshWalletsWriter});
 * {@code recordLeavers} finds the members with a wallet written that the export no longer
 * holds, and {@code clearLeavers} clears their attributes once
 * ({@code offers.clear-leavers}); {@code updateWalletAudience} moves the audience on to
 * this export. Every step finds what is left to do in PostgreSQL, so a run resumes where
 * it stopped, whatever stopped it.
 * <p>
 * The dry run ({@value #DRY_RUN_JOB_NAME}) is the same up to {@code recordLeavers}, in a
 * job instance of its own: it reads every wallet and compares it, and writes nothing to
 * Braze nor to the audience.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OfferWalletSettings.class)
public class OfferWalletJobConfiguration {

    public static final String JOB_NAME = "offerWalletSync";

    public static final String DRY_RUN_JOB_NAME = "offerWalletSyncDryRun";

    /** Leavers cleared per transaction: this many {@code /users/track} requests. */
    static final int CLEARING_REQUESTS_PER_CHUNK = 10;

    /**
     * {@code listeners}: every {@link JobExecutionListener} bean (start hook, metrics);
     * each acts on the jobs it knows.
     */
    @Bean
    Job offerWalletSyncJob(JobRepository jobRepository, Step openWalletPlanStep, Step listExportObjectsStep,
            Step stageMembersStep, Step removeDuplicateUsersStep, Step refreshWalletsStep, Step recordLeaversStep,
            Step clearLeaversStep, Step updateWalletAudienceStep, ObjectProvider<JobExecutionListener> listeners) {
        JobBuilder job = new JobBuilder(JOB_NAME, jobRepository);
        listeners.orderedStream().forEach(job::listener);
        return job.start(openWalletPlanStep)
            .next(listExportObjectsStep)
            .next(stageMembersStep)
            .next(removeDuplicateUsersStep)
            .next(refreshWalletsStep)
            .next(recordLeaversStep)
            .next(clearLeaversStep)
            .next(updateWalletAudienceStep)
            .build();
    }

    /**
     * The dry run: every wallet read and compared, the leavers counted; nothing written.
     */
    @Bean
    Job offerWalletSyncDryRunJob(JobRepository jobRepository, Step openWalletPlanStep, Step listExportObjectsStep,
            Step stageMembersStep, Step removeDuplicateUsersStep, Step refreshWalletsStep, Step recordLeaversStep,
            ObjectProvider<JobExecutionListener> listeners) {
        JobBuilder job = new JobBuilder(DRY_RUN_JOB_NAME, jobRepository);
        listeners.orderedStream().forEach(job::listener);
        return job.start(openWalletPlanStep)
            .next(listExportObjectsStep)
            .next(stageMembersStep)
            .next(removeDuplicateUsersStep)
            .next(refreshWalletsStep)
            .next(recordLeaversStep)
            .build();
    }

    @Bean
    Step openWalletPlanStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            OpenWalletPlanTasklet openWalletPlanTasklet) {
        return new StepBuilder(WalletStep.OPEN_PLAN.stepName(), jobRepository)
            .tasklet(openWalletPlanTasklet, transactionManager)
            .build();
    }

    @Bean
    @StepScope
    OpenWalletPlanTasklet openWalletPlanTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncAudienceRepository audiences, SyncAudienceMemberWalletRepository wallets, SyncPlanRepository plans) {
        return new OpenWalletPlanTasklet(jobInstanceId(stepExecution), request(stepExecution), isDryRun(stepExecution),
                audiences, wallets, plans);
    }

    @Bean
    Step stageMembersStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            BrazeExportItemReader<ExportRecord> memberReader, StagingWriter memberStagingWriter,
            BrazeExportListing listing, SyncExportObjectRepository catalog, SyncSettings settings) {
        return new StepBuilder(WalletStep.STAGE_MEMBERS.stepName(), jobRepository)
            .<ExportRecord, ExportRecord>chunk(settings.stagingChunkSize())
            .transactionManager(transactionManager)
            .reader(memberReader)
            .writer(memberStagingWriter)
            .listener(new StagedExportCheck(listing, catalog))
            .build();
    }

    /**
     * The export's lines as members: the SessionM user_id, and who each is in Braze
     * (external_id or braze_id, language).
     */
    @Bean
    @StepScope
    BrazeExportItemReader<ExportRecord> memberReader(@Value("#{stepExecution}") StepExecution stepExecution,
            ObjectStore store, SyncExportObjectRepository catalog, BrazeExportSettings settings) {
        OfferWalletRequest request = request(stepExecution);
        return new BrazeExportItemReader<>(store, catalog.objectsOf(jobInstanceId(stepExecution), request.export()),
                settings, BrazeUserParser.withBrazeProfile(request.identifierSource(), settings));
    }

    @Bean
    @StepScope
    StagingWriter memberStagingWriter(@Value("#{stepExecution}") StepExecution stepExecution, SyncUserRepository ledger,
            SyncSkippedLineRepository skippedLines, SyncSettings settings) {
        // Every member's wallet is read: no reason to send decides who is (send_reason
        // stays null).
        return new StagingWriter(jobInstanceId(stepExecution), ledger, skippedLines, settings.maxSkippedLines(), null);
    }

    @Bean
    Step refreshWalletsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<WalletMember> pendingMembersReader, RefreshWalletsWriter refreshWalletsWriter,
            WalletPaceRecorder refreshWalletsPace, SyncUserRepository ledger, OfferWalletSettings settings,
            ConnectSettings connect, BrazeRestSettings braze) {
        return new StepBuilder(WalletStep.REFRESH_WALLETS.stepName(), jobRepository)
            .<WalletMember, WalletMember>chunk(chunkSize(settings, connect, braze))
            .transactionManager(transactionManager)
            .reader(pendingMembersReader)
            .writer(refreshWalletsWriter)
            .stream(refreshWalletsPace)
            .listener(refreshingPlannerStatistics(ledger))
            .build();
    }

    /**
     * The members whose wallet is still to be read, in export order; restarts resume
     * after the last committed chunk.
     */
    @Bean
    @StepScope
    JdbcPagingItemReader<WalletMember> pendingMembersReader(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncUserRepository ledger, OfferWalletSettings settings, ConnectSettings connect, BrazeRestSettings braze)
            throws Exception {
        return ledger.pendingMembersReader("pendingMembersReader", jobInstanceId(stepExecution),
                chunkSize(settings, connect, braze));
    }

    private static int chunkSize(OfferWalletSettings settings, ConnectSettings connect, BrazeRestSettings braze) {
        return settings.chunkSize(connect.requestsPerSecond(), braze.requestsPerSecond(), braze.attributesPerRequest());
    }

    @Bean
    @StepScope
    RefreshWalletsWriter refreshWalletsWriter(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncPlanRepository plans, SyncUserRepository ledger, SyncAudienceMemberWalletRepository wallets,
            OfferWalletClient connect, WalletAttributes attributes, BrazeTrackClient braze, RunLockCheck runLocks,
            OfferWalletSettings settings, WalletPaceRecorder refreshWalletsPace,
            PlatformTransactionManager transactionManager) {
        long jobInstanceId = jobInstanceId(stepExecution);
        SyncPlanRepository.Plan plan = plan(plans, jobInstanceId);
        boolean dryRun = isDryRun(stepExecution);
        WalletChunk.Context context = new WalletChunk.Context(jobInstanceId, plan.audienceId(),
                WalletPlans.writesEveryWallet(plan.why()), dryRun, request(stepExecution).culture(), settings,
                new RefreshWalletsWriter.Services(connect, attributes, braze), ledger,
                runLockCheck(stepExecution, runLocks), refreshWalletsPace, RefreshWalletsWriter
                    .recordingOnItsOwn(jobInstanceId, plan.audienceId(), ledger, wallets, transactionManager));
        return new RefreshWalletsWriter(context, ledger, wallets, transactionManager);
    }

    /**
     * This execution's Connect and Braze figures, saved with each chunk (see
     * {@link WalletPaceRecorder}).
     */
    @Bean
    @StepScope
    WalletPaceRecorder refreshWalletsPace(ConnectSettings connect, BrazeRestSettings braze) {
        return new WalletPaceRecorder(connect.requestsPerSecond(), braze.requestsPerSecond());
    }

    @Bean
    Step recordLeaversStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            RecordLeaversTasklet recordLeaversTasklet) {
        return new StepBuilder(WalletStep.RECORD_LEAVERS.stepName(), jobRepository)
            .tasklet(recordLeaversTasklet, transactionManager)
            .build();
    }

    @Bean
    @StepScope
    RecordLeaversTasklet recordLeaversTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncPlanRepository plans, OfferWalletSettings settings, SyncWalletLeaverRepository leavers,
            SyncAudienceMemberWalletRepository wallets) {
        long jobInstanceId = jobInstanceId(stepExecution);
        return new RecordLeaversTasklet(jobInstanceId, plan(plans, jobInstanceId).audienceId(), isDryRun(stepExecution),
                settings.clearLeavers(), leavers, wallets);
    }

    @Bean
    Step clearLeaversStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcPagingItemReader<Leaver> pendingLeaversReader, ClearLeaversWriter clearLeaversWriter,
            WalletPaceRecorder clearLeaversPace, BrazeRestSettings braze) {
        return new StepBuilder(WalletStep.CLEAR_LEAVERS.stepName(), jobRepository)
            .<Leaver, Leaver>chunk(CLEARING_REQUESTS_PER_CHUNK * braze.attributesPerRequest())
            .transactionManager(transactionManager)
            .reader(pendingLeaversReader)
            .writer(clearLeaversWriter)
            .stream(clearLeaversPace)
            .build();
    }

    /**
     * The leavers still to be cleared, by identifier; none when clearing is off (they are
     * recorded as left alone).
     */
    @Bean
    @StepScope
    JdbcPagingItemReader<Leaver> pendingLeaversReader(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncWalletLeaverRepository leavers, BrazeRestSettings braze) throws Exception {
        return leavers.pendingLeaversReader("pendingLeaversReader", jobInstanceId(stepExecution),
                CLEARING_REQUESTS_PER_CHUNK * braze.attributesPerRequest());
    }

    @Bean
    @StepScope
    ClearLeaversWriter clearLeaversWriter(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncPlanRepository plans, WalletAttributes attributes, BrazeTrackClient braze,
            SyncWalletLeaverRepository leavers, SyncAudienceMemberWalletRepository wallets, RunLockCheck runLocks,
            WalletPaceRecorder clearLeaversPace, PlatformTransactionManager transactionManager) {
        long jobInstanceId = jobInstanceId(stepExecution);
        Long audienceId = plan(plans, jobInstanceId).audienceId();
        // Without an audience there are no leavers, and the reader gives none.
        return new ClearLeaversWriter(jobInstanceId, audienceId == null ? -1 : audienceId, attributes, braze, leavers,
                wallets, runLockCheck(stepExecution, runLocks), clearLeaversPace, transactionManager);
    }

    @Bean
    @StepScope
    WalletPaceRecorder clearLeaversPace(ConnectSettings connect, BrazeRestSettings braze) {
        return new WalletPaceRecorder(connect.requestsPerSecond(), braze.requestsPerSecond());
    }

    @Bean
    Step updateWalletAudienceStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            UpdateWalletAudienceTasklet updateWalletAudienceTasklet) {
        return new StepBuilder(WalletStep.UPDATE_AUDIENCE.stepName(), jobRepository)
            .tasklet(updateWalletAudienceTasklet, transactionManager)
            .build();
    }

    @Bean
    @StepScope
    UpdateWalletAudienceTasklet updateWalletAudienceTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
            SyncPlanRepository plans, SyncAudienceRepository audiences) {
        long jobInstanceId = jobInstanceId(stepExecution);
        return new UpdateWalletAudienceTasklet(jobInstanceId, request(stepExecution),
                plan(plans, jobInstanceId).audienceId(), audiences);
    }

    /**
     * Statistics fresh after staging, before the members are read back: see
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

    /**
     * The run's lock check; a dry run holds no lock, and commits no intent to check it
     * for.
     */
    private static Runnable runLockCheck(StepExecution stepExecution, RunLockCheck runLocks) {
        if (isDryRun(stepExecution)) {
            return () -> {
                throw new IllegalStateException("a dry run writes nothing");
            };
        }
        return runLocks.forRun(stepExecution.getJobParameters());
    }

    private static OfferWalletRequest request(StepExecution stepExecution) {
        return OfferWalletRequest.fromJobParameters(stepExecution.getJobParameters());
    }

    private static SyncPlanRepository.Plan plan(SyncPlanRepository plans, long jobInstanceId) {
        return plans.find(jobInstanceId)
            .orElseThrow(() -> new IllegalStateException("run " + jobInstanceId + " has no plan"));
    }

    static boolean isDryRun(StepExecution stepExecution) {
        return DRY_RUN_JOB_NAME.equals(stepExecution.getJobExecution().getJobInstance().getJobName());
    }

    private static long jobInstanceId(StepExecution stepExecution) {
        return stepExecution.getJobExecution().getJobInstance().getInstanceId();
    }

}
