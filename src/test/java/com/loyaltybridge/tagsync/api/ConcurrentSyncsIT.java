package com.loyaltybridge.tagsync.api;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.api.ApiServer.Answer;
import com.loyaltybridge.tagsync.api.ApiServer.Caller;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

import tools.jackson.databind.JsonNode;

/**
 * Several syncs launched through the REST API at once in one {@code serve} process, as
 * the data team does: each runs under its own PostgreSQL run lock, checks only that lock,
 * and completes with exact counts; a launch beyond {@code api.max-concurrent-syncs} is
 * refused before anything starts.
 */
class ConcurrentSyncsIT extends SyncTestSupport {

    private static final String BUCKET = "concurrent-exports";

    private static final String BULK_BUCKET = "concurrent-bulk";

    private static final int MAX_CONCURRENT_SYNCS = 3;

    private static ApiServer server;

    @BeforeAll
    static void startServer() {
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.put("scan.export-roots", "s3://" + BUCKET + "/");
        properties.put("api.max-concurrent-syncs", String.valueOf(MAX_CONCURRENT_SYNCS));
        properties.put("bulk-file.output", "s3://" + BULK_BUCKET + "/");
        properties.put("sessionm.max-in-flight", "8");
        // Calls held by the simulator stay held until released: no timeout settles them
        // behind the test's back.
        properties.put("sessionm.request-timeout", "60s");
        properties.put("sync.tagging-chunk-size", "200");
        server = ApiServer.start(properties);
        s3.createBucket(BULK_BUCKET);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /**
     * Whatever a test left running ends before the next one starts: each test has the
     * process's sync slots to itself.
     */
    @AfterEach
    void awaitNoSyncRunning() {
        sessionm.releaseHung();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (jdbc.queryForObject(
                """
                        SELECT count(*) FROM batch_job_execution e
                        JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id AND p.parameter_name = 'export'
                        WHERE e.end_time IS NULL AND p.parameter_value LIKE ?""",
                Long.class, "s3://" + BUCKET + "/%") > 0) {
            assertThat(System.nanoTime()).as("the test's syncs end").isLessThan(deadline);
            pause();
        }
    }

    @Test
    void twoApiSyncsLaunchedTogetherBothCompleteAndEveryUserGetsExactlyOnePost() {
        sessionm.latency(Duration.ofMillis(20));
        List<String> big = identifiers("big-", 4_000);
        List<String> small = identifiers("small-", 300);
        StorageLocation bigExport = export("two-big", big);
        StorageLocation smallExport = export("two-small", small);

        long bigId = launch(bigExport, "api");
        long smallId = launch(smallExport, "api");

        JsonNode smallRun = server.awaitStatus(smallId, "COMPLETED");
        JsonNode bigRun = server.awaitStatus(bigId, "COMPLETED");
        assertThat(smallRun.path("counts").path("tagged").asLong()).as(smallRun.toString()).isEqualTo(300);
        assertThat(bigRun.path("counts").path("tagged").asLong()).as(bigRun.toString()).isEqualTo(4_000);
        assertThat(bigRun.path("exitDescription").asString()).isEmpty();
        assertAppliedExactlyOnce(concat(big, small), "vip");
    }

    @Test
    void asManySyncsAsTheLimitAllowsRunAtOnceAndOneMoreIsRefusedWithNothingStarted() {
        List<List<String>> members = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int sync = 0; sync < MAX_CONCURRENT_SYNCS; sync++) {
            List<String> users = identifiers("limit" + sync + "-", 250);
            members.add(users);
            // Each sync's first call is held at SessionM: all of them are surely running
            // when one more comes.
            sessionm.faultFor(users.get(0), Fault.hang());
            ids.add(launch(export("limit-" + sync, users), "api"));
        }
        awaitHeldCalls(MAX_CONCURRENT_SYNCS);
        StorageLocation oneMore = export("limit-more", identifiers("more-", 10));

        Answer refused = server.post(Caller.OPERATOR, "/api/syncs", body(oneMore, "api"));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(executionsOf(oneMore)).as("nothing started for the refused launch").isZero();
        assertThat(sessionm.hungCount()).isEqualTo(MAX_CONCURRENT_SYNCS);

        sessionm.releaseHung();
        for (int sync = 0; sync < MAX_CONCURRENT_SYNCS; sync++) {
            JsonNode run = server.awaitStatus(ids.get(sync), "COMPLETED");
            assertThat(run.path("counts").path("tagged").asLong()).as(run.toString()).isEqualTo(250);
        }
        assertAppliedExactlyOnce(members.stream().flatMap(List::stream).toList(), "vip");
        assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, "more-1")).isEmpty();
    }

    @Test
    void apiAndCsvSyncsRunTogetherEachWithExactCounts() {
        sessionm.latency(Duration.ofMillis(10));
        List<String> first = identifiers("mixed-a-", 1_500);
        List<String> second = identifiers("mixed-b-", 700);
        List<String> bulk = identifiers("mixed-csv-", 20_000);

        long firstId = launch(export("mixed-api-a", first), "api");
        long bulkId = launch(export("mixed-csv", bulk), "csv");
        long secondId = launch(export("mixed-api-b", second), "api");

        assertThat(server.awaitStatus(bulkId, "COMPLETED").path("counts").path("bulkFileRows").asLong())
            .isEqualTo(20_000);
        assertThat(server.awaitStatus(firstId, "COMPLETED").path("counts").path("tagged").asLong()).isEqualTo(1_500);
        assertThat(server.awaitStatus(secondId, "COMPLETED").path("counts").path("tagged").asLong()).isEqualTo(700);
        assertAppliedExactlyOnce(concat(first, second), "vip");
    }

    @Test
    void losingOneSyncsRunLockStopsThatSyncOnlyAndItsRestartCompletesExactlyOnce() {
        sessionm.latency(Duration.ofMillis(15));
        List<String> doomed = identifiers("doomed-", 3_000);
        List<String> survivor = identifiers("survivor-", 3_000);
        long doomedId = launch(export("lock-doomed", doomed), "api");
        long survivorId = launch(export("lock-survivor", survivor), "api");
        awaitTagged(doomedId, 200);
        awaitTagged(survivorId, 200);

        assertThat(terminateRunLockConnectionOf(doomedId)).as("the doomed sync's lock connection was ended").isTrue();

        JsonNode failed = server.awaitStatus(doomedId, "FAILED");
        assertThat(failed.path("exitDescription").asString()).startsWith("lost the PostgreSQL lock")
            .doesNotContain("\n");
        assertThat(failed.path("counts").path("notYetTagged").asLong()).as("stopped before the end").isPositive();
        JsonNode survived = server.awaitStatus(survivorId, "COMPLETED");
        assertThat(survived.path("counts").path("tagged").asLong()).isEqualTo(3_000);

        Answer restarted = server.post(Caller.OPERATOR, "/api/executions/" + doomedId + "/restart", null);
        assertThat(restarted.status()).as(restarted.toString()).isEqualTo(202);
        JsonNode resumed = server.awaitStatus(restarted.json().path("executionId").asLong(), "COMPLETED");
        assertThat(resumed.path("counts").path("users").asLong()).isEqualTo(3_000);
        assertThat(resumed.path("counts").path("notYetTagged").asLong()).isZero();
        assertAppliedExactlyOnce(concat(doomed, survivor), "vip");
    }

    /**
     * Ends the PostgreSQL session that holds execution {@code id}'s run lock, as an
     * administrator's {@code pg_terminate_backend} would: the session the execution
     * recorded as its lock holder.
     */
    private static boolean terminateRunLockConnectionOf(long id) {
        String holder = jdbc.queryForObject("""
                SELECT parameter_value FROM batch_job_execution_params
                WHERE job_execution_id = ? AND parameter_name = 'runLock'""", String.class, id);
        int pid = Integer.parseInt(holder.split(":")[1]);
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, pid));
    }

    private static long launch(StorageLocation export, String mode) {
        Answer launched = server.post(Caller.OPERATOR, "/api/syncs", body(export, mode));
        assertThat(launched.status()).as(launched.toString()).isEqualTo(202);
        return launched.json().path("executionId").asLong();
    }

    private static String body(StorageLocation export, String mode) {
        return "{\"export\":\"" + export.uri() + "\",\"tags\":[\"vip\"],\"ttl\":86400,\"mode\":\"" + mode + "\"}";
    }

    private static long executionsOf(StorageLocation export) {
        return jdbc.queryForObject(
                """
                        SELECT count(*) FROM batch_job_execution_params WHERE parameter_name = 'export' AND parameter_value = ?""",
                Long.class, export.uri());
    }

    private static void awaitHeldCalls(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sessionm.hungCount() < count) {
            assertThat(System.nanoTime()).as("%d calls held at SessionM", count).isLessThan(deadline);
            pause();
        }
    }

    private static void awaitTagged(long id, long users) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (server.get(Caller.VIEWER, "/api/executions/" + id)
            .json()
            .path("counts")
            .path("tagged")
            .asLong() < users) {
            assertThat(System.nanoTime()).as("execution %d tags %d users", id, users).isLessThan(deadline);
            pause();
        }
    }

    private static StorageLocation export(String segment, List<String> identifiers) {
        List<String> users = identifiers.stream().map(id -> user(id)).toList();
        int half = users.size() / 2;
        return ExportFolder.of(segment)
            .writeTo(s3, BUCKET, Map.of("a.zip", zip(lines(users.subList(0, half).toArray(String[]::new))), "b.zip",
                    zip(lines(users.subList(half, users.size()).toArray(String[]::new)))));
    }

    private static List<String> identifiers(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).toList();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
