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
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.PackagedSync;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * The CronJob's {@code scan} and the REST API's {@code serve} as two processes of the packaged jar on one database,
 * both going after the same three exports at the same moment: each export is synced by exactly one of them, once,
 * and never by both at the same time.
 */
class ScanAndServeTogetherIT extends SyncTestSupport {

    private static final String BUCKET = "scan-and-serve";
    /** Three segments, one export each: the scan syncs each segment's newest export, the API is asked for all three. */
    private static final List<String> SEGMENTS = List.of("seg-both-a", "seg-both-b", "seg-both-c");
    private static final String OPERATOR_TOKEN = "operator-token-for-scan-and-serve-000";
    private static final int USERS_PER_EXPORT = 400;

    @Test
    void aScanAndTheRestApiLaunchingTheSameExportsSyncEachExactlyOnce() throws Exception {
        List<StorageLocation> exports = new ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            List<String> identifiers = IntStream.rangeClosed(1, USERS_PER_EXPORT).mapToObj(i -> "both-" + i).toList();
            exports.add(export(day, identifiers));
        }
        sessionm.latency(Duration.ofMillis(20));
        int port = freePort();
        Map<String, String> settings = settings();
        Map<String, String> serveSettings = new LinkedHashMap<>(settings);
        serveSettings.put("server.port", String.valueOf(port));
        serveSettings.put("api.operator-token", OPERATOR_TOKEN);
        serveSettings.put("api.max-concurrent-syncs", "3");
        PackagedSync serveJar = new PackagedSync(List.of(), List.of("serve"), serveSettings, Path.of("target", "scan-and-serve", "serve"));
        PackagedSync scanJar = new PackagedSync(List.of(), List.of("scan"), settings, Path.of("target", "scan-and-serve", "scan"));

        PackagedSync.Execution serve = serveJar.start("serve");
        try {
            awaitReady(port, serve);
            PackagedSync.Execution scan = scanJar.start("scan");
            // The scan takes the oldest export first; the API goes after all three while it does.
            awaitFirstExecution(exports.get(0), scan);
            List<Integer> answers = new ArrayList<>();
            for (StorageLocation export : exports) {
                answers.add(launch(port, export));
            }
            int scanExit = scan.awaitExit(Duration.ofMinutes(3));

            assertThat(scanExit).as(scan.output()).isEqualTo(ExitCode.COMPLETED.code());
            assertThat(answers).as("each launch started, found it completed, or found it running elsewhere")
                    .allMatch(status -> status == 202 || status == 200 || status == 409);
            awaitNoExecutionRunning();
            for (StorageLocation export : exports) {
                assertThat(executions(export, "COMPLETED")).as("completed executions of %s", export).isEqualTo(1);
                assertThat(executions(export, null)).as("executions of %s, by either process", export).isEqualTo(1);
            }
        } finally {
            serve.process().destroy();
            serve.awaitExit(Duration.ofSeconds(60));
        }
        assertThat(sessionm.stats().tagPosts()).as("one (customer, tag) per user of the three exports").hasSize(3 * USERS_PER_EXPORT);
        sessionm.stats().tagPosts().forEach(posts -> assertThat(posts.appliedPosts())
                .as("applied POSTs for %s", posts.identifier()).isEqualTo(1));
    }

    /** The export of segment {@code day}, with its own users, so that a user applied twice shows up as such. */
    private static StorageLocation export(int day, List<String> identifiers) {
        ExportFolder folder = new ExportFolder(SEGMENTS.get(day - 1), LocalDate.of(2026, 11, day), UUID.randomUUID(),
                1_764_000_000L + day * 86_400L);
        String[] users = identifiers.stream().map(id -> user(id + "-day" + day)).toArray(String[]::new);
        return folder.writeTo(s3, BUCKET, Map.of("part.zip", zip(lines(users))));
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>(serviceProperties());
        settings.put("scan.export-roots", "s3://" + BUCKET + "/");
        settings.put("scan.settle-time", "0s");
        for (int i = 0; i < SEGMENTS.size(); i++) {
            settings.put("scan.segments[" + i + "].segment-id", SEGMENTS.get(i));
            settings.put("scan.segments[" + i + "].tags", "vip");
            settings.put("scan.segments[" + i + "].mode", "api");
        }
        settings.put("sessionm.request-timeout", "10s");
        return settings;
    }

    private static int launch(int port, StorageLocation export) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/syncs"))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"export\":\"" + export.uri() + "\"}")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void awaitReady(int port, PackagedSync.Execution serve) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(serve.isAlive()).as(serve.output()).isTrue();
            try {
                HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build();
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the server is still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("serve did not become ready:\n" + serve.output());
    }

    private static void awaitFirstExecution(StorageLocation export, PackagedSync.Execution scan) throws InterruptedException {
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
                WHERE p.parameter_name = 'export' AND p.parameter_value LIKE ? AND e.end_time IS NULL""",
                Long.class, "s3://" + BUCKET + "/%");
    }

    /** Executions of the sync of {@code export}, all of them or those with {@code status}. */
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
