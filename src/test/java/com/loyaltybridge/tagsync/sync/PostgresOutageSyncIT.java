package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.users;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.PrivatePostgres;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * PostgreSQL going away in the middle of tagging, on a server of this test's own: the run
 * stops with one clear line (never sending on without its ledger or its run lock), and
 * the same command run again tags every user exactly once.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresOutageSyncIT extends SyncTestSupport {

    private static final int USERS = 800;

    private static final String PASSWORD = "outage-db-password";

    private static PrivatePostgres postgres;

    @BeforeAll
    static void startPrivatePostgres() {
        postgres = PrivatePostgres.start();
    }

    @AfterAll
    static void stopPrivatePostgres() throws IOException {
        postgres.close();
    }

    @Test
    void aServerThatStopsAndComesBackMidRunStopsTheRunAndARestartTagsEveryUserOnce(CapturedOutput output) {
        StorageLocation export = export("restart");
        CompletableFuture<Void> outage = strikeWhen(() -> sessionm.postCount() >= 200, () -> {
            postgres.stop();
            pause(Duration.ofSeconds(2));
            postgres.startAgain();
        });

        Run interrupted = sync(export);

        assertThat(outage).succeedsWithin(Duration.ofSeconds(30));
        assertStoppedWithOneClearLine(interrupted, output, "PostgreSQL");
        resumeAndAssertEveryUserTaggedOnce(export);
    }

    @Test
    void terminatedConnectionsStopTheRunAndARestartTagsEveryUserOnce(CapturedOutput output) {
        StorageLocation export = export("terminate");

        syncUntilConnectionsAreTerminated(export, output);

        resumeAndAssertEveryUserTaggedOnce(export);
    }

    @Test
    void losingOnlyTheRunLockStopsSendingSoThatNoOtherProcessCanSendTheSameUsers(CapturedOutput output) {
        StorageLocation export = export("lock");
        int[] postsAtLoss = new int[1];
        CompletableFuture<Void> lockLost = strikeWhen(() -> sessionm.postCount() >= 200, () -> {
            assertThat(postgres.terminateAdvisoryLockHolders()).isEqualTo(1);
            postsAtLoss[0] = sessionm.postCount();
        });

        Run interrupted = sync(export);

        assertThat(lockLost).succeedsWithin(Duration.ofSeconds(30));
        assertStoppedWithOneClearLine(interrupted, output, "failure");
        assertThat(interrupted.stdout()).contains("lost the PostgreSQL lock that keeps other processes off this sync");
        assertThat(sessionm.postCount() - postsAtLoss[0])
            .as("POSTs after the lock was lost: at most the calls under"
                    + " way and the batch of intents committed ahead of them")
            .isLessThanOrEqualTo(4 + 8);
        resumeAndAssertEveryUserTaggedOnce(export);
    }

    @Test
    void aStepLeftStartedByARunWhoseLastUpdatesWereLostIsResumed(CapturedOutput output) {
        StorageLocation export = export("step-left-started");
        syncUntilConnectionsAreTerminated(export, output);
        // What the run leaves when the connection dies before the step's own end is
        // written, not only its chunk's.
        long instance = jobInstanceOf(postgres.jdbc(), export);
        assertThat(postgres.jdbc()
            .update("UPDATE batch_step_execution SET status = 'STARTED', end_time = NULL"
                    + " WHERE step_name = 'tagUsers' AND job_execution_id IN"
                    + " (SELECT job_execution_id FROM batch_job_execution WHERE job_instance_id = ?)", instance))
            .isOne();

        resumeAndAssertEveryUserTaggedOnce(export);
    }

    /**
     * Runs the sync and kills every PostgreSQL connection once 200 POSTs went out: the
     * run stops with one line.
     */
    private void syncUntilConnectionsAreTerminated(StorageLocation export, CapturedOutput output) {
        CompletableFuture<Void> outage = strikeWhen(() -> sessionm.postCount() >= 200,
                () -> assertThat(postgres.terminateConnections()).isPositive());

        Run interrupted = sync(export);

        assertThat(outage).succeedsWithin(Duration.ofSeconds(30));
        assertStoppedWithOneClearLine(interrupted, output, "PostgreSQL");
    }

    private Run sync(StorageLocation export) {
        sessionm.latency(Duration.ofMillis(10));
        return run(settings(), "sync", "--export=" + export.uri(), "--tags=vip,braze_sync", "--ttl=86400",
                "--mode=api");
    }

    private void resumeAndAssertEveryUserTaggedOnce(StorageLocation export) {
        sessionm.latency(Duration.ZERO);
        Run resumed = run(settings(), "sync", "--export=" + export.uri(), "--tags=vip,braze_sync", "--ttl=86400",
                "--mode=api");

        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(resumed.stdout()).containsPattern("users\\s+" + USERS + "\\n");
        assertAppliedExactlyOnce(IntStream.rangeClosed(1, USERS).mapToObj(i -> "C-" + i).toList(), "vip", "braze_sync");
        assertThat(postgres.jdbc()
            .queryForList("SELECT DISTINCT state FROM sync_user WHERE job_instance_id = ?", String.class,
                    jobInstanceOf(postgres.jdbc(), export)))
            .isSubsetOf(List.of("TAGGED", "ALREADY_TAGGED"));
    }

    private static void assertStoppedWithOneClearLine(Run run, CapturedOutput output, String expected) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(run.stdout() + run.stderr()).contains(expected);
        assertThat(output.getAll()).as("no stack trace on the console").doesNotContain("\tat ");
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>(postgres.springProperties(PASSWORD));
        settings.put("sync.tagging-chunk-size", "100");
        settings.put("sync.intent-batch-size", "8");
        return settings;
    }

    private static StorageLocation export(String segment) {
        return ExportFolder.of(segment)
            .writeTo(s3, "braze-exports",
                    Map.of("a.zip", zip(lines(users(1, USERS / 2))), "b.gz", gzip(lines(users(USERS / 2 + 1, USERS)))));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
