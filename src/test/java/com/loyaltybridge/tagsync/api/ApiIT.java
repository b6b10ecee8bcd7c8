package com.loyaltybridge.tagsync.api;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.api.ApiServer.Answer;
import com.loyaltybridge.tagsync.api.ApiServer.Caller;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;
import com.loyaltybridge.tagsync.sync.SyncStep;

import tools.jackson.databind.JsonNode;

/**
 * The REST API ({@code serve}) over HTTP, with its three clients, against PostgreSQL,
 * s3proxy and the SessionM simulator: every endpoint allowed, forbidden and
 * unauthenticated; launches, conflicts, restarts, stops, abandons; the Braze callback;
 * rejected users as JSON and CSV; metrics after a run.
 */
class ApiIT extends SyncTestSupport {

    private static final String BUCKET = "api-exports";

    private static ApiServer server;

    @BeforeAll
    static void startServer() {
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.put("scan.export-roots", "s3://" + BUCKET + "/");
        properties.put("scan.settle-time", "1h");
        properties.put("sync.tagging-chunk-size", "5");
        properties.put("sync.staging-chunk-size", "20");
        properties.put("bulk-file.output", "s3://api-bulk/");
        properties.put("sessionm.max-retries", "0");
        properties.put("sessionm.request-timeout", "10s");
        String[] segments = { "api-launch", "api-running", "api-rejects", "api-callback", "api-failing" };
        for (int i = 0; i < segments.length; i++) {
            properties.put("scan.segments[" + i + "].segment-id", segments[i]);
            properties.put("scan.segments[" + i + "].tags", "vip");
            properties.put("scan.segments[" + i + "].mode", "api");
        }
        server = ApiServer.start(properties);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void healthIsOpenAndEveryOtherEndpointNeedsAClientWithTheRightRole() {
        assertThat(server.get(Caller.ANONYMOUS, "/actuator/health/liveness").status()).isEqualTo(200);
        Answer readiness = server.get(Caller.ANONYMOUS, "/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"UP\"");

        assertThat(server.get(Caller.ANONYMOUS, "/api/executions").status()).isEqualTo(401);
        assertThat(server.get(Caller.ANONYMOUS, "/actuator/prometheus").status()).isEqualTo(401);
        assertThat(server.get(Caller.ANONYMOUS, "/v3/api-docs").status()).isEqualTo(401);
        assertThat(server.get(Caller.bearer("not-a-token-of-any-client-000"), "/api/executions").status())
            .isEqualTo(401);
        assertThat(server.get(Caller.basic("viewer", ApiServer.OPERATOR_TOKEN), "/api/executions").status())
            .as("a secret only works with its own client name")
            .isEqualTo(401);

        assertThat(server.get(Caller.VIEWER, "/api/executions").status()).isEqualTo(200);
        assertThat(server.get(Caller.basic("viewer", ApiServer.VIEWER_TOKEN), "/api/executions").status())
            .isEqualTo(200);
        assertThat(server.get(Caller.OPERATOR, "/api/executions").status()).as("an operator also reads").isEqualTo(200);
        assertThat(server.get(Caller.BRAZE, "/api/executions").status()).as("braze only calls back").isEqualTo(403);
        assertThat(server.post(Caller.VIEWER, "/api/syncs", "{\"segment\":\"api-launch\"}").status()).isEqualTo(403);
        assertThat(server.post(Caller.BRAZE, "/api/syncs", "{\"segment\":\"api-launch\"}").status()).isEqualTo(403);
        assertThat(server.post(Caller.VIEWER, "/api/executions/1/stop", null).status()).isEqualTo(403);
        assertThat(server.post(Caller.VIEWER, "/api/executions/1/restart", null).status()).isEqualTo(403);
        assertThat(server.post(Caller.VIEWER, "/api/executions/1/abandon", null).status()).isEqualTo(403);
        assertThat(
                server.post(Caller.VIEWER, "/api/braze/export-callbacks/api-callback", "{\"success\":true}").status())
            .isEqualTo(403);

        Answer openApi = server.get(Caller.VIEWER, "/v3/api-docs");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.json().path("paths").propertyNames()).contains("/api/syncs", "/api/executions",
                "/api/executions/{id}", "/api/executions/{id}/restart", "/api/executions/{id}/stop",
                "/api/executions/{id}/abandon", "/api/executions/{id}/rejected-users",
                "/api/executions/{id}/rejected-users.csv", "/api/braze/export-callbacks/{segmentId}");
    }

    @Test
    void anOperatorLaunchesAnExportAndALaunchAfterItCompletedAnswersWithTheEarlierExecution() {
        StorageLocation export = export("api-launch", users(1, 12));

        Answer launched = server.post(Caller.OPERATOR, "/api/syncs", "{\"export\":\"" + export.uri() + "\"}");

        assertThat(launched.status()).as(launched.toString()).isEqualTo(202);
        long id = launched.json().path("executionId").asLong();
        assertThat(launched.header("Location")).isEqualTo("/api/executions/" + id);
        JsonNode execution = server.awaitStatus(id, "COMPLETED");
        assertThat(execution.path("segmentId").asString()).isEqualTo("api-launch");
        assertThat(execution.path("counts").path("tagged").asLong()).isEqualTo(12);
        assertThat(execution.path("progressPercent").asDouble()).isEqualTo(100.0);
        assertThat(execution.path("steps").findValuesAsString("name")).containsExactly(SyncStep.OPEN_PLAN.stepName(),
                SyncStep.LIST_EXPORT_OBJECTS.stepName(), SyncStep.STAGE_USERS.stepName(),
                SyncStep.REMOVE_DUPLICATE_USERS.stepName(), SyncStep.PLAN_AUDIENCE.stepName(),
                SyncStep.TAG_USERS.stepName(), SyncStep.UPDATE_AUDIENCE.stepName());
        JsonNode pace = execution.path("sessionm");
        assertThat(pace.path("requests").asLong()).as("SessionM's traffic while it tagged: " + pace)
            .isGreaterThanOrEqualTo(12);
        assertThat(pace.path("inFlightCap").asInt()).isEqualTo(4);
        assertThat(pace.path("inFlightLimit").asInt()).isBetween(1, 4);
        assertThat(pace.path("latencyP50Millis").isIntegralNumber()).as(pace.toString()).isTrue();
        assertThat(pace.path("heldBackBy").asString()).isIn("rate_limit", "in_flight_cap", "sessionm_strain",
                "limit_growing", "nothing");
        for (int i = 1; i <= 12; i++) {
            assertThat(sessionm.appliedCounts(IdentifierType.EXTERNAL_ID, "C-" + i)).isEqualTo(Map.of("vip", 1));
        }

        Answer again = server.post(Caller.OPERATOR, "/api/syncs", "{\"export\":\"" + export.uri() + "\"}");

        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("id").asLong()).isEqualTo(id);
        assertThat(sessionm.postCount()).as("nothing sent again").isEqualTo(12);

        JsonNode listed = server.get(Caller.VIEWER, "/api/executions?segment=api-launch&status=COMPLETED&size=1000")
            .json();
        assertThat(listed.path("items").findValuesAsString("export")).containsOnlyOnce(export.uri());
        assertThat(listed.path("items").findValuesAsString("segmentId")).containsOnly("api-launch");
        assertThat(listed.path("items").findValuesAsString("status")).containsOnly("COMPLETED");
        assertThat(server.get(Caller.VIEWER, "/api/executions?segment=api-launch&from=2999-01-01T00:00:00Z")
            .json()
            .path("total")
            .asLong()).isZero();
    }

    @Test
    void aLaunchOfARunningSyncAnswers409AndAStoppedSyncRestartsWhereItStopped() {
        StorageLocation export = export("api-running", users(101, 140));
        sessionm.latency(Duration.ofMillis(150));
        String body = "{\"export\":\"" + export.uri() + "\"}";

        long id = server.post(Caller.OPERATOR, "/api/syncs", body).json().path("executionId").asLong();
        Answer conflict = server.post(Caller.OPERATOR, "/api/syncs", body);
        awaitTagging(id);
        Answer stop = server.post(Caller.OPERATOR, "/api/executions/" + id + "/stop", null);

        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
        assertThat(conflict.json().path("detail").asString()).contains("another process is running");
        assertThat(stop.status()).as(stop.toString()).isEqualTo(202);
        JsonNode stopped = server.awaitStatus(id, "STOPPED");
        assertThat(stopped.path("counts").path("notYetTagged").asLong()).as("stopped before the end: " + stopped)
            .isPositive();

        sessionm.latency(Duration.ZERO);
        Answer restarted = restartOnceReleased(id);

        assertThat(restarted.status()).as(restarted.toString()).isEqualTo(202);
        long second = restarted.json().path("executionId").asLong();
        assertThat(second).isNotEqualTo(id);
        assertThat(server.awaitStatus(second, "COMPLETED").path("counts").path("tagged").asLong()).isEqualTo(40);
        for (int i = 101; i <= 140; i++) {
            assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, "C-" + i)).as("C-" + i).hasSize(1);
        }
    }

    @Test
    void aSyncStoppedWhileStagingResumesAtTheLineItReached() {
        s3.createBucket("api-bulk");
        StorageLocation export = export("api-staging", users(10_001, 12_000));
        String body = "{\"export\":\"" + export.uri() + "\",\"tags\":[\"vip\"],\"mode\":\"csv\"}";

        long id = server.post(Caller.OPERATOR, "/api/syncs", body).json().path("executionId").asLong();
        awaitStep(id, SyncStep.STAGE_USERS.stepName());
        assertThat(server.post(Caller.OPERATOR, "/api/executions/" + id + "/stop", null).status()).isEqualTo(202);
        JsonNode stopped = server.awaitStatus(id, "STOPPED");

        assertThat(stopped.path("steps").findValuesAsString("status")).as("stopped while staging: " + stopped)
            .containsExactly("COMPLETED", "COMPLETED", "STOPPED");
        assertThat(stopped.path("counts").path("users").asLong()).isLessThan(2_000);
        Answer restarted = restartOnceReleased(id);
        assertThat(restarted.status()).as(restarted.toString()).isEqualTo(202);
        JsonNode completed = server.awaitStatus(restarted.json().path("executionId").asLong(), "COMPLETED");
        assertThat(completed.path("counts").path("users").asLong()).isEqualTo(2_000);
        assertThat(completed.path("counts").path("skippedLines").asLong()).as("no line read twice").isZero();
        assertThat(completed.path("counts").path("bulkFileRows").asLong()).isEqualTo(2_000);
    }

    @Test
    void aFailedExecutionCanBeRestartedOrAbandonedButNotBoth() {
        StorageLocation export = export("api-failing", users(201, 205));
        Fault[] down = new Fault[20];
        Arrays.fill(down, Fault.status(503));
        sessionm.enqueue(down);

        long first = server.post(Caller.OPERATOR, "/api/syncs", "{\"export\":\"" + export.uri() + "\"}")
            .json()
            .path("executionId")
            .asLong();
        assertThat(server.awaitStatus(first, "FAILED").path("exitDescription").asString()).contains("SessionM");
        long second = server.post(Caller.OPERATOR, "/api/executions/" + first + "/restart", null)
            .json()
            .path("executionId")
            .asLong();
        server.awaitStatus(second, "FAILED");

        Answer restartOfOlder = server.post(Caller.OPERATOR, "/api/executions/" + first + "/restart", null);
        Answer abandoned = server.post(Caller.OPERATOR, "/api/executions/" + second + "/abandon", null);
        Answer restartOfAbandoned = server.post(Caller.OPERATOR, "/api/executions/" + second + "/restart", null);

        assertThat(restartOfOlder.status()).as(restartOfOlder.toString()).isEqualTo(409);
        assertThat(abandoned.status()).as(abandoned.toString()).isEqualTo(200);
        assertThat(abandoned.json().path("status").asString()).isEqualTo("ABANDONED");
        assertThat(restartOfAbandoned.status()).isEqualTo(409);
        assertThat(server.post(Caller.OPERATOR, "/api/executions/" + second + "/stop", null).status()).isEqualTo(409);
    }

    @Test
    void badRequestsAnswer400NamingTheFieldAndUnknownIds404() {
        String foreign = "s3://other-bucket/segment-export/api-launch/2026-11-28/" + UUID.randomUUID() + "-1764288000/";
        String misplaced = "s3://" + BUCKET + "/elsewhere/api-launch/2026-11-28/" + UUID.randomUUID() + "-1764288000/";
        String valid = "s3://" + BUCKET + "/segment-export/api-launch/2026-11-28/" + UUID.randomUUID() + "-1764288000/";

        assertField(server.post(Caller.OPERATOR, "/api/syncs", "{\"export\":\"" + foreign + "\"}"), "export");
        assertField(server.post(Caller.OPERATOR, "/api/syncs", "{\"export\":\"" + misplaced + "\"}"), "export");
        assertField(server.post(Caller.OPERATOR, "/api/syncs", "{\"export\":\"https://example.com/export/\"}"),
                "export");
        assertField(server.post(Caller.OPERATOR, "/api/syncs", "{}"), "export");
        assertField(server.post(Caller.OPERATOR, "/api/syncs",
                "{\"export\":\"" + valid + "\",\"tags\":[\"vip\"],\"ttl\":-5}"), "ttl");
        assertField(server.post(Caller.OPERATOR, "/api/syncs",
                "{\"export\":\"" + valid + "\",\"tags\":[\"vip\"],\"mode\":\"fast\"}"), "mode");
        assertField(server.post(Caller.OPERATOR, "/api/syncs", "{\"export\":\"" + valid + "\",\"tags\":[]}"), "tags");
        assertField(server.post(Caller.OPERATOR, "/api/syncs", "{\"segment\":\"not-configured\"}"), "segment");
        assertField(server.post(Caller.OPERATOR, "/api/syncs", "not json"), "body");
        assertField(server.get(Caller.VIEWER, "/api/executions?status=BOGUS"), "status");
        assertField(server.get(Caller.VIEWER, "/api/executions?size=0"), "size");

        assertThat(server.get(Caller.VIEWER, "/api/executions/987654321").status()).isEqualTo(404);
        assertThat(server.get(Caller.VIEWER, "/api/executions/987654321/rejected-users").status()).isEqualTo(404);
        assertThat(server.post(Caller.OPERATOR, "/api/executions/987654321/restart", null).status()).isEqualTo(404);
        assertThat(server.post(Caller.OPERATOR, "/api/syncs", "{\"segment\":\"api-rejects\"}").status())
            .as("a configured segment without a complete export")
            .isEqualTo(404);
        assertThat(
                server.post(Caller.BRAZE, "/api/braze/export-callbacks/not-configured", "{\"success\":true}").status())
            .isEqualTo(404);
    }

    @Test
    void rejectedUsersAndSkippedLinesArePagedAsJsonAndDownloadableAsCsv() {
        List<String> lines = new ArrayList<>(List.of(users(301, 306)));
        lines.add("{not json");
        StorageLocation export = export("api-rejects", lines.toArray(String[]::new));
        sessionm.faultFor("C-302", Fault.errorBody("requires_registered_user"));
        sessionm.faultFor("C-305", Fault.errorBody("user_not_found"));

        long id = server.post(Caller.OPERATOR, "/api/syncs", "{\"export\":\"" + export.uri() + "\"}")
            .json()
            .path("executionId")
            .asLong();
        JsonNode execution = server.awaitStatus(id, "COMPLETED");

        assertThat(execution.path("counts").path("rejected").asLong()).isEqualTo(2);
        assertThat(execution.path("rejectedByCode").path("user_not_found").asLong()).isEqualTo(1);
        assertThat(execution.path("skippedByReason").path("invalid_json").asLong()).isEqualTo(1);
        JsonNode page = server.get(Caller.VIEWER, "/api/executions/" + id + "/rejected-users?size=1&page=1").json();
        assertThat(page.path("total").asLong()).isEqualTo(2);
        assertThat(page.path("items").findValuesAsString("identifier")).containsExactly("C-305");
        assertThat(page.path("items").get(0).path("code").asString()).isEqualTo("user_not_found");

        Answer csv = server.get(Caller.VIEWER, "/api/executions/" + id + "/rejected-users.csv");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("attachment")
            .contains("execution-" + id + "-rejected-users.csv");
        List<String> rows = csv.body().lines().toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).isEqualTo("identifier,http_status,code,message,at");
        assertThat(rows.get(1)).startsWith("C-302,200,requires_registered_user,");
        assertThat(rows.get(2)).startsWith("C-305,200,user_not_found,");

        JsonNode skipped = server.get(Caller.VIEWER, "/api/executions/" + id + "/skipped-lines").json();
        assertThat(skipped.path("items").findValuesAsString("reason")).containsExactly("invalid_json");
        assertThat(skipped.path("items").get(0).path("lineNumber").asLong()).isEqualTo(7);
        assertThat(server.get(Caller.VIEWER, "/api/executions/" + id + "/skipped-lines.csv").body().lines()).hasSize(2)
            .element(1)
            .asString()
            .contains("part.zip,7,invalid_json,");

        String metrics = server.get(Caller.VIEWER, "/actuator/prometheus").body();
        assertThat(metric(metrics, "tagsync_users_total", "outcome=\"tagged\"", "segment=\"api-rejects\""))
            .isEqualTo(4.0);
        assertThat(metric(metrics, "tagsync_users_total", "outcome=\"read\"", "segment=\"api-rejects\""))
            .isEqualTo(6.0);
        assertThat(metric(metrics, "tagsync_users_total", "outcome=\"rejected\"", "segment=\"api-rejects\""))
            .isEqualTo(2.0);
        assertThat(
                metric(metrics, "tagsync_users_rejected_total", "code=\"user_not_found\"", "segment=\"api-rejects\""))
            .isEqualTo(1.0);
        assertThat(metric(metrics, "tagsync_lines_skipped_total", "reason=\"invalid_json\"", "segment=\"api-rejects\""))
            .isEqualTo(1.0);
        assertThat(metric(metrics, "tagsync_lines_read_total", "segment=\"api-rejects\"")).isEqualTo(7.0);
        assertThat(metric(metrics, "tagsync_sync_duration_seconds_count", "segment=\"api-rejects\"",
                "status=\"COMPLETED\""))
            .isEqualTo(1.0);
        assertThat(metric(metrics, "sessionm_rejections_total", "code=\"user_not_found\"")).isGreaterThanOrEqualTo(1.0);
        assertThat(metrics).contains("sessionm_request_latency_seconds_bucket{")
            .contains("sessionm_retries_total")
            .contains("sessionm_throttled_total");
        assertThat(metrics).as("Spring Batch's chunks are observed, its single items not (a timer per user)")
            .contains("spring_batch_chunk_write_seconds")
            .doesNotContain("spring_batch_item_");
    }

    @Test
    void brazesCallbackMarksTheExportCompleteAndLaunchesItsSync() {
        StorageLocation older = export("api-callback", users(401, 403));
        StorageLocation newest = new ExportFolder("api-callback", LocalDate.of(2026, 11, 29), UUID.randomUUID(),
                1_764_400_000L)
            .writeTo(s3, BUCKET, Map.of("a.zip", zip(lines(users(404, 406)))));
        assertThat(server.post(Caller.OPERATOR, "/api/syncs", "{\"segment\":\"api-callback\"}").status())
            .as("nothing is complete before the callback (settle time 1h)")
            .isEqualTo(404);

        Answer callback = server.post(Caller.BRAZE, "/api/braze/export-callbacks/api-callback", "{\"success\":true}");

        assertThat(callback.status()).as(callback.toString()).isEqualTo(202);
        long id = callback.json().path("executionId").asLong();
        assertThat(server.awaitStatus(id, "COMPLETED").path("export").asString()).isEqualTo(newest.uri());
        assertThat(jdbc.queryForList("SELECT export_location FROM sync_export_ready WHERE segment_id = 'api-callback'",
                String.class))
            .contains(newest.uri())
            .doesNotContain(older.uri());
        assertThat(sessionm.appliedCounts(IdentifierType.EXTERNAL_ID, "C-404")).isEqualTo(Map.of("vip", 1));
        assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, "C-401"))
            .as("the older export is not the one called back")
            .isEmpty();

        String olderName = older.lastSegments(1);
        Answer named = server.post(Caller.BRAZE, "/api/braze/export-callbacks/api-callback?object_prefix=" + olderName,
                "{\"success\":true}");

        assertThat(named.status()).as("an export older than the one the audience follows is never synced: " + named)
            .isEqualTo(409);
        assertThat(named.json().path("detail").asString())
            .startsWith("superseded: audience api-callback already follows " + newest.uri());
        assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, "C-401")).isEmpty();
        Answer segmentLaunch = server.post(Caller.OPERATOR, "/api/syncs", "{\"segment\":\"api-callback\"}");
        assertThat(segmentLaunch.status()).as("the newest complete export already completed").isEqualTo(200);
        assertThat(segmentLaunch.json().path("export").asString()).isEqualTo(newest.uri());
    }

    @Test
    void anExecutionsThroughputBulkFileAndItsSyncsCountsAreThereForCallersAsForTheConsole() {
        s3.createBucket("api-bulk");
        StorageLocation export = export("api-launch", users(501, 530));
        long id = server
            .post(Caller.OPERATOR, "/api/syncs",
                    "{\"export\":\"" + export.uri() + "\",\"tags\":[\"vip\"],\"mode\":\"csv\"}")
            .json()
            .path("executionId")
            .asLong();
        server.awaitStatus(id, "COMPLETED");

        JsonNode throughput = server.get(Caller.VIEWER, "/api/executions/" + id + "/throughput").json();
        JsonNode bulkFile = server.get(Caller.VIEWER, "/api/executions/" + id + "/bulk-file").json();
        JsonNode listed = server.get(Caller.VIEWER, "/api/executions?segment=api-launch&counts=true&size=1000").json();

        long done = 0;
        for (JsonNode interval : throughput.path("users")) {
            done += interval.asLong();
        }
        assertThat(done).as("every user in some interval of the run: " + throughput).isEqualTo(30);
        assertThat(throughput.path("source").asString()).isEqualTo("bulk_file_parts");
        assertThat(bulkFile.path("parts")).hasSize(1);
        assertThat(bulkFile.path("parts").get(0).path("part").path("rows").asLong()).isEqualTo(30);
        assertThat(bulkFile.path("manifestLocation").asString()).endsWith("/manifest.json");
        assertThat(bulkFile.path("manifest").asString()).contains("\"rows\" : 30");
        for (JsonNode row : listed.path("items")) {
            if (row.path("id").asLong() == id) {
                assertThat(row.path("counts").path("users").asLong()).isEqualTo(30);
                assertThat(row.path("counts").path("skippedLines").asLong()).isZero();
            }
        }
        assertThat(server.get(Caller.VIEWER, "/api/executions?segment=api-launch")
            .json()
            .path("items")
            .get(0)
            .has("counts")).as("counts only when asked for").isFalse();
    }

    /**
     * The stopped run's process holds the sync's lock until it has written its summary:
     * 409 until then.
     */
    private static Answer restartOnceReleased(long id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Answer answer = server.post(Caller.OPERATOR, "/api/executions/" + id + "/restart", null);
        while (answer.status() == 409 && System.nanoTime() < deadline) {
            assertThat(answer.json().path("detail").asString()).contains("another process is running");
            answer = server.post(Caller.OPERATOR, "/api/executions/" + id + "/restart", null);
        }
        return answer;
    }

    /** Waits until execution {@code id} has committed a chunk of step {@code name}. */
    private static void awaitStep(long id, String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode steps = server.get(Caller.VIEWER, "/api/executions/" + id).json().path("steps");
            for (JsonNode step : steps) {
                if (step.path("name").asString().equals(name) && step.path("readCount").asLong() > 0) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as("execution %d reaches %s", id, name).isLessThan(deadline);
        }
    }

    private static void awaitTagging(long id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.get(Caller.VIEWER, "/api/executions/" + id).json().path("counts").path("tagged").asLong() == 0) {
            assertThat(System.nanoTime()).as("execution %d starts tagging", id).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static void assertField(Answer answer, String field) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.json().path("field").asString()).as(answer.toString()).isEqualTo(field);
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static double metric(String exposition, String name, String... labels) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(exposition);
        while (line.find()) {
            if (Arrays.stream(labels).allMatch(line.group(1)::contains)) {
                return Double.parseDouble(line.group(2));
            }
        }
        throw new AssertionError("no " + name + " with " + List.of(labels));
    }

    private static StorageLocation export(String segment, String... lines) {
        return ExportFolder.of(segment).writeTo(s3, BUCKET, Map.of("part.zip", zip(lines(lines))));
    }

    private static String[] users(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> user("C-" + i)).toArray(String[]::new);
    }

}
