package com.loyaltybridge.tagsync.scan;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * {@code scan}, the CronJob's command, against PostgreSQL, s3proxy and the SessionM
 * simulator: it syncs the newest complete export of a segment when it was not synced
 * before, and never an older one; restarts a failed one up to the attempt limit; and two
 * scans at once never run one export twice.
 */
class ScanIT extends SyncTestSupport {

    private static final long DAY = 86_400;

    @Test
    void syncsTheNewestCompleteExportOnlyAndReportsTheOlderOnesNeverSyncedAsSuperseded() {
        String bucket = "scan-complete";
        String segment = "seg-complete";
        StorageLocation syncedBefore = export(bucket, segment, 1, 1_764_000_000L, 1, 5);
        StorageLocation older = export(bucket, segment, 2, 1_764_100_000L, 11, 15);
        StorageLocation newer = export(bucket, segment, 3, 1_764_100_000L + DAY, 21, 25);
        StorageLocation unsettled = export(bucket, segment, 4, 1_764_100_000L + 2 * DAY, 31, 35);
        assertThat(sync("sync", "--export=" + syncedBefore.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        markReady(segment, older);
        markReady(segment, newer);
        int postsBefore = sessionm.postCount();

        Run scan = run(scanSettings(bucket, segment, "1h", 3), "scan");

        assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(scan.stdout()).containsSubsequence(older.uri() + ": superseded by the newer export",
                newer.uri() + ": completed", unsettled.uri() + ": not complete yet",
                "scan: 1 synced now, 1 synced before, 2 not synced now (1 superseded)");
        assertThat(sessionm.postCount() - postsBefore).as("the members entering with the newest complete export only")
            .isEqualTo(5);
        assertTaggedOnce(21, 25);
        assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, "C-11")).as("superseded: never sent").isEmpty();
        assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, "C-31")).as("not complete: not sent yet").isEmpty();

        Run settled = run(scanSettings(bucket, segment, "0s", 3), "scan");

        assertThat(settled.exitCode()).as(settled.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(settled.stdout()).contains(older.uri() + ": superseded")
            .doesNotContain(newer.uri())
            .contains(unsettled.uri() + ": completed")
            .contains("1 synced now, 2 synced before, 1 not synced now (1 superseded)");
        assertThat(sessionm.postCount() - postsBefore).as("nothing synced before is sent again").isEqualTo(10);
        assertTaggedOnce(1, 5);
        assertTaggedOnce(21, 25);
        assertTaggedOnce(31, 35);
        assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, "C-11")).isEmpty();
    }

    @Test
    void restartsAFailedSyncUntilTheAttemptLimitThenLeavesItForAPerson() {
        String bucket = "scan-retry";
        String segment = "seg-retry";
        StorageLocation export = export(bucket, segment, 1, 1_764_000_000L, 101, 110);
        Map<String, String> settings = new LinkedHashMap<>(scanSettings(bucket, segment, "0s", 2));
        settings.put("sessionm.max-retries", "0");
        Fault[] down = new Fault[100];
        Arrays.fill(down, Fault.status(503));

        sessionm.enqueue(down);
        Run first = run(settings, "scan");
        sessionm.clearFaults();
        sessionm.enqueue(down);
        Run second = run(settings, "scan");
        sessionm.clearFaults();
        Run third = run(settings, "scan");

        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(first.stdout()).contains(export.uri() + ": failed");
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(second.stdout()).contains(export.uri() + ": failed");
        assertThat(third.exitCode()).as("left for a person is a failure of the scan: " + third)
            .isEqualTo(ExitCode.FAILED);
        assertThat(third.stdout()).contains(export.uri() + ": ended FAILED after 2 executions (scan.max-attempts=2")
            .contains("left for a person");
        assertThat(executionsOf(export)).isEqualTo(2);
        assertThat(sessionm.appliedCounts(IdentifierType.EXTERNAL_ID, "C-101")).isEmpty();

        settings.put("scan.max-attempts", "3");
        Run fourth = run(settings, "scan");

        assertThat(fourth.exitCode()).as(fourth.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(fourth.stdout()).contains(export.uri() + ": completed");
        assertThat(executionsOf(export)).isEqualTo(3);
        for (int i = 101; i <= 110; i++) {
            assertThat(sessionm.appliedCounts(IdentifierType.EXTERNAL_ID, "C-" + i)).as("C-" + i)
                .isEqualTo(Map.of("vip", 1));
        }
    }

    @Test
    void twoScansAtOnceNeverRunTheSameExportTwice() {
        String bucket = "scan-twice";
        String segment = "seg-twice";
        StorageLocation older = export(bucket, segment, 1, 1_764_000_000L, 201, 230);
        StorageLocation newest = export(bucket, segment, 2, 1_764_000_000L + DAY, 231, 260);
        sessionm.latency(Duration.ofMillis(100));
        Map<String, String> settings = new LinkedHashMap<>(scanSettings(bucket, segment, "0s", 3));
        settings.put("sessionm.max-in-flight", "2");

        CompletableFuture<Run> one = CompletableFuture.supplyAsync(() -> run(settings, "scan"));
        // The second starts once the first runs a sync: two applications starting at once
        // in one JVM race on the
        // logging system, which separate CronJob pods do not share.
        awaitFirstSync(newest, one);
        CompletableFuture<Run> two = CompletableFuture.supplyAsync(() -> run(settings, "scan"));
        Run a = one.join();
        Run b = two.join();

        assertThat(a.exitCode()).as(a.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(b.exitCode()).as(b.toString()).isEqualTo(ExitCode.COMPLETED);
        assertTaggedOnce(231, 260);
        assertThat(executionsOf(newest)).as("one execution, by one of the scans").isEqualTo(1);
        assertThat(a.stdout() + b.stdout()).containsOnlyOnce(newest.uri() + ": completed (execution");
        assertThat(a.stdout()).contains(older.uri() + ": superseded");
        assertThat(b.stdout()).contains(older.uri() + ": superseded");
        assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, "C-201")).isEmpty();
    }

    @Test
    void refusesToStartWithoutSegmentMappingsOrWithABrokenOne() {
        Run none = run(Map.of("scan.export-roots", "s3://braze-exports/"), "scan");
        Run broken = run(Map.of("scan.export-roots", "s3://braze-exports/", "scan.segments[0].segment-id", "x",
                "scan.segments[0].tags", "vip", "scan.segments[0].mode", "sometimes"), "scan");
        Run withOption = run(Map.of(), "scan", "--segment=x");

        assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(none.stderr()).contains("scan has no segment mappings");
        assertThat(broken.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(broken.stderr()).contains("segment x: 'sometimes' is not a mode");
        assertThat(withOption.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(withOption.stderr()).contains("unknown option --segment for command scan");
    }

    private static StorageLocation export(String bucket, String segment, int day, long epoch, int fromUser,
            int toUser) {
        ExportFolder folder = new ExportFolder(segment, LocalDate.of(2026, 11, day), UUID.randomUUID(), epoch);
        return folder.writeTo(s3, bucket, Map.of("part.zip", zip(lines(users(fromUser, toUser)))));
    }

    static String[] users(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> user("C-" + i)).toArray(String[]::new);
    }

    private static Map<String, String> scanSettings(String bucket, String segment, String settleTime, int maxAttempts) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("scan.export-roots", "s3://" + bucket + "/");
        settings.put("scan.settle-time", settleTime);
        settings.put("scan.max-attempts", String.valueOf(maxAttempts));
        settings.put("scan.segments[0].segment-id", segment);
        settings.put("scan.segments[0].tags", "vip");
        settings.put("scan.segments[0].mode", "api");
        // A loaded machine must not turn a slow answer into an unknown outcome: these
        // tests are about scanning.
        settings.put("sessionm.request-timeout", "10s");
        return settings;
    }

    private static void markReady(String segment, StorageLocation export) {
        jdbc.update("INSERT INTO sync_export_ready (export_location, segment_id, received_at) VALUES (?, ?, now())",
                export.uri(), segment);
    }

    private static void awaitFirstSync(StorageLocation export, CompletableFuture<Run> scan) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!scan.isDone() && jdbc.queryForObject("""
                SELECT count(*) FROM batch_job_execution e
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                WHERE p.parameter_name = 'export' AND p.parameter_value = ?""", Integer.class, export.uri()) == 0) {
            assertThat(System.nanoTime()).as("the first scan starts a sync").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static int executionsOf(StorageLocation export) {
        return jdbc.queryForObject("SELECT count(*) FROM batch_job_execution WHERE job_instance_id = ?", Integer.class,
                jobInstanceOf(export));
    }

    private static void assertTaggedOnce(int from, int to) {
        for (int i = from; i <= to; i++) {
            String id = "C-" + i;
            assertThat(sessionm.appliedCounts(IdentifierType.EXTERNAL_ID, id)).as(id).isEqualTo(Map.of("vip", 1));
            assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, id)).as("POSTs for %s", id).hasSize(1);
        }
    }

}
