package com.loyaltybridge.tagsync.sessionm;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.loyaltybridge.tagsync.sessionm.SessionmSettings.InDoubtPolicy;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.AlreadyTagged;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.AuthenticationFailed;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.NotDelivered;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.Rejected;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.Tagged;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.sessionm.simulator.RecordedRequest;
import com.loyaltybridge.tagsync.sessionm.simulator.SessionmSimulator;

import static com.loyaltybridge.tagsync.sessionm.IdentifierType.EXTERNAL_ID;
import static com.loyaltybridge.tagsync.sessionm.IdentifierType.USER_ID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SessionmClient} against a real HTTP server: what it returns, and what SessionM
 * received.
 */
class SessionmClientTest {

    private static final String KEY = "app-key-7";

    private static final String SECRET = "s3cr3t-never-logged";

    @AutoClose
    private static final SessionmSimulator simulator = SessionmSimulator.start(KEY, SECRET);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void fresh() {
        simulator.reset();
    }

    static Stream<Arguments> hostileIdentifiers() {
        return Stream.of(Arguments.of("a/b", "a%2Fb"), Arguments.of("../../admin", "..%2F..%2Fadmin"),
                Arguments.of("x y", "x%20y"), Arguments.of("id?x=1", "id%3Fx%3D1"),
                Arguments.of("%2e%2e", "%252e%252e"), Arguments.of("..", "%2E%2E"), Arguments.of(".", "%2E"),
                Arguments.of("ünï", "%C3%BCn%C3%AF"), Arguments.of("a#b", "a%23b"),
                Arguments.of("a+b;c=d@e:f", "a%2Bb%3Bc%3Dd%40e%3Af"));
    }

    @ParameterizedTest
    @MethodSource("hostileIdentifiers")
    void sendsAnyIdentifierAsExactlyOnePathSegment(String identifier, String encoded) {
        TagOutcome outcome = client(settings()).send(counter(EXTERNAL_ID, identifier, "vip"));

        assertThat(outcome).isEqualTo(new Tagged(false));
        RecordedRequest received = simulator.requests().get(0);
        assertThat(received.rawPath()).isEqualTo("/priv/v1/apps/" + KEY + "/external/users/" + encoded + "/tags");
        assertThat(received.identifierType()).isEqualTo(EXTERNAL_ID);
        assertThat(received.identifier()).isEqualTo(identifier);
        assertThat(simulator.appliedCounts(EXTERNAL_ID, identifier)).containsExactly(Map.entry("vip", 1));
    }

    @Test
    void postsUserIdsOnTheUsersPathWithBasicAuthAndJsonBodies() {
        SessionmClient client = client(settings());

        client.send(new TagRequest(USER_ID, "u-1", List.of("promo", "summer"), 2_592_000L));
        client.send(counter(USER_ID, "u-1", "vip"));

        List<RecordedRequest> posts = simulator.postsFor(USER_ID, "u-1");
        assertThat(posts).extracting(RecordedRequest::rawPath).containsOnly("/priv/v1/apps/" + KEY + "/users/u-1/tags");
        assertThat(posts).extracting(RecordedRequest::authorization)
            .containsOnly("Basic "
                    + Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(posts).extracting(RecordedRequest::contentType).containsOnly("application/json");
        assertThat(posts).extracting(RecordedRequest::body)
            .containsExactly("{\"tags\":[\"promo\",\"summer\"],\"ttl\":2592000}", "{\"tags\":[\"vip\"]}");
    }

    @Test
    void retryAfterHoldsBackEveryThreadUntilItHasPassed() throws Exception {
        SessionmClient client = client(settings());
        simulator.faultFor("first", Fault.tooManyRequests("1"));

        CompletableFuture<TagOutcome> throttled = CompletableFuture
            .supplyAsync(() -> client.send(counter(EXTERNAL_ID, "first", "vip")));
        RecordedRequest tooMany = awaitRequests(1).get(0);
        Thread.sleep(100);
        TagOutcome other = client.send(counter(EXTERNAL_ID, "second", "vip"));

        assertThat(throttled.get()).isEqualTo(new Tagged(false));
        assertThat(other).isEqualTo(new Tagged(false));
        List<RecordedRequest> later = simulator.requests().subList(1, 3);
        assertThat(later).allSatisfy(request -> assertThat(request.receivedNanos() - tooMany.receivedNanos())
            .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos()));
        assertThat(simulator.postCount()).isEqualTo(3);
        assertThat(meters.counter("sessionm.throttled").count()).isEqualTo(1);
    }

    @Test
    void a500IsSettledByReadingThenSentOnce() {
        simulator.enqueue(Fault.status(500));

        TagOutcome outcome = client(settings()).send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isEqualTo(new Tagged(false));
        assertThat(methods()).containsExactly("POST", "GET", "POST");
        assertThat(simulator.appliedCounts(EXTERNAL_ID, "c")).containsExactly(Map.entry("vip", 1));
        assertThat(meters.counter("sessionm.retries").count()).isEqualTo(1);
        assertThat(meters.counter("sessionm.requests", "method", "POST", "outcome", "retryable_error", "status", "500")
            .count()).isEqualTo(1);
        assertThat(meters.counter("sessionm.requests", "method", "GET", "outcome", "ok", "status", "200").count())
            .isEqualTo(1);
        assertThat(meters.timer("sessionm.request.latency", "method", "POST", "outcome", "ok").count()).isEqualTo(1);
    }

    @Test
    void a503IsRetriedWithoutReadingBecauseNothingWasApplied() {
        simulator.enqueue(Fault.status(503), Fault.status(503));

        TagOutcome outcome = client(settings()).send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isEqualTo(new Tagged(false));
        assertThat(methods()).containsExactly("POST", "POST", "POST");
        assertThat(simulator.appliedCounts(EXTERNAL_ID, "c")).containsExactly(Map.entry("vip", 1));
    }

    @Test
    void aResetBeforeApplyingIsSettledThenSentAgain() {
        simulator.enqueue(Fault.resetBeforeApply());

        TagOutcome outcome = client(settings()).send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isEqualTo(new Tagged(false));
        assertThat(methods()).containsExactly("POST", "GET", "POST");
        assertThat(simulator.appliedCounts(EXTERNAL_ID, "c")).containsExactly(Map.entry("vip", 1));
    }

    @Test
    void aResetAfterApplyingIsSettledByReadingAndNotSentAgain() {
        simulator.enqueue(Fault.resetAfterApply());

        TagOutcome outcome = client(settings()).send(ttl(EXTERNAL_ID, "c", "promo"));

        assertThat(outcome).isEqualTo(new AlreadyTagged(false));
        assertThat(methods()).containsExactly("POST", "GET");
        assertThat(simulator.stats().tagPosts()).singleElement().satisfies(posts -> {
            assertThat(posts.posts()).isEqualTo(1);
            assertThat(posts.appliedPosts()).isEqualTo(1);
        });
    }

    @Test
    void aTtlTagAppliedButAnsweredAfterTheTimeoutIsNotSentAgain() {
        simulator.enqueue(Fault.applyThenDelay(Duration.ofSeconds(2)));

        TagOutcome outcome = client(settings().withRequestTimeout(Duration.ofMillis(300)))
            .send(ttl(EXTERNAL_ID, "c", "promo"));

        assertThat(outcome).isEqualTo(new AlreadyTagged(false));
        assertThat(methods()).containsExactly("POST", "GET");
    }

    @Test
    void aCounterTagAppliedButAnsweredAfterTheTimeoutIsAssumedAppliedByDefault() {
        simulator.enqueue(Fault.applyThenDelay(Duration.ofSeconds(2)));

        TagOutcome outcome = client(settings().withRequestTimeout(Duration.ofMillis(300)))
            .send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isEqualTo(new AlreadyTagged(true));
        assertThat(methods()).containsExactly("POST", "GET");
        assertThat(simulator.appliedCounts(EXTERNAL_ID, "c")).containsExactly(Map.entry("vip", 1));
    }

    @Test
    void aCounterTagAppliedButAnsweredAfterTheTimeoutIsSentAgainUnderResend() {
        simulator.enqueue(Fault.applyThenDelay(Duration.ofSeconds(2)));

        TagOutcome outcome = client(
                settings().withRequestTimeout(Duration.ofMillis(300)).withInDoubtCounterTags(InDoubtPolicy.RESEND))
            .send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isEqualTo(new Tagged(true));
        assertThat(methods()).containsExactly("POST", "GET", "POST");
        assertThat(simulator.appliedCounts(EXTERNAL_ID, "c")).containsExactly(Map.entry("vip", 2));
    }

    @Test
    void onlyTheMissingTagsAreSentAfterAnUnknownOutcome() {
        simulator.preloadTag(EXTERNAL_ID, "c", "old", 3);
        simulator.enqueue(Fault.status(504));

        TagOutcome outcome = client(settings()).send(counter(EXTERNAL_ID, "c", "old", "new"));

        assertThat(outcome).isEqualTo(new Tagged(true));
        assertThat(simulator.postsFor(EXTERNAL_ID, "c")).extracting(RecordedRequest::body)
            .containsExactly("{\"tags\":[\"old\",\"new\"]}", "{\"tags\":[\"new\"]}");
        assertThat(simulator.appliedCounts(EXTERNAL_ID, "c")).containsEntry("old", 3).containsEntry("new", 1);
    }

    @Test
    void aRetryableErrorBodyIsRetried() {
        simulator.enqueue(Fault.errorBody("INTERNAL_SERVER_ERROR"));

        TagOutcome outcome = client(settings()).send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isEqualTo(new Tagged(false));
        assertThat(simulator.appliedCounts(EXTERNAL_ID, "c")).containsExactly(Map.entry("vip", 1));
    }

    @Test
    void anUnknownCustomerIsRejectedWithSessionmsCode() {
        simulator.unknownCustomers("ghost");

        TagOutcome outcome = client(settings()).send(counter(EXTERNAL_ID, "ghost", "vip"));

        assertThat(outcome).isInstanceOfSatisfying(Rejected.class, rejected -> {
            assertThat(rejected.httpStatus()).isEqualTo(404);
            assertThat(rejected.code()).isEqualTo("user_not_found");
        });
        assertThat(simulator.postCount()).isEqualTo(1);
        assertThat(meters.counter("sessionm.rejections", "code", "user_not_found").count()).isEqualTo(1);
    }

    @Test
    void anErrorBodyWithHttp200IsARejection() {
        simulator.enqueue(Fault.errorBody("requires_registered_user"));

        TagOutcome outcome = client(settings()).send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isInstanceOfSatisfying(Rejected.class, rejected -> {
            assertThat(rejected.httpStatus()).isEqualTo(200);
            assertThat(rejected.code()).isEqualTo("requires_registered_user");
        });
        assertThat(simulator.postCount()).isEqualTo(1);
    }

    @Test
    void refusedCredentialsFailAuthentication() {
        simulator.revokeCredentials();

        TagOutcome outcome = client(settings()).send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isEqualTo(new AuthenticationFailed(401, "invalid_auth_token"));
        assertThat(simulator.postCount()).isEqualTo(1);
    }

    @Test
    void notAppliedFailuresUntilRetriesRunOutAreNotDeliveredAndNotApplied() {
        simulator.enqueue(Fault.status(503), Fault.status(503), Fault.status(503));

        TagOutcome outcome = client(settings().withMaxRetries(2)).send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isEqualTo(new NotDelivered("HTTP 503 not_available, 3 attempts", false));
        assertThat(simulator.postCount()).isEqualTo(3);
    }

    @Test
    void a500AfterApplyingIsSettledByReadingAndNotSentAgain() {
        simulator.enqueue(Fault.status(500).afterApplying());

        TagOutcome outcome = client(settings()).send(ttl(EXTERNAL_ID, "c", "promo"));

        assertThat(outcome).isEqualTo(new AlreadyTagged(false));
        assertThat(methods()).containsExactly("POST", "GET");
    }

    @Test
    void unknownOutcomesUntilRetriesRunOutMayHaveBeenApplied() {
        simulator.enqueue(Fault.status(500), Fault.status(500), Fault.status(500));

        TagOutcome outcome = client(settings().withMaxRetries(2)).send(ttl(EXTERNAL_ID, "c", "promo"));

        assertThat(outcome).isEqualTo(new NotDelivered("HTTP 500 internal_server_error, 3 attempts", true));
        assertThat(methods()).containsExactly("POST", "GET", "POST", "GET", "POST");
    }

    @Test
    void aTagsReadThatKeepsFailingLeavesTheOutcomeUnknown() {
        simulator.enqueue(Fault.status(502));
        simulator.readFaultFor("c", Fault.status(500), Fault.status(500), Fault.status(500));

        TagOutcome outcome = client(settings().withMaxRetries(2)).send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome)
            .isEqualTo(new NotDelivered("reading tags: HTTP 500 internal_server_error, 3 attempts", true));
        assertThat(simulator.postCount()).isEqualTo(1);
    }

    @Test
    void aCustomerTheSettlingReadDoesNotFindIsRejectedNotLeftInDoubt() {
        simulator.unknownCustomers("ghost");
        simulator.faultFor("ghost", Fault.status(500));

        TagOutcome outcome = client(settings()).send(counter(EXTERNAL_ID, "ghost", "vip"));

        assertThat(outcome).isEqualTo(new Rejected(404, "user_not_found", "HTTP 404 user_not_found"));
        assertThat(methods()).containsExactly("POST", "GET");
    }

    @Test
    void aTagsReadWithoutATagListSendsNothingOnAGuess() {
        simulator.enqueue(Fault.status(500));
        simulator.readFaultFor("c", Fault.status(200, "{\"status\":\"ok\"}", Map.of()));

        TagOutcome outcome = client(settings()).send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isInstanceOfSatisfying(NotDelivered.class,
                notDelivered -> assertThat(notDelivered.mayHaveBeenApplied()).isTrue());
        assertThat(simulator.postCount()).isEqualTo(1);
    }

    @Test
    void throttlingLongerThanAllRetriesStillSucceeds() {
        Fault[] storm = Stream.generate(() -> (Fault) Fault.status(429, "{}", Map.of()))
            .limit(12)
            .toArray(Fault[]::new);
        simulator.faultFor("c", storm);

        TagOutcome outcome = client(settings().withMaxRetries(1)).send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isEqualTo(new Tagged(false));
        assertThat(simulator.postCount()).isEqualTo(13);
        assertThat(meters.counter("sessionm.retries").count()).isZero();
        assertThat(meters.counter("sessionm.throttled").count()).isEqualTo(12);
    }

    @Test
    void throttlingLongerThanMaxThrottledWaitIsNotDeliveredAndNotApplied() {
        simulator.faultFor("c",
                Stream.generate(() -> (Fault) Fault.status(429, "{}", Map.of())).limit(100).toArray(Fault[]::new));

        TagOutcome outcome = client(settings().withMaxThrottledWait(Duration.ofMillis(200)))
            .send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome).isInstanceOfSatisfying(NotDelivered.class, notDelivered -> {
            assertThat(notDelivered.reason()).startsWith("HTTP 429");
            assertThat(notDelivered.mayHaveBeenApplied()).isFalse();
        });
        assertThat(simulator.appliedCounts(EXTERNAL_ID, "c")).isEmpty();
    }

    @Test
    void settlingReadsFirstAndSendsOnlyWhatIsMissing() {
        SessionmClient client = client(settings());
        simulator.preloadTag(EXTERNAL_ID, "held", "vip", 1);

        assertThat(client.settle(counter(EXTERNAL_ID, "held", "vip"))).isEqualTo(new AlreadyTagged(true));
        assertThat(client.settle(counter(EXTERNAL_ID, "fresh", "vip"))).isEqualTo(new Tagged(false));

        assertThat(methods()).containsExactly("GET", "GET", "POST");
        assertThat(simulator.appliedCounts(EXTERNAL_ID, "held")).containsExactly(Map.entry("vip", 1));
        assertThat(simulator.appliedCounts(EXTERNAL_ID, "fresh")).containsExactly(Map.entry("vip", 1));
    }

    @Test
    void aKeptAliveConnectionTheServerClosedWhileIdleIsNotUsedSoNothingIsLeftInDoubt() throws InterruptedException {
        SessionmClient client = client(settings());
        simulator.idleTimeout(Duration.ofMillis(200));
        simulator.preloadTag(EXTERNAL_ID, "held", "vip", 1);
        assertThat(client.send(counter(EXTERNAL_ID, "first", "vip"))).isEqualTo(new Tagged(false));

        Thread.sleep(1_500);

        assertThat(client.send(counter(EXTERNAL_ID, "held", "vip"))).isEqualTo(new Tagged(false));
        assertThat(methods()).containsExactly("POST", "POST");
        assertThat(simulator.appliedCounts(EXTERNAL_ID, "held")).containsExactly(Map.entry("vip", 2));
    }

    @Test
    void aServerThatCannotBeReachedIsNotDeliveredAndNotApplied() {
        int closedPort;
        try (SessionmSimulator gone = SessionmSimulator.start(KEY, SECRET)) {
            closedPort = gone.baseUrl().getPort();
        }
        SessionmSettings unreachable = SimulatorSettings.of(URI.create("http://127.0.0.1:" + closedPort), KEY, SECRET)
            .withMaxRetries(1)
            .build();

        TagOutcome outcome = SessionmClientFactory
            .client(unreachable, new RequestThrottle(0), new InFlightLimiter(1, 0), meters)
            .send(counter(EXTERNAL_ID, "c", "vip"));

        assertThat(outcome)
            .isEqualTo(new NotDelivered("could not connect (HttpHostConnectException), 2 attempts", false));
    }

    private SimulatorSettings settings() {
        return SimulatorSettings.of(simulator.baseUrl(), KEY, SECRET);
    }

    private SessionmClient client(SimulatorSettings settings) {
        SessionmSettings built = settings.build();
        return SessionmClientFactory.client(built, new RequestThrottle(built.requestsPerSecond()),
                new InFlightLimiter(built.maxInFlight(), built.requestsPerSecond()), meters);
    }

    private static List<String> methods() {
        return simulator.requests().stream().map(RecordedRequest::method).toList();
    }

    private static List<RecordedRequest> awaitRequests(int count) throws InterruptedException {
        while (simulator.requests().size() < count) {
            Thread.sleep(5);
        }
        return simulator.requests();
    }

    static TagRequest counter(IdentifierType type, String identifier, String... tags) {
        return new TagRequest(type, identifier, List.of(tags), null);
    }

    static TagRequest ttl(IdentifierType type, String identifier, String... tags) {
        return new TagRequest(type, identifier, List.of(tags), 3600L);
    }

}
