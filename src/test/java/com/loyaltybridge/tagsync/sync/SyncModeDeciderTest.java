package com.loyaltybridge.tagsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import com.loyaltybridge.tagsync.brazeexport.ExportRecord.ExportUser;
import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.MigratedDatabase;

/**
 * The choice between the API and the bulk file: counted from the ledger in auto mode, the
 * same on every restart.
 */
class SyncModeDeciderTest {

    private static final StorageLocation EXPORT = StorageLocation.s3("braze-exports",
            "segment-export/SEG/2026-11-28/x-1/");

    private final JdbcTemplate jdbc = new JdbcTemplate(MigratedDatabase.dataSource());

    private final SyncUserRepository ledger = new SyncUserRepository(jdbc,
            new DataSourceTransactionManager(MigratedDatabase.dataSource()));

    private final SyncModeDecider decider = new SyncModeDecider(ledger, 3);

    @Test
    void autoSendsThroughTheApiUpToTheLimitAndWritesABulkFileAbove() {
        assertThat(decide(SyncMode.AUTO, 3)).isEqualTo("API");
        assertThat(decide(SyncMode.AUTO, 4)).isEqualTo("CSV");
    }

    @Test
    void anExplicitModeIsKeptWhateverTheNumberOfUsers() {
        assertThat(decide(SyncMode.API, 10)).isEqualTo("API");
        assertThat(decide(SyncMode.CSV, 1)).isEqualTo("CSV");
    }

    @Test
    void theModeInForceIsRecordedForTheSummaryAndTheApi() {
        JobExecution execution = execution(SyncMode.AUTO, 5);

        decider.decide(execution, null);

        assertThat(execution.getExecutionContext().getString(SyncModeDecider.RESOLVED_MODE)).isEqualTo("csv");
    }

    private String decide(SyncMode mode, int users) {
        return decider.decide(execution(mode, users), null).getName();
    }

    /** An execution of a sync in {@code mode} whose ledger holds {@code users} users. */
    private JobExecution execution(SyncMode mode, int users) {
        long instance = MigratedDatabase.newJobInstance(jdbc);
        ledger.stage(instance,
                IntStream.rangeClosed(1, users)
                    .mapToObj(line -> new ExportUser(0, EXPORT.keyPrefix() + "a.zip", line, "C-" + line))
                    .toList());
        SyncRequest request = new SyncRequest(EXPORT, List.of("vip"), null, mode, IdentifierSource.EXTERNAL_ID, null);
        return new JobExecution(1L, new JobInstance(instance, SegmentSyncJobConfiguration.JOB_NAME),
                request.toJobParameters());
    }

}
