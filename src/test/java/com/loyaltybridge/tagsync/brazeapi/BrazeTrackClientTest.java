package com.loyaltybridge.tagsync.brazeapi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import com.loyaltybridge.tagsync.brazeapi.BrazeTrackClient.BatchOutcome;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.CredentialsRefused;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.NotDelivered;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.Refused;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.RejectedUser;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.Throttled;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.Tracked;
import com.loyaltybridge.tagsync.brazeapi.simulator.BrazeFault;
import com.loyaltybridge.tagsync.brazeapi.simulator.BrazeSimulator;
import com.loyaltybridge.tagsync.brazeapi.simulator.TrackRequest;
import com.loyaltybridge.tagsync.sessionm.RequestThrottle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link BrazeTrackClient} against a real HTTP server: what it returns, and what Braze
 * received.
 */
class BrazeTrackClientTest {

    private static final String KEY = "braze-rest-key-0123";

    @AutoClose
    private static final BrazeSimulator braze = BrazeSimulator.start(KEY);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final List<BrazeTrackClient> clients = new ArrayList<>();

    @BeforeEach
    void fresh() {
        braze.reset();
    }

    @AfterEach
    void closeClients() throws InterruptedException {
        for (BrazeTrackClient client : clients) {
            client.close();
        }
    }

    @Test
    void brazeReceivesExactlyTheAttributeObjectsWithTheBearerKey() {
        List<UserAttributes> users = List.of(
                attributes(BrazeUser.externalId("u-1"), "title", "Say \"hi\"\nthen <script>alert(1)</script> 🎁"),
                attributes(BrazeUser.brazeId("5f3e0c2a9b1d"), "title", "anonymous"));

        TrackOutcome outcome = client(settings()).track(users);

        assertThat(outcome).isEqualTo(new Tracked(
                List.of(BrazeUser.externalId("u-1"), BrazeUser.brazeId("5f3e0c2a9b1d")), List.of(), List.of()));
        assertThat(braze.attributeObjects()).containsExactly(users.get(0).toJson(), users.get(1).toJson());
        assertThat(braze.profile("external_id", "u-1").get("title").asString())
            .isEqualTo("Say \"hi\"\nthen <script>alert(1)</script> 🎁");
        TrackRequest request = braze.requests().get(0);
        assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(meters.counter("braze.track.users", "result", "written").count()).isEqualTo(2);
    }

    @Test
    void eachObjectAsksBrazeNotToCreateProfilesWhenUpdateExistingOnlyIsOn() {
        UserAttributes user = attributes(BrazeUser.externalId("u-1"), "points", 5);

        client(settings().withUpdateExistingOnly(true)).track(List.of(user));

        ObjectNode expected = user.toJson();
        expected.put("_update_existing_only", true);
        assertThat(braze.attributeObjects()).containsExactly(expected);
    }

    @Test
    void aNullRemovesTheAttributeFromTheProfile() {
        BrazeTrackClient client = client(settings());
        client.track(List.of(attributes(BrazeUser.externalId("u-1"), "points", 5)));

        ObjectNode cleared = JsonMapper.shared().createObjectNode().putNull("points");
        client.track(List.of(new UserAttributes(BrazeUser.externalId("u-1"), cleared)));

        assertThat(braze.profile("external_id", "u-1")).isEmpty();
    }

    @Test
    void trackAllSendsBatchesOfAtMost75AndEveryUserOnce() {
        List<UserAttributes> users = users(200);

        List<BatchOutcome> outcomes = client(settings()).trackAll(users);

        assertThat(outcomes).extracting(outcome -> outcome.batch().size()).containsExactly(75, 75, 50);
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.outcome()).isInstanceOf(Tracked.class));
        assertThat(braze.requests()).extracting(TrackRequest::attributeObjects).containsExactlyInAnyOrder(75, 75, 50);
        assertThat(braze.attributeObjects())
            .containsExactlyInAnyOrderElementsOf(users.stream().map(UserAttributes::toJson).toList());
    }

    @Test
    void batchesFollowTheSettingForAccountsLimitedTo50() {
        List<BatchOutcome> outcomes = client(settings().withAttributesPerRequest(50)).trackAll(users(120));

        assertThat(outcomes).extracting(outcome -> outcome.batch().size()).containsExactly(50, 50, 20);
        assertThat(braze.requests()).extracting(TrackRequest::attributeObjects)
            .allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(50));
    }

    @Test
    void aBatchLargerThanTheSettingIsRefusedBeforeSending() {
        BrazeTrackClient client = client(settings().withAttributesPerRequest(50));

        assertThatIllegalArgumentException().isThrownBy(() -> client.track(users(51)))
            .withMessage("a /users/track request carries 1 to 50 attribute objects, not 51");
        assertThatIllegalArgumentException().isThrownBy(() -> client.track(List.of()));
        assertThat(braze.requests()).isEmpty();
    }

    @Test
    void brazesCapOnObjectsRefusesTheWholeRequestWithItsMessage() {
        braze.maxObjectsPerRequest(50);

        TrackOutcome outcome = client(settings()).track(users(75));

        assertThat(outcome).isEqualTo(new Refused(400, "HTTP 400 Max Input Length Exceeded"));
        assertThat(braze.attributeObjects()).isEmpty();
        assertThat(braze.requests()).hasSize(1);
    }

    @Test
    void usersBrazeNamesInErrorsAreRejectedWithItsMessageAndTheRestWritten() {
        braze.rejectUser("external_id", "u-2", "Invalid value for 'points'");

        TrackOutcome outcome = client(settings()).track(users(3));

        assertThat(outcome).isEqualTo(new Tracked(List.of(BrazeUser.externalId("u-1"), BrazeUser.externalId("u-3")),
                List.of(new RejectedUser(BrazeUser.externalId("u-2"), "Invalid value for 'points'")), List.of()));
        assertThat(braze.profile("external_id", "u-2")).isEmpty();
        assertThat(braze.profile("external_id", "u-3")).containsKey("points");
        assertThat(meters.counter("braze.track.users", "result", "rejected").count()).isEqualTo(1);
    }

    @Test
    void errorsThatNameNoUserAreKeptApartAndTheUsersCountAsWritten() {
        braze.enqueue(new BrazeFault.Answer(201,
                "{\"message\":\"success\",\"errors\":[{\"type\":\"quota\"},"
                        + "{\"type\":\"odd\",\"input_array\":\"events\",\"index\":0},\"plain text\"]}",
                Map.of(), "application/json"));

        TrackOutcome outcome = client(settings()).track(users(1));

        assertThat(outcome).isEqualTo(
                new Tracked(List.of(BrazeUser.externalId("u-1")), List.of(), List.of("quota", "odd", "plain text")));
    }

    @Test
    void serverErrorsTimeoutsAndResetsAreRetriedAndTheAttributesEndUpOnce() {
        braze.enqueue(BrazeFault.status(500), BrazeFault.html(502), BrazeFault.reset(),
                BrazeFault.processThenDelay(Duration.ofSeconds(2)), BrazeFault.status(503));

        TrackOutcome outcome = client(settings().withMaxRetries(5)).track(users(2));

        assertThat(outcome).isInstanceOf(Tracked.class);
        assertThat(braze.requests()).hasSize(6);
        // Processed by the request whose answer came too late, and by the retry: the same
        // values twice.
        assertThat(braze.attributeObjectsFor("external_id", "u-1")).hasSize(2).containsOnly(users(1).get(0).toJson());
        assertThat(braze.profile("external_id", "u-1")).containsEntry("points", JsonMapper.shared().valueToTree(1));
        assertThat(meters.counter("braze.track.retries").count()).isEqualTo(5);
        assertThat(meters.counter("braze.track.requests", "outcome", "retryable_error", "status", "502").count())
            .isEqualTo(1);
    }

    @Test
    void failuresThatOutlastTheRetriesLeaveTheBatchNotDelivered() {
        braze.enqueue(BrazeFault.status(500), BrazeFault.status(500), BrazeFault.status(500));

        TrackOutcome outcome = client(settings().withMaxRetries(2)).track(users(1));

        assertThat(outcome).isEqualTo(new NotDelivered("HTTP 500 Internal Server Error, 3 attempts"));
    }

    @Test
    void aSuccessThatIsNotJsonIsSentAgain() {
        braze.enqueue(BrazeFault.html(200));

        assertThat(client(settings()).track(users(1))).isInstanceOf(Tracked.class);

        assertThat(braze.requests()).hasSize(2);
    }

    @Test
    void otherClientErrorsRefuseTheBatchWithoutRetrying() {
        braze.enqueue(new BrazeFault.Answer(404, "{\"message\":\"Not\\nFound\"}", Map.of(), "application/json"));

        assertThat(client(settings()).track(users(1))).isEqualTo(new Refused(404, "HTTP 404 Not Found"));

        assertThat(braze.requests()).hasSize(1);
    }

    @Test
    void aRefusedKeyStopsTheBatchesNotYetStarted() {
        braze.revokeKey();

        List<BatchOutcome> outcomes = client(settings().withMaxInFlight(1)).trackAll(users(200));

        assertThat(outcomes).extracting(BatchOutcome::outcome)
            .containsExactly(new CredentialsRefused(401, "HTTP 401 Unauthorized"),
                    new NotDelivered(BrazeTrackClient.NOT_SENT_AUTH), new NotDelivered(BrazeTrackClient.NOT_SENT_AUTH));
        assertThat(braze.requests()).hasSize(1);
    }

    @Test
    void aKeyWithoutTheUsersTrackPermissionIsRefused() {
        braze.denyAccess();

        assertThat(client(settings()).track(users(1))).isEqualTo(new CredentialsRefused(403, "HTTP 403 Access Denied"));
    }

    @Test
    void a429HoldsBackEveryThreadUntilTheRateLimitResets() throws Exception {
        long resetEpochSeconds = Instant.now().getEpochSecond() + 2;
        braze.enqueue(new BrazeFault.Answer(429, "{\"message\":\"Rate Limited\"}",
                Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(resetEpochSeconds)),
                "application/json"));
        BrazeTrackClient client = client(settings());

        CompletableFuture<TrackOutcome> throttled = new CompletableFuture<>();
        Thread first = new Thread(() -> throttled.complete(client.track(List.of(users(2).get(0)))));
        first.start();
        awaitRequests(1);
        awaitWaiting(first);
        TrackOutcome other = client.track(List.of(users(2).get(1)));

        assertThat(throttled.get()).isInstanceOf(Tracked.class);
        assertThat(other).isInstanceOf(Tracked.class);
        assertThat(braze.requests()).hasSize(3);
        assertThat(braze.requests().subList(1, 3)).allSatisfy(
                request -> assertThat(request.receivedMillis()).isGreaterThanOrEqualTo(resetEpochSeconds * 1000));
        assertThat(meters.counter("braze.track.throttled").count()).isEqualTo(1);
        assertThat(meters.counter("braze.track.retries").count()).isZero();
    }

    @Test
    void aRetryAfterIsHonouredWhenTheRateLimitHeadersAreMissing() {
        braze.enqueue(new BrazeFault.Answer(429, "{}", Map.of("X-RateLimit-Reset", "", "Retry-After", "1"),
                "application/json"));

        assertThat(client(settings()).track(users(1))).isInstanceOf(Tracked.class);

        List<TrackRequest> requests = braze.requests();
        assertThat(requests.get(1).receivedNanos() - requests.get(0).receivedNanos())
            .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void throttlingLongerThanTheLimitEndsTheBatchThrottled() {
        braze.enqueue(new BrazeFault.Answer(429, "{}", Map.of("X-RateLimit-Reset", "", "Retry-After", "3"),
                "application/json"));

        TrackOutcome outcome = client(settings().withMaxThrottledWait(Duration.ofSeconds(1))).track(users(1));

        assertThat(outcome).isEqualTo(new Throttled("HTTP 429 throttled for longer than PT1S"));
        assertThat(braze.attributeObjects()).isEmpty();
    }

    @Test
    void fewRequestsLeftInBrazesWindowHoldEveryRequestUntilItResets() {
        braze.rateLimit(4, Duration.ofSeconds(1));
        BrazeTrackClient client = client(settings().withMaxInFlight(4));

        client.track(users(1));
        client.track(users(1));

        List<TrackRequest> requests = braze.requests();
        assertThat(requests.get(1).receivedMillis() / 1000).isGreaterThan(requests.get(0).receivedMillis() / 1000);
        assertThat(meters.counter("braze.track.rate.limit.pauses").count()).isEqualTo(2);
        assertThat(meters.counter("braze.track.throttled").count()).isZero();
    }

    @Test
    void theClientSideRateLimitSpacesRequestsAcrossThreads() {
        List<BatchOutcome> outcomes = client(
                settings().withRequestsPerSecond(10).withAttributesPerRequest(1).withMaxInFlight(4))
            .trackAll(users(4));

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.outcome()).isInstanceOf(Tracked.class));
        List<Long> arrivals = braze.requests()
            .stream()
            .map(TrackRequest::receivedNanos)
            .sorted(Comparator.naturalOrder())
            .toList();
        // One permit per 100 ms slot; the first slot may be half gone: the fourth request
        // starts two slots later.
        assertThat(arrivals.get(3) - arrivals.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    }

    @Test
    void aRequestWithoutEndpointOrKeyNamesTheMissingEnvironmentVariables() {
        BrazeTrackClient client = client(BrazeTestSettings.of(null, " "));

        assertThatIllegalStateException().isThrownBy(() -> client.track(users(1)))
            .withMessage("Braze is not configured: set BRAZE_REST_ENDPOINT, BRAZE_API_KEY");
    }

    private BrazeTestSettings settings() {
        return BrazeTestSettings.of(braze.baseUrl(), KEY);
    }

    private BrazeTrackClient client(BrazeTestSettings settings) {
        BrazeRestSettings built = settings.build();
        BrazeTrackClient client = new BrazeTrackClient(built, new RequestThrottle(built.requestsPerSecond()), meters);
        clients.add(client);
        return client;
    }

    /** Users u-1...u-N, each with {@code points} set to its number. */
    private static List<UserAttributes> users(int count) {
        return IntStream.rangeClosed(1, count)
            .mapToObj(i -> attributes(BrazeUser.externalId("u-" + i), "points", i))
            .toList();
    }

    private static UserAttributes attributes(BrazeUser user, String name, Object value) {
        ObjectNode attributes = JsonMapper.shared().createObjectNode();
        attributes.set(name, JsonMapper.shared().valueToTree(value));
        return new UserAttributes(user, attributes);
    }

    private static void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (braze.requests().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Braze did not receive " + count + " requests");
            }
            Thread.sleep(5);
        }
    }

    /**
     * Waits until {@code thread} sleeps: after its 429, in the throttle's pause, not
     * reading an answer.
     */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the throttled request did not start waiting");
            }
            Thread.sleep(1);
        }
    }

}
