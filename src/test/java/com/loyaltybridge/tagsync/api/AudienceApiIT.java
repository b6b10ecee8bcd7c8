package com.loyaltybridge.tagsync.api;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
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
 * Audiences through the REST API, over HTTP against PostgreSQL, s3proxy and the SessionM
 * simulator: a dry run is an execution whose view holds the plan, and the launch that
 * follows sends exactly what it listed; the audiences, their members by state and the
 * members who left each sync are listed (JSON, and CSV for the leavers); a second export
 * of an audience launched while one runs answers 409 and sends nothing.
 */
class AudienceApiIT extends SyncTestSupport {

    private static final String BUCKET = "audience-api";

    private static final long DAY = 86_400L;

    private static final long TTL = 10 * DAY;

    private static ApiServer server;

    @BeforeAll
    static void startServer() {
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.put("scan.export-roots", "s3://" + BUCKET + "/");
        properties.put("scan.settle-time", "0s");
        properties.put("sessionm.request-timeout", "60s");
        properties.put("sessionm.requests-per-second", "200");
        String[] segments = { "aud-api-plan", "aud-api-ttl", "aud-api-lock" };
        for (int i = 0; i < segments.length; i++) {
            properties.put("scan.segments[" + i + "].segment-id", segments[i]);
            properties.put("scan.segments[" + i + "].tags", "vip");
            properties.put("scan.segments[" + i + "].mode", "api");
        }
        properties.put("scan.segments[1].ttl", String.valueOf(TTL));
        server = ApiServer.start(properties);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Whatever a test left held at SessionM is let go, so that its syncs end. */
    @AfterEach
    void releaseHeldCalls() {
        sessionm.releaseHung();
    }

    @Test
    void aDryRunIsAnExecutionWhoseViewHoldsThePlanAndTheLaunchThatFollowsSendsExactlyWhatItListed() {
        StorageLocation day1 = export("aud-api-plan", 1, ids("P-", 1, 100));
        server.awaitStatus(launched(launch("{\"export\":\"" + day1.uri() + "\"}")), "COMPLETED");
        StorageLocation day2 = export("aud-api-plan", 2, ids("P-", 6, 105));
        sessionm.reset();

        Answer dry = launch("{\"export\":\"" + day2.uri() + "\",\"dryRun\":true}");

        long dryId = launched(dry);
        assertThat(dry.json().path("dryRun").asBoolean()).isTrue();
        JsonNode view = server.awaitStatus(dryId, "COMPLETED");
        assertThat(view.path("dryRun").asBoolean()).isTrue();
        assertThat(view.path("audience").asString()).isEqualTo("aud-api-plan");
        JsonNode plan = view.path("plan");
        assertThat(plan.path("why").asString()).as(plan.toString()).isEqualTo("STATE");
        assertThat(plan.path("entering").asLong()).isEqualTo(5);
        assertThat(plan.path("refresh").asLong()).isZero();
        assertThat(plan.path("retry").asLong()).isZero();
        assertThat(plan.path("full").asLong()).isZero();
        assertThat(plan.path("unchanged").asLong()).isEqualTo(95);
        assertThat(plan.path("leaving").asLong()).isEqualTo(5);
        List<String> entering = strings(plan.path("firstIdentifiers").path("entering"));
        assertThat(entering).containsExactlyElementsOf(ids("P-", 101, 105));
        assertThat(strings(plan.path("firstIdentifiers").path("leaving"))).containsExactlyElementsOf(ids("P-", 1, 5));
        assertThat(strings(plan.path("firstIdentifiers").path("unchanged"))).hasSize(20).startsWith("P-6");
        JsonNode estimate = plan.path("estimate");
        assertThat(estimate.path("mode").asString()).as(estimate.toString()).isEqualTo("api");
        assertThat(estimate.path("calls").asLong()).isEqualTo(5);
        assertThat(estimate.path("rows").isNull()).isTrue();
        assertThat(estimate.path("requestsPerSecond").asDouble()).isPositive().isLessThanOrEqualTo(200);
        assertThat(estimate.path("durationSeconds").isIntegralNumber()).as(estimate.toString()).isTrue();
        assertThat(sessionm.requests()).as("a dry run calls no one").isEmpty();
        JsonNode listed = server.get(Caller.VIEWER, "/api/executions?segment=aud-api-plan").json().path("items");
        assertThat(listed.get(0).path("id").asLong()).isEqualTo(dryId);
        assertThat(listed.get(0).path("dryRun").asBoolean()).isTrue();
        assertThat(listed.get(1).path("dryRun").asBoolean()).isFalse();
        Answer restart = server.post(Caller.OPERATOR, "/api/executions/" + dryId + "/restart", null);
        assertThat(restart.status()).as(restart.toString()).isEqualTo(409);
        assertThat(restart.json().path("detail").asString()).contains("is a dry run");

        JsonNode real = server.awaitStatus(launched(launchOnceReleased("{\"export\":\"" + day2.uri() + "\"}")),
                "COMPLETED");

        assertThat(real.path("dryRun").asBoolean()).isFalse();
        assertThat(real.path("plan").path("entering").asLong()).isEqualTo(5);
        assertThat(real.path("plan").path("firstIdentifiers").isNull()).as("only a dry run lists identifiers").isTrue();
        assertThat(postsPerCustomer()).as("exactly the members the dry run listed, one POST each")
            .isEqualTo(onePostEach(entering));
    }

    @Test
    void audiencesShowTheirLastSyncMembersAndNextRefreshAndListTheirMembersByStateAndThoseWhoLeft() {
        StorageLocation day1 = export("aud-api-ttl", 1, ids("T-", 1, 50));
        sessionm.faultFor("T-7", Fault.status(404));
        long first = launched(launch("{\"export\":\"" + day1.uri() + "\"}"));
        JsonNode firstRun = server.awaitStatus(first, "COMPLETED");

        JsonNode audience = audience("aud-api-ttl");

        assertThat(audience.path("segmentId").asString()).isEqualTo("aud-api-ttl");
        assertThat(audience.path("identifier").asString()).isEqualTo("external_id");
        assertThat(strings(audience.path("tags"))).containsExactly("vip");
        assertThat(audience.path("ttl").asLong()).isEqualTo(TTL);
        assertThat(audience.path("members").asLong()).as(audience.toString()).isEqualTo(50);
        assertThat(audience.path("lastExport").asString()).isEqualTo(day1.uri());
        assertThat(audience.path("lastJobInstanceId").asLong()).isEqualTo(firstRun.path("jobInstanceId").asLong());
        assertThat(audience.path("lastExecutionId").asLong()).isEqualTo(first);
        assertThat(Instant.parse(audience.path("lastSyncedAt").asString())).isBefore(Instant.now().plusSeconds(1));
        assertThat(Instant.parse(audience.path("nextRefreshAt").asString())).as("the first expiry minus half the TTL")
            .isEqualTo(firstExpiry("aud-api-ttl").minusSeconds(TTL / 2));
        long id = audience.path("id").asLong();
        assertThat(server.get(Caller.VIEWER, "/api/audiences/" + id).json()).isEqualTo(audience);
        assertThat(audience.path("refreshDue").asLong()).as("tags just given are not due").isZero();
        // Day 2 drops T-1..T-3 from the audience: making them due now changes nothing the
        // rest of this test sends.
        jdbc.update(
                "UPDATE sync_audience_member_tag SET expires_at = now() + interval '1 hour' WHERE identifier IN (?, ?, ?)",
                "T-1", "T-2", "T-3");
        assertThat(server.get(Caller.VIEWER, "/api/audiences/" + id).json().path("refreshDue").asLong())
            .as("members whose tag ends within the refresh margin")
            .isEqualTo(3);

        JsonNode rejected = server.get(Caller.VIEWER, "/api/audiences/" + id + "/members?state=REJECTED").json();
        assertThat(rejected.path("total").asLong()).isEqualTo(1);
        JsonNode refused = rejected.path("items").get(0);
        assertThat(refused.path("identifier").asString()).isEqualTo("T-7");
        assertThat(refused.path("tags").get(0).path("tag").asString()).isEqualTo("vip");
        assertThat(refused.path("tags").get(0).path("status").asString()).isEqualTo("REJECTED");
        assertThat(refused.path("tags").get(0).path("taggedAt").isNull()).isTrue();
        JsonNode tagged = server.get(Caller.VIEWER, "/api/audiences/" + id + "/members?state=TAGGED&page=1&size=10")
            .json();
        assertThat(tagged.path("total").asLong()).isEqualTo(49);
        assertThat(tagged.path("items").findValuesAsString("identifier")).hasSize(10).isSorted().doesNotContain("T-7");
        JsonNode tag = tagged.path("items").get(0).path("tags").get(0);
        assertThat(Duration.between(Instant.parse(tag.path("taggedAt").asString()),
                Instant.parse(tag.path("expiresAt").asString())))
            .isEqualTo(Duration.ofSeconds(TTL));
        assertThat(server.get(Caller.VIEWER, "/api/audiences/" + id + "/members").json().path("total").asLong())
            .isEqualTo(50);

        StorageLocation day2 = export("aud-api-ttl", 2, ids("T-", 4, 53));
        sessionm.reset();
        long second = launched(launchOnceReleased("{\"segment\":\"aud-api-ttl\"}"));
        server.awaitStatus(second, "COMPLETED");

        JsonNode left = server.get(Caller.VIEWER, "/api/executions/" + second + "/left-users?size=2").json();
        assertThat(left.path("total").asLong()).isEqualTo(3);
        assertThat(left.path("items").findValuesAsString("identifier")).containsExactly("T-1", "T-2");
        assertThat(strings(left.path("items").get(0).path("tags"))).containsExactly("vip");
        Answer csv = server.get(Caller.VIEWER, "/api/executions/" + second + "/left-users.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("attachment")
            .contains("execution-" + second + "-left-users.csv");
        assertThat(csvRecords(csv.body())).extracting(CSVRecord::values)
            .containsExactly(new String[] { "identifier", "tags" }, new String[] { "T-1", "vip" },
                    new String[] { "T-2", "vip" }, new String[] { "T-3", "vip" });
        JsonNode gone = server.get(Caller.VIEWER, "/api/audiences/" + id + "/members?state=LEFT").json();
        assertThat(gone.path("items").findValuesAsString("identifier")).containsExactly("T-1", "T-2", "T-3");
        JsonNode now = server.get(Caller.VIEWER, "/api/audiences/" + id).json();
        assertThat(now.path("lastExport").asString()).isEqualTo(day2.uri());
        assertThat(now.path("lastExecutionId").asLong()).isEqualTo(second);
        assertThat(now.path("members").asLong()).isEqualTo(50);
        assertThat(now.path("refreshDue").asLong()).as("the members that were due left: they are refreshed no more")
            .isZero();
        assertThat(postsPerCustomer().keySet()).as("day 2 sends the members entering and the one refused on day 1")
            .containsExactlyInAnyOrder("T-7", "T-51", "T-52", "T-53");

        assertThat(server.get(Caller.VIEWER, "/api/audiences/987654321").status()).isEqualTo(404);
        assertThat(server.get(Caller.VIEWER, "/api/audiences/987654321/members").status()).isEqualTo(404);
        assertThat(server.get(Caller.VIEWER, "/api/executions/987654321/left-users").status()).isEqualTo(404);
        assertThat(server.get(Caller.ANONYMOUS, "/api/audiences").status()).isEqualTo(401);
        assertThat(server.get(Caller.BRAZE, "/api/audiences").status()).isEqualTo(403);
    }

    @Test
    void aSecondExportOfAnAudienceLaunchedWhileOneRunsAnswers409AndSendsNothing() throws InterruptedException {
        StorageLocation day1 = export("aud-api-lock", 1, ids("L-", 1, 200));
        StorageLocation day2 = export("aud-api-lock", 2, ids("L-", 1, 210));
        StorageLocation otherSegment = export("aud-api-other", 2, ids("L-", 301, 310));
        sessionm.faultFor("L-1", Fault.hang());
        long running = launched(launch("{\"export\":\"" + day1.uri() + "\"}"));
        awaitHeldCall();

        Answer newer = launch("{\"export\":\"" + day2.uri() + "\"}");
        Answer newest = launch("{\"segment\":\"aud-api-lock\"}");
        Answer named = launch("{\"export\":\"" + otherSegment.uri()
                + "\",\"tags\":[\"vip\"],\"mode\":\"api\",\"audience\":\"aud-api-lock\"}");

        for (Answer refused : List.of(newer, newest, named)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
            assertThat(refused.json().path("detail").asString())
                .contains("another process is running a sync of audience aud-api-lock right now");
        }
        assertThat(executionsOf(day2)).as("nothing started for the refused launches").isZero();
        assertThat(executionsOf(otherSegment)).isZero();

        sessionm.releaseHung();
        server.awaitStatus(running, "COMPLETED");
        assertThat(postsPerCustomer().keySet()).as("day 1's members only")
            .containsExactlyInAnyOrderElementsOf(ids("L-", 1, 200));
        sessionm.reset();
        server.awaitStatus(launched(launchOnceReleased("{\"export\":\"" + day2.uri() + "\"}")), "COMPLETED");
        assertThat(postsPerCustomer()).as("day 2, once day 1 is done: the members entering")
            .isEqualTo(onePostEach(ids("L-", 201, 210)));
    }

    @Test
    void theOpenApiDescriptionDocumentsAudiencesLeaversAndTheNewLaunchFields() {
        JsonNode openApi = server.get(Caller.VIEWER, "/v3/api-docs").json();

        assertThat(openApi.path("paths").propertyNames()).contains("/api/audiences", "/api/audiences/{id}",
                "/api/audiences/{id}/members", "/api/executions/{id}/left-users",
                "/api/executions/{id}/left-users.csv");
        JsonNode schemas = openApi.path("components").path("schemas");
        assertThat(schemas.path("LaunchRequest").path("properties").propertyNames()).contains("audience", "full",
                "dryRun");
        assertThat(schemas.path("LaunchRequest").path("properties").path("dryRun").path("type").asString())
            .isEqualTo("boolean");
        assertThat(schemas.path("ExecutionView").path("properties").propertyNames()).contains("plan", "dryRun",
                "audience");
        assertThat(schemas.path("PlanView").path("properties").propertyNames()).contains("why", "entering", "refresh",
                "retry", "full", "unchanged", "leaving", "firstIdentifiers", "estimate");
        assertThat(openApi.path("paths")
            .path("/api/audiences/{id}/members")
            .path("get")
            .path("parameters")
            .findValuesAsString("name")).contains("state");
    }

    private static Answer launch(String json) {
        return server.post(Caller.OPERATOR, "/api/syncs", json);
    }

    /**
     * A launch after a sync of the same audience ended, once that sync's thread has let
     * the audience go.
     */
    private static Answer launchOnceReleased(String json) {
        return server.postOnceReleased(Caller.OPERATOR, "/api/syncs", json);
    }

    private static long launched(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        long id = answer.json().path("executionId").asLong();
        assertThat(answer.header("Location")).isEqualTo("/api/executions/" + id);
        return id;
    }

    private static JsonNode audience(String name) {
        for (JsonNode audience : server.get(Caller.VIEWER, "/api/audiences").json().path("items")) {
            if (audience.path("name").asString().equals(name)) {
                return audience;
            }
        }
        throw new AssertionError("no audience " + name);
    }

    private static Instant firstExpiry(String audience) {
        return jdbc
            .queryForObject(
                    """
                            SELECT min(m.expires_at) FROM sync_audience_member_tag m JOIN sync_audience a ON a.audience_id = m.audience_id
                            WHERE a.name = ? AND m.status IN ('TAGGED', 'IN_DOUBT')""",
                    Timestamp.class, audience)
            .toInstant();
    }

    private static void awaitHeldCall() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sessionm.hungCount() == 0) {
            assertThat(System.nanoTime()).as("the sync's first call is held at SessionM").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static long executionsOf(StorageLocation export) {
        return jdbc.queryForObject(
                """
                        SELECT count(*) FROM batch_job_execution_params WHERE parameter_name = 'export' AND parameter_value = ?""",
                Long.class, export.uri());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    private static List<CSVRecord> csvRecords(String csv) {
        try {
            return CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StorageLocation export(String segment, int day, List<String> identifiers) {
        ExportFolder folder = new ExportFolder(segment, LocalDate.of(2026, 11, day), UUID.randomUUID(),
                1_764_000_000L + day * DAY);
        return folder.writeTo(s3, BUCKET,
                Map.of("part.zip", zip(lines(identifiers.stream().map(id -> user(id)).toArray(String[]::new)))));
    }

    private static List<String> ids(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + i).toList();
    }

}
