package com.loyaltybridge.tagsync.scan;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.PackagedSync;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * The CronJob's {@code scan}, the REST API's {@code serve} and {@code sync} by hand as
 * processes of the packaged jar on one database, going after exports of one audience at
 * the same moment: two exports of an audience never run at once (the second is refused:
 * 409, exit 4, or "running elsewhere" in the scan, and sends nothing), the newest export
 * is synced exactly once, and an older one never after it.
 */
class ScanAndServeTogetherIT extends SyncTestSupport {

    private static final String BUCKET = "scan-and-serve";

    private static final String SEGMENT = "seg-both";

    private static final String MIXED_SEGMENT = "seg-mixed";

    private static final String OPERATOR_TOKEN = "operator-token-for-scan-and-serve-000";

    private static final int USERS_PER_EXPORT = 400;

    @Test
    void aScanAndTheRestApiGoingAfterTheExportsOfOneSegmentAtOnceSyncOnlyTheNewestAndOnlyOnce() throws Exception {
        List<StorageLocation> exports = new ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            List<String> identifiers = IntStream.rangeClosed(1, USERS_PER_EXPORT).mapToObj(i -> "both-" + i).toList();
            exports.add(export(day, identifiers));
        }
        StorageLocation newest = exports.get(2);
        sessionm.latency(Duration.ofMillis(20));
        int port = freePort();
        Map<String, String> settings = settings(SEGMENT, "10s");
        PackagedSync serveJar = new PackagedSync(List.of(), List.of("serve"), serveSettings(settings, port),
                Path.of("target", "scan-and-serve", "serve"));
        PackagedSync scanJar = new PackagedSync(List.of(), List.of("scan"), settings,
                Path.of("target", "scan-and-serve", "scan"));

        PackagedSync.Execution serve = serveJar.start("serve");
        try {
            awaitReady(port, serve);
            PackagedSync.Execution scan = scanJar.start("scan");
            // The scan takes the newest export; the API goes after all three while it
            // syncs it.
            awaitFirstExecution(newest, scan);
            List<Integer> answers = new ArrayList<>();
            for (StorageLocation export : exports) {
                answers.add(launch(port, export).statusCode());
            }
            int scanExit = scan.awaitExit(Duration.ofMinutes(3));

            assertThat(scanExit).as(scan.output()).isEqualTo(ExitCode.COMPLETED.code());
            assertThat(scan.output()).contains(exports.get(0).uri() + ": superseded",
                    exports.get(1).uri() + ": superseded", newest.uri() + ": completed");
            assertThat(answers)
                .as("each launch found its audience running elsewhere, a newer export synced, or the newest"
                        + " completed")
                .allMatch(status -> status == 200 || status == 409);
            awaitNoExecutionRunning();
            assertThat(executions(newest, "COMPLETED")).as("completed executions of the newest export").isEqualTo(1);
            assertThat(executions(newest, null)).as("executions of the newest export, by either process").isEqualTo(1);
            assertThat(executions(exports.get(0), null)).as("the older exports are never synced").isZero();
            assertThat(executions(exports.get(1), null)).isZero();
        }
        finally {
            serve.process().destroy();
            serve.awaitExit(Duration.ofSeconds(60));
        }
        assertThat(sessionm.stats().tagPosts()).as("one (customer, tag) per user of the newest export")
            .hasSize(USERS_PER_EXPORT);
        sessionm.stats()
            .tagPosts()
            .forEach(posts -> assertThat(posts.appliedPosts()).as("applied POSTs for %s", posts.identifier())
                .isEqualTo(1));
        assertThat(sessionm.stats().tagPosts()).allMatch(posts -> posts.identifier().endsWith("-day3"));
    }

    @Test
    void whileOneExportOfAnAudienceRunsAnotherLaunchedByRestScanOrHandIsRefusedAndSendsNothing() throws Exception {
        List<String> members = IntStream.rangeClosed(1, 300).mapToObj(i -> "mixed-" + i).toList();
        List<String> entering = IntStream.rangeClosed(301, 310).mapToObj(i -> "mixed-" + i).toList();
        StorageLocation day1 = mixedExport(1, members);
        StorageLocation day2 = mixedExport(2, members);
        // Calls held at SessionM stay held until released: no timeout settles them while
        // the other launches come.
        Map<String, String> settings = settings(MIXED_SEGMENT, "180s");
        int port = freePort();
        PackagedSync serveJar = new PackagedSync(List.of(), List.of("serve"), serveSettings(settings, port),
                Path.of("target", "scan-and-serve", "mixed-serve"));
        PackagedSync byHand = new PackagedSync(List.of(),
                List.of("sync", "--export=" + day1.uri(), "--tags=vip", "--mode=api"), settings,
                Path.of("target", "scan-and-serve", "mixed-sync-day1"));
        PackagedSync scanJar = new PackagedSync(List.of(), List.of("scan"), settings,
                Path.of("target", "scan-and-serve", "mixed-scan"));
        sessionm.faultFor("mixed-1", Fault.hang());

        PackagedSync.Execution serve = serveJar.start("serve");
        try {
            awaitReady(port, serve);
            HttpResponse<String> running = launch(port, day2);
            assertThat(running.statusCode()).as(running.body()).isEqualTo(202);
            awaitHeldCall();

            PackagedSync.Execution sync = byHand.start("sync");
            PackagedSync.Execution scan = scanJar.start("scan");
            int syncExit = sync.awaitExit(Duration.ofMinutes(3));
            int scanExit = scan.awaitExit(Duration.ofMinutes(3));
            HttpResponse<String> older = launch(port, day1);

            assertThat(syncExit).as(sync.output()).isEqualTo(ExitCode.ALREADY_RUNNING.code());
            assertThat(sync.output())
                .contains("another process is running a sync of audience " + MIXED_SEGMENT + " right now");
            assertThat(scanExit).as(scan.output()).isEqualTo(ExitCode.COMPLETED.code());
            assertThat(scan.output())
                .contains(day2.uri() + ": running elsewhere: another process runs a sync of audience " + MIXED_SEGMENT)
                .contains(day1.uri() + ": superseded");
            assertThat(older.statusCode()).as(older.body()).isEqualTo(409);
            assertThat(executions(day1, null)).as("nothing ran for day 1").isZero();
            assertThat(executions(day2, null)).as("day 2 runs in serve alone").isEqualTo(1);

            sessionm.releaseHung();
            awaitNoExecutionRunning();
            assertThat(executions(day2, "COMPLETED")).isEqualTo(1);
        }
        finally {
            serve.process().destroy();
            serve.awaitExit(Duration.ofSeconds(60));
        }

        // The other way round: a sync by hand holds the audience, and the API and a scan
        // are refused.
        StorageLocation day3 = mixedExport(3, concat(members, entering));
        sessionm.faultFor("mixed-301", Fault.hang());
        PackagedSync day3ByHand = new PackagedSync(List.of(),
                List.of("sync", "--export=" + day3.uri(), "--tags=vip", "--mode=api"), settings,
                Path.of("target", "scan-and-serve", "mixed-sync-day3"));
        PackagedSync.Execution sync = day3ByHand.start("sync");
        awaitHeldCall();
        serve = serveJar.start("serve-again");
        try {
            awaitReady(port, serve);
            HttpResponse<String> refused = launch(port, day3);
            Run scan = run(settings, "scan");

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(refused.body()).contains("another process is running a sync of audience " + MIXED_SEGMENT);
            assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(ExitCode.COMPLETED);
            assertThat(scan.stdout()).contains(day3.uri() + ": running elsewhere");
            sessionm.releaseHung();
            assertThat(sync.awaitExit(Duration.ofMinutes(3))).as(sync.output()).isEqualTo(ExitCode.COMPLETED.code());
        }
        finally {
            sessionm.releaseHung();
            serve.process().destroy();
            serve.awaitExit(Duration.ofSeconds(60));
        }
        assertThat(executions(day3, null)).as("day 3 ran by hand alone").isEqualTo(1);
        assertAppliedExactlyOnce(concat(members, entering), "vip");
    }

    /**
     * Three days of one segment, each with its own users, so that a user applied twice
     * shows up as such.
     */
    private static StorageLocation export(int day, List<String> identifiers) {
        ExportFolder folder = new ExportFolder(SEGMENT, LocalDate.of(2026, 11, day), UUID.randomUUID(),
                1_764_000_000L + day * 86_400L);
        String[] users = identifiers.stream().map(id -> user(id + "-day" + day)).toArray(String[]::new);
        return folder.writeTo(s3, BUCKET, Map.of("part.zip", zip(lines(users))));
    }

    /**
     * Two days of another segment with the same members, and a third with some entering.
     */
    private static StorageLocation mixedExport(int day, List<String> identifiers) {
        ExportFolder folder = new ExportFolder(MIXED_SEGMENT, LocalDate.of(2026, 11, day), UUID.randomUUID(),
                1_764_000_000L + day * 86_400L);
        return folder.writeTo(s3, BUCKET,
                Map.of("part.zip", zip(lines(identifiers.stream().map(id -> user(id)).toArray(String[]::new)))));
    }

    private static Map<String, String> settings(String segment, String requestTimeout) {
        Map<String, String> settings = new LinkedHashMap<>(serviceProperties());
        settings.put("scan.export-roots", "s3://" + BUCKET + "/");
        settings.put("scan.settle-time", "0s");
        settings.put("scan.segments[0].segment-id", segment);
        settings.put("scan.segments[0].tags", "vip");
        settings.put("scan.segments[0].mode", "api");
        settings.put("sessionm.request-timeout", requestTimeout);
        return settings;
    }

    private static Map<String, String> serveSettings(Map<String, String> settings, int port) {
        Map<String, String> serveSettings = new LinkedHashMap<>(settings);
        serveSettings.put("server.port", String.valueOf(port));
        serveSettings.put("api.operator-token", OPERATOR_TOKEN);
        serveSettings.put("api.max-concurrent-syncs", "3");
        return serveSettings;
    }

    private static HttpResponse<String> launch(int port, StorageLocation export)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/syncs"))
            .header("Authorization", "Bearer " + OPERATOR_TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"export\":\"" + export.uri() + "\"}"))
            .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitHeldCall() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (sessionm.hungCount() == 0) {
            assertThat(System.nanoTime()).as("a call is held at SessionM").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static void awaitReady(int port, PackagedSync.Execution serve) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(serve.isAlive()).as(serve.output()).isTrue();
            try {
                HttpRequest ready = HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                    .build();
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notListeningYet) {
                // the server is still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("serve did not become ready:\n" + serve.output());
    }

    private static void awaitFirstExecution(StorageLocation export, PackagedSync.Execution scan)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (executions(export, null) == 0) {
            assertThat(scan.isAlive()).as(scan.output()).isTrue();
            assertThat(System.nanoTime()).as("the scan starts its first sync").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitNoExecutionRunning() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (runningExecutions() > 0) {
            assertThat(System.nanoTime()).as("every sync ends").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static long runningExecutions() {
        return jdbc.queryForObject("""
                SELECT count(*) FROM batch_job_execution e
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                WHERE p.parameter_name = 'export' AND p.parameter_value LIKE ? AND e.end_time IS NULL""", Long.class,
                "s3://" + BUCKET + "/%");
    }

    /**
     * Executions of the sync of {@code export}, all of them or those with {@code status}.
     */
    private static int executions(StorageLocation export, String status) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM batch_job_execution e
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                WHERE p.parameter_name = 'export' AND p.parameter_value = ? AND (?::text IS NULL OR e.status = ?)""",
                Integer.class, export.uri(), status, status);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
