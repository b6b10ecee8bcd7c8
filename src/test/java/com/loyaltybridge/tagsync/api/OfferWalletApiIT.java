package com.loyaltybridge.tagsync.api;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.api.ApiServer.Answer;
import com.loyaltybridge.tagsync.api.ApiServer.Caller;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets.Wallet;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.WalletTestSupport;

import tools.jackson.databind.JsonNode;

/**
 * Runs of offer wallets through the REST API, as the data team uses it for tag syncs:
 * launched (and dry-run) with {@code "kind": "offers"}, listed beside tag syncs, shown
 * with what they wrote, restarted after a failure, and launched by Braze's export
 * callback next to the segment's tag sync. Over HTTP against {@code serve}, PostgreSQL,
 * the S3 server, the SessionM simulator (Core and Connect) and the Braze simulator.
 */
class OfferWalletApiIT extends WalletTestSupport {

    private static final String BUCKET = "wallet-api";

    /** A segment mapped for offer wallets only. */
    private static final String WALLETS = "wallet-api-offers";

    /** A segment mapped for tags only. */
    private static final String TAGS_ONLY = "wallet-api-tags";

    /** A segment mapped for tags and for offer wallets. */
    private static final String BOTH = "wallet-api-both";

    /** Segments mapped for offer wallets, one per test that runs them. */
    private static final String RESTARTED = "wallet-api-restart";

    private static final String CHECKED = "wallet-api-checks";

    private static final int MEMBERS = 100;

    private static ApiServer server;

    @BeforeAll
    static void startServer() {
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.putAll(walletProperties());
        properties.put("scan.export-roots", "s3://" + BUCKET + "/");
        properties.put("scan.settle-time", "0s");
        properties.put("sessionm.request-timeout", "60s");
        mapping(properties, 0, WALLETS, "offers");
        mapping(properties, 1, TAGS_ONLY, "tags");
        mapping(properties, 2, BOTH, "tags");
        mapping(properties, 3, BOTH, "offers");
        mapping(properties, 4, RESTARTED, "offers");
        mapping(properties, 5, CHECKED, "offers");
        server = ApiServer.start(properties);
    }

    private static void mapping(Map<String, String> properties, int index, String segment, String kind) {
        String prefix = "scan.segments[" + index + "].";
        properties.put(prefix + "segment-id", segment);
        properties.put(prefix + "kind", kind);
        if (kind.equals("offers")) {
            properties.put(prefix + "identifier", IDENTIFIER);
        }
        else {
            properties.put(prefix + "tags", "vip");
            properties.put(prefix + "mode", "api");
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void offerWalletsLaunchedThroughTheApiAreDryRunWrittenListedAndShownBesideTagSyncs() {
        Map<String, Wallet> wallets = walletsOf(1, MEMBERS);
        sessionm.offers().unknownUsers("U-404");
        List<String> members = new ArrayList<>(List.of(members(1, MEMBERS)));
        members.add(member("E-404", "U-404"));
        ExportFolder day1 = ExportFolder.of(WALLETS);
        StorageLocation first = writeExport(day1, members);

        Answer dry = launch("{\"segment\":\"" + WALLETS + "\",\"kind\":\"offers\",\"dryRun\":true}");

        long dryId = launched(dry);
        assertThat(dry.json().path("kind").asString()).isEqualTo("offers");
        assertThat(dry.json().path("dryRun").asBoolean()).isTrue();
        JsonNode plan = server.awaitStatus(dryId, "COMPLETED");
        assertThat(plan.path("kind").asString()).isEqualTo("offers");
        assertThat(plan.path("dryRun").asBoolean()).isTrue();
        assertThat(plan.path("export").asString()).isEqualTo(first.uri());
        JsonNode estimate = plan.path("dryRunEstimate");
        assertThat(estimate.path("changed").asLong()).as(plan.toString()).isEqualTo(MEMBERS);
        assertThat(estimate.path("brazeRequests").asLong()).as("100 wallets, 75 a request").isEqualTo(2);
        assertThat(estimate.path("firstChanged")).hasSize(20);
        assertThat(plan.path("counts").path("rejected").asLong()).isEqualTo(1);
        assertThat(braze.requests()).as("a dry run writes nothing to Braze").isEmpty();

        Answer real = launchOnceReleased("{\"segment\":\"" + WALLETS + "\",\"kind\":\"offers\"}");

        JsonNode run = server.awaitStatus(launched(real), "COMPLETED");
        assertThat(run.path("dryRun").asBoolean()).isFalse();
        assertThat(run.path("identifier").asString()).isEqualTo(IDENTIFIER);
        assertThat(run.path("audience").asString()).isEqualTo("offers:" + WALLETS);
        JsonNode counts = run.path("counts");
        assertThat(counts.path("members").asLong()).as(run.toString()).isEqualTo(MEMBERS + 1);
        assertThat(counts.path("written").asLong()).isEqualTo(MEMBERS);
        assertThat(counts.path("rejected").asLong()).isEqualTo(1);
        assertThat(counts.path("brazeRequests").asLong()).isEqualTo(2);
        assertThat(run.path("rejectedByCode").path("user_not_found").asLong()).isEqualTo(1);
        assertThat(run.path("progressPercent").asDouble()).isEqualTo(100);
        assertThat(run.path("dryRunEstimate").isNull()).isTrue();
        assertThat(run.path("braze").path("requests").asLong()).isEqualTo(2);
        assertThat(run.path("connect").path("requests").asLong()).isEqualTo(MEMBERS + 1);
        for (int i = 1; i <= MEMBERS; i++) {
            assertThat(profileOf("E-" + i)).as("the profile of E-%d", i)
                .isEqualTo(expectedAttributes(wallets.get("U-" + i)));
        }
        Answer rejected = server.get(Caller.VIEWER, "/api/executions/" + run.path("id").asLong() + "/rejected-users");
        assertThat(rejected.json().path("items").get(0).path("identifier").asString()).as(rejected.toString())
            .isEqualTo("U-404");

        List<JsonNode> listed = new ArrayList<>();
        server.get(Caller.VIEWER, "/api/executions?segment=" + WALLETS + "&counts=true")
            .json()
            .path("items")
            .forEach(row -> {
                if (row.path("export").asString().equals(first.uri())) {
                    listed.add(row);
                }
            });
        assertThat(listed).as("the run and its dry run").hasSize(2);
        assertThat(listed.get(0).path("id").asLong()).isEqualTo(run.path("id").asLong());
        assertThat(listed.get(0).path("kind").asString()).isEqualTo("offers");
        assertThat(listed.get(0).path("counts").path("written").asLong()).isEqualTo(MEMBERS);
        assertThat(listed.get(0).path("counts").path("rejected").asLong()).isEqualTo(1);
        assertThat(listed.get(1).path("dryRun").asBoolean()).isTrue();
        assertThat(listed.get(1).path("counts").path("changed").asLong()).as("what the dry run would write")
            .isEqualTo(MEMBERS);
        assertThat(listed.get(1).path("counts").path("written").asLong()).isZero();
        assertThat(server.get(Caller.VIEWER, "/api/executions?segment=" + WALLETS + "&kind=tags").json().path("items"))
            .as("no tag sync of a segment mapped for offers only")
            .isEmpty();
        assertThat(
                server.get(Caller.VIEWER, "/api/executions?segment=" + WALLETS + "&kind=offers").json().path("items"))
            .allSatisfy(row -> assertThat(row.path("kind").asString()).isEqualTo("offers"));

        JsonNode audience = null;
        for (JsonNode listedAudience : server.get(Caller.VIEWER, "/api/audiences?size=1000").json().path("items")) {
            if (listedAudience.path("name").asString().equals("offers:" + WALLETS)) {
                audience = listedAudience;
            }
        }
        assertThat(audience).as("the audience of the segment's wallets").isNotNull();
        assertThat(audience.path("kind").asString()).isEqualTo("offers");
        assertThat(audience.path("members").asLong()).as("members whose wallet is in Braze").isEqualTo(MEMBERS);
        assertThat(audience.path("lastExecutionId").asLong()).isEqualTo(run.path("id").asLong());
        Answer audienceMembers = server.get(Caller.VIEWER,
                "/api/audiences/" + audience.path("id").asLong() + "/members");
        assertThat(audienceMembers.status()).as(audienceMembers.toString()).isEqualTo(409);
        assertThat(audienceMembers.body()).contains("offer wallets");

        Answer again = launchOnceReleased("{\"export\":\"" + first.uri() + "\",\"kind\":\"offers\"}");
        assertThat(again.status()).as("the same run already completed: " + again).isEqualTo(200);
        assertThat(again.json().path("id").asLong()).isEqualTo(run.path("id").asLong());
        assertThat(again.json().path("kind").asString()).isEqualTo("offers");

        // The next day five wallets changed: the launch writes exactly those five.
        for (int i : new int[] { 3, 13, 23, 33, 43 }) {
            wallets.put("U-" + i,
                    Wallet.of(i + 7, 10, OfferWallets.offer("new-" + i, "New " + i, "2027-02-01T00:00:00Z")));
            sessionm.offers().put("U-" + i, wallets.get("U-" + i));
        }
        int objectsBefore = braze.attributeObjects().size();
        StorageLocation second = writeExport(nextDayOf(day1), members);

        JsonNode next = server
            .awaitStatus(launched(launch("{\"export\":\"" + second.uri() + "\",\"kind\":\"offers\"}")), "COMPLETED");

        assertThat(next.path("counts").path("written").asLong()).as(next.toString()).isEqualTo(5);
        assertThat(next.path("counts").path("unchanged").asLong()).isEqualTo(MEMBERS - 5);
        assertThat(objectsPerMemberSince(objectsBefore)).as("attribute objects Braze received, by member")
            .isEqualTo(Map.of("E-3", 1, "E-13", 1, "E-23", 1, "E-33", 1, "E-43", 1));
    }

    @Test
    void aRunOfOfferWalletsThatBrazeStoppedRestartsThroughTheApiAndWritesEveryWallet() {
        Map<String, Wallet> wallets = walletsOf(1, 60);
        StorageLocation export = writeExport(ExportFolder.of(RESTARTED), List.of(members(1, 60)));
        braze.revokeKey();

        long failed = launched(launch("{\"export\":\"" + export.uri() + "\",\"kind\":\"offers\"}"));

        JsonNode stopped = server.awaitStatus(failed, "FAILED");
        assertThat(stopped.path("exitDescription").asString()).as("one line, never a stack trace").doesNotContain("\n");
        stopped = awaitDescription(failed, "401");
        assertThat(stopped.path("exitDescription").asString()).as(stopped.toString()).contains("401");
        assertThat(stopped.path("counts").path("written").asLong()).isZero();
        braze.reset();

        Answer restart = server.postOnceReleased(Caller.OPERATOR, "/api/executions/" + failed + "/restart", null);

        JsonNode resumed = server.awaitStatus(launched(restart), "COMPLETED");
        assertThat(resumed.path("jobInstanceId").asLong()).isEqualTo(stopped.path("jobInstanceId").asLong());
        assertThat(resumed.path("counts").path("written").asLong()).isEqualTo(60);
        for (int i = 1; i <= 60; i++) {
            assertThat(profileOf("E-" + i)).isEqualTo(expectedAttributes(wallets.get("U-" + i)));
        }
        assertThat(objectsPerMember()).as("once each").allSatisfy((member, objects) -> assertThat(objects).isOne());
    }

    @Test
    void brazesExportCallbackLaunchesTheTagSyncAndTheOfferWalletsOfASegmentMappedForBoth() {
        Map<String, Wallet> wallets = walletsOf(201, 230);
        List<String> members = List.of(members(201, 230));
        StorageLocation export = writeExport(ExportFolder.of(BOTH), members);

        Answer callback = server.post(Caller.BRAZE, "/api/braze/export-callbacks/" + BOTH, "{\"success\":true}");

        assertThat(callback.status()).as(callback.toString()).isEqualTo(202);
        JsonNode launches = callback.json().path("launches");
        assertThat(launches).hasSize(2);
        assertThat(launches.get(0).path("kind").asString()).isEqualTo("tags");
        assertThat(launches.get(1).path("kind").asString()).isEqualTo("offers");
        for (JsonNode launch : launches) {
            assertThat(launch.path("status").asInt()).as(launch.toString()).isEqualTo(202);
            JsonNode run = server.awaitStatus(launch.path("result").path("executionId").asLong(), "COMPLETED");
            assertThat(run.path("kind").asString()).isEqualTo(launch.path("kind").asString());
            assertThat(run.path("export").asString()).isEqualTo(export.uri());
        }
        assertAppliedExactlyOnce(ids(201, 230), "vip");
        for (int i = 201; i <= 230; i++) {
            assertThat(profileOf("E-" + i)).isEqualTo(expectedAttributes(wallets.get("U-" + i)));
        }
    }

    @Test
    void offerWalletRequestsAreCheckedAsTagSyncsAreWithTheFieldAtFault() {
        writeExport(ExportFolder.of(TAGS_ONLY), List.of(members(1, 3)));
        StorageLocation export = writeExport(ExportFolder.of(CHECKED), List.of(members(1, 3)));

        assertRefused(launch("{\"segment\":\"" + CHECKED + "\",\"kind\":\"points\"}"), "kind", "is not a kind");
        assertRefused(launch("{\"segment\":\"" + CHECKED + "\",\"kind\":\"offers\",\"tags\":[\"vip\"]}"), "tags",
                "go with kind tags");
        assertRefused(
                launch("{\"export\":\"" + export.uri() + "\",\"kind\":\"offers\",\"identifier\":\"external_id\"}"),
                "identifier", "user_id");
        assertRefused(launch("{\"segment\":\"" + TAGS_ONLY + "\",\"kind\":\"offers\"}"), "segment",
                "is not configured for offers");
        assertRefused(launch("{\"segment\":\"" + CHECKED + "\",\"culture\":\"fr-CA\"}"), "culture",
                "goes with kind offers");
        assertRefused(launch("{\"export\":\"" + export.uri() + "\",\"kind\":\"offers\",\"identifier\":\"" + IDENTIFIER
                + "\",\"culture\":\"<script>\"}"), "culture", "not a culture");
        Answer badKind = server.get(Caller.VIEWER, "/api/executions?kind=points");
        assertThat(badKind.status()).as(badKind.toString()).isEqualTo(400);
        assertThat(braze.requests()).isEmpty();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM batch_job_execution_params
                WHERE parameter_name = 'export' AND parameter_value = ?""", Long.class, export.uri()))
            .as("no execution written")
            .isZero();
    }

    @Test
    void theOpenApiDescriptionDocumentsRunsOfOfferWalletsBesideTagSyncs() {
        JsonNode openApi = server.get(Caller.VIEWER, "/v3/api-docs").json();

        JsonNode schemas = openApi.path("components").path("schemas");
        assertThat(schemas.path("LaunchRequest").path("properties").propertyNames()).contains("kind", "culture");
        assertThat(schemas.path("WalletExecutionView").path("properties").propertyNames()).contains("kind", "counts",
                "leavers", "dryRunEstimate", "connect", "braze");
        assertThat(schemas.path("ExecutionView").path("properties").propertyNames()).contains("kind", "plan");
        assertThat(
                openApi.path("paths").path("/api/executions").path("get").path("parameters").findValuesAsString("name"))
            .contains("kind");
    }

    /**
     * The view of an ended execution once its description is the one its job recorded
     * last (it replaces Spring Batch's own as the job ends).
     */
    private static JsonNode awaitDescription(long id, String words) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonNode view = server.get(Caller.VIEWER, "/api/executions/" + id).json();
        while (!view.path("exitDescription").asString().contains(words) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            view = server.get(Caller.VIEWER, "/api/executions/" + id).json();
        }
        return view;
    }

    private static void assertRefused(Answer answer, String field, String reason) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.body()).contains(field).contains(reason);
    }

    /** Members {@code U-from}..{@code U-to} with a wallet each, served by SessionM. */
    private static Map<String, Wallet> walletsOf(int from, int to) {
        Map<String, Wallet> wallets = new HashMap<>();
        for (int i = from; i <= to; i++) {
            Wallet wallet = Wallet.of(i, 10 * i, OfferWallets.offer("w-" + i, "Welcome " + i, "2027-06-01T00:00:00Z"));
            wallets.put("U-" + i, wallet);
            sessionm.offers().put("U-" + i, wallet);
        }
        return wallets;
    }

    private static List<String> ids(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            ids.add("E-" + i);
        }
        return ids;
    }

    private static StorageLocation writeExport(ExportFolder folder, List<String> members) {
        int half = members.size() / 2;
        Map<String, byte[]> objects = new LinkedHashMap<>();
        objects.put("a.zip", zip(lines(members.subList(0, half).toArray(String[]::new))));
        objects.put("b.gz", gzip(lines(members.subList(half, members.size()).toArray(String[]::new))));
        return folder.writeTo(s3, BUCKET, objects);
    }

    private static ExportFolder nextDayOf(ExportFolder folder) {
        return new ExportFolder(folder.segmentId(), folder.date().plusDays(1), UUID.randomUUID(),
                folder.epochSecond() + 86_400);
    }

    private static Answer launch(String json) {
        return server.post(Caller.OPERATOR, "/api/syncs", json);
    }

    private static Answer launchOnceReleased(String json) {
        return server.postOnceReleased(Caller.OPERATOR, "/api/syncs", json);
    }

    private static long launched(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        long id = answer.json().path("executionId").asLong();
        assertThat(answer.header("Location")).isEqualTo("/api/executions/" + id);
        return id;
    }

}
