package com.loyaltybridge.tagsync.sessionm.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.sessionm.IdentifierType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionmSimulatorTest {

    private static final String KEY = "key-1";

    private static final String SECRET = "secret-1";

    @AutoClose
    private static final SessionmSimulator simulator = SessionmSimulator.start(KEY, SECRET);

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void fresh() {
        simulator.reset();
    }

    @Test
    void counterPostsAddOneAndTtlPostsSetTheTagReadBackByGet() throws Exception {
        assertThat(post("/priv/v1/apps/key-1/external/users/c1/tags", "{\"tags\":[\"vip\"]}").body())
            .isEqualTo("{\"status\":\"ok\"}");
        post("/priv/v1/apps/key-1/external/users/c1/tags", "{\"tags\":[\"vip\"]}");
        post("/priv/v1/apps/key-1/external/users/c1/tags", "{\"tags\":[\"promo\"],\"ttl\":60}");

        HttpResponse<String> read = get("/priv/v1/apps/key-1/external/users/c1/tags");

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"status\":\"ok\"", "{\"name\":\"vip\",\"count\":2}", "\"name\":\"promo\"");
        assertThat(simulator.appliedCounts(IdentifierType.EXTERNAL_ID, "c1"))
            .containsExactly(java.util.Map.entry("vip", 2));
        assertThat(simulator.appliedCounts(IdentifierType.USER_ID, "c1")).isEmpty();
        assertThat(simulator.postCount()).isEqualTo(3);
    }

    @Test
    void recordsTheRawPathAndDecodesTheIdentifier() throws Exception {
        post("/priv/v1/apps/key-1/users/a%2Fb%20%C3%BC%2E%2E/tags", "{\"tags\":[\"t\"]}");

        RecordedRequest request = simulator.requests().get(0);
        assertThat(request.rawPath()).isEqualTo("/priv/v1/apps/key-1/users/a%2Fb%20%C3%BC%2E%2E/tags");
        assertThat(request.identifierType()).isEqualTo(IdentifierType.USER_ID);
        assertThat(request.identifier()).isEqualTo("a/b ü..");
        assertThat(request.authorization()).startsWith("Basic ");
        assertThat(simulator.postsFor(IdentifierType.USER_ID, "a/b ü..")).hasSize(1);
    }

    @Test
    void refusesWrongCredentialsWrongKeysAndUnknownCustomers() throws Exception {
        HttpResponse<String> wrongSecret = http.send(HttpRequest.newBuilder(uri("/priv/v1/apps/key-1/users/c/tags"))
            .header("Authorization", basic(KEY, "nope"))
            .GET()
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.body()).contains("invalid_auth_token");

        assertThat(get("/priv/v1/apps/other-key/users/c/tags").body()).contains("invalid_api_key");

        simulator.unknownCustomers("ghost");
        HttpResponse<String> unknown = post("/priv/v1/apps/key-1/users/ghost/tags", "{\"tags\":[\"t\"]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("user_not_found");

        simulator.revokeCredentials();
        assertThat(get("/priv/v1/apps/key-1/users/c/tags").statusCode()).isEqualTo(401);
        simulator.restoreCredentials();
        assertThat(get("/priv/v1/apps/key-1/users/c/tags").statusCode()).isEqualTo(200);
    }

    @Test
    void resetAfterApplyLosesTheAnswerButKeepsTheWrite() {
        simulator.enqueue(Fault.resetAfterApply());

        assertThatThrownBy(() -> post("/priv/v1/apps/key-1/users/c/tags", "{\"tags\":[\"t\"]}"))
            .isInstanceOf(IOException.class);
        assertThat(simulator.appliedCounts(IdentifierType.USER_ID, "c")).containsEntry("t", 1);
        assertThat(simulator.stats().byStatus()).containsEntry("reset", 1L);
    }

    @Test
    void hungRequestsAreAppliedAndAnsweredWhenReleased() throws Exception {
        simulator.faultFor("c", Fault.hang());

        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                postRequest("/priv/v1/apps/key-1/users/c/tags", "{\"tags\":[\"t\"]}"),
                HttpResponse.BodyHandlers.ofString());
        while (simulator.hungCount() == 0) {
            Thread.sleep(5);
        }
        assertThat(simulator.appliedCounts(IdentifierType.USER_ID, "c")).isEmpty();
        assertThat(simulator.maxConcurrentRequests()).isEqualTo(1);

        assertThat(simulator.releaseHung()).isEqualTo(1);
        assertThat(answer.get().statusCode()).isEqualTo(200);
        assertThat(simulator.appliedCounts(IdentifierType.USER_ID, "c")).containsEntry("t", 1);
    }

    @Test
    void scriptedFaultsComeInOrderAndIdentifierFaultsFirst() throws Exception {
        simulator.enqueue(Fault.status(503), Fault.errorBody("internal_server_error"));
        simulator.faultFor("special", Fault.status(500).afterApplying());

        assertThat(post("/priv/v1/apps/key-1/users/special/tags", "{\"tags\":[\"t\"]}").statusCode()).isEqualTo(500);
        assertThat(simulator.appliedCounts(IdentifierType.USER_ID, "special")).containsEntry("t", 1);
        assertThat(post("/priv/v1/apps/key-1/users/c/tags", "{\"tags\":[\"t\"]}").statusCode()).isEqualTo(503);
        HttpResponse<String> errorBody = post("/priv/v1/apps/key-1/users/c/tags", "{\"tags\":[\"t\"]}");
        assertThat(errorBody.statusCode()).isEqualTo(200);
        assertThat(errorBody.body()).contains("internal_server_error");
        assertThat(post("/priv/v1/apps/key-1/users/c/tags", "{\"tags\":[\"t\"]}").body()).contains("ok");
        assertThat(simulator.appliedCounts(IdentifierType.USER_ID, "c")).containsEntry("t", 1);
    }

    @Test
    void seededFaultRatesStrikeTheSameRequestsEveryRun() throws Exception {
        String first = statusesWithFaultRates();
        String second = statusesWithFaultRates();

        assertThat(first).isEqualTo(second).contains("500").contains("200");
    }

    @Test
    void rateLimitAnswers429WithRetryAfterBeyondTheLimit() throws Exception {
        simulator.rateLimit(2);

        int throttled = 0;
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> answer = get("/priv/v1/apps/key-1/users/c/tags");
            if (answer.statusCode() == 429) {
                throttled++;
                assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
            }
        }
        assertThat(throttled).isPositive();
    }

    @Test
    void statsAreServedAsJson() throws Exception {
        post("/priv/v1/apps/key-1/external/users/c/tags", "{\"tags\":[\"t\"]}");

        HttpResponse<String> stats = http.send(HttpRequest.newBuilder(uri("/__simulator/stats")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(stats.body()).contains("\"totalRequests\":1", "\"posts\":1", "\"appliedPosts\":1",
                "\"connectionsOpened\":", "\"identifier\":\"c\"", "\"200\":1");
    }

    @Test
    void latencyDelaysTheAnswer() throws Exception {
        simulator.latency(Duration.ofMillis(150));

        long start = System.nanoTime();
        get("/priv/v1/apps/key-1/users/c/tags");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void latencyCanStepUpWhileTheSimulatorRuns() throws Exception {
        simulator.latency(Duration.ZERO);
        simulator.latencyFrom(Duration.ofMillis(200), Duration.ofMillis(300));
        get("/priv/v1/apps/key-1/users/c/tags");
        Thread.sleep(200);

        long start = System.nanoTime();
        get("/priv/v1/apps/key-1/users/c/tags");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aLatencyPlanTakesEachStepFromItsTimeSinceTheFirstRequest() {
        LatencyPlan plan = LatencyPlan.constant(Duration.ofMillis(20), Duration.ofMillis(20));
        for (LatencyPlan.Step step : LatencyPlan.parseSteps("10s=100,30s=20..40")) {
            plan = plan.with(step);
        }

        assertThat(plan.latency(Duration.ZERO)).isEqualTo(Duration.ofMillis(20));
        assertThat(plan.latency(Duration.ofMillis(9_999))).isEqualTo(Duration.ofMillis(20));
        assertThat(plan.latency(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
        assertThat(plan.latency(Duration.ofSeconds(29))).isEqualTo(Duration.ofMillis(100));
        assertThat(plan.latency(Duration.ofMinutes(5))).isBetween(Duration.ofMillis(20), Duration.ofMillis(40));
        assertThatThrownBy(() -> LatencyPlan.parseSteps("10s")).hasMessageContaining("AFTER=MS");
    }

    private String statusesWithFaultRates() throws Exception {
        simulator.reset();
        simulator.faultRates(42, FaultRate.of(Fault.status(500), 0.3));
        StringBuilder statuses = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            statuses.append(get("/priv/v1/apps/key-1/users/c/tags").statusCode()).append(' ');
        }
        return statuses.toString();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(postRequest(path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest postRequest(String path, String body) {
        return HttpRequest.newBuilder(uri(path))
            .header("Authorization", basic(KEY, SECRET))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", basic(KEY, SECRET)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create(simulator.baseUrl() + path);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

}
