package com.loyaltybridge.tagsync.sessionm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.sessionm.TagOutcome.AlreadyTagged;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.AuthenticationFailed;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.NotDelivered;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.Rejected;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.Tagged;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.sessionm.simulator.RecordedRequest;
import com.loyaltybridge.tagsync.sessionm.simulator.SessionmSimulator;

import static com.loyaltybridge.tagsync.sessionm.IdentifierType.EXTERNAL_ID;
import static com.loyaltybridge.tagsync.sessionm.SessionmClientTest.counter;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SessionmTagSender} against a real HTTP server: order, concurrency, rate and
 * stopping on bad credentials.
 */
class SessionmTagSenderTest {

    private static final String KEY = "sender-key";

    private static final String SECRET = "sender-secret";

    @AutoClose
    private static final SessionmSimulator simulator = SessionmSimulator.start(KEY, SECRET);

    @BeforeEach
    void fresh() {
        simulator.reset();
    }

    @Test
    void returnsOutcomesInTheOrderOfTheSends() throws Exception {
        simulator.unknownCustomers("c-3", "c-7");
        simulator.preloadTag(EXTERNAL_ID, "c-5", "vip", 1);
        List<TagSend> sends = IntStream.range(0, 10)
            .mapToObj(i -> new TagSend(counter(EXTERNAL_ID, "c-" + i, "vip"), i == 5))
            .toList();

        List<TagOutcome> outcomes;
        try (SessionmTagSender sender = sender(settings())) {
            outcomes = sender.sendAll(sends);
        }

        assertThat(outcomes).hasSize(10);
        for (int i = 0; i < 10; i++) {
            TagOutcome expected = switch (i) {
                case 3, 7 -> new Rejected(404, "user_not_found", "HTTP 404 user_not_found");
                case 5 -> new AlreadyTagged(true);
                default -> new Tagged(false);
            };
            assertThat(outcomes.get(i)).as("outcome %d", i).isEqualTo(expected);
        }
        assertThat(simulator.postCount()).isEqualTo(9);
    }

    @Test
    void neverHasMoreThanMaxInFlightRequestsUnderWayAndReusesConnections() throws Exception {
        simulator.latency(Duration.ofMillis(40));
        List<TagSend> sends = IntStream.range(0, 30)
            .mapToObj(i -> new TagSend(counter(EXTERNAL_ID, "c-" + i, "vip"), false))
            .toList();

        List<TagOutcome> outcomes;
        try (SessionmTagSender sender = sender(settings().withMaxInFlight(3))) {
            outcomes = sender.sendAll(sends);
        }

        assertThat(outcomes).containsOnly(new Tagged(false));
        assertThat(simulator.maxConcurrentRequests()).isEqualTo(3);
        assertThat(simulator.stats().connectionsOpened()).as("connections are reused").isLessThanOrEqualTo(3);
    }

    @Test
    void makesThreadsAsTheInFlightLimitUsesThemNotForItsWholeBound() throws Exception {
        simulator.latency(Duration.ofMillis(20));
        List<TagSend> sends = IntStream.range(0, 200)
            .mapToObj(i -> new TagSend(counter(EXTERNAL_ID, "c-" + i, "vip"), false))
            .toList();

        try (SessionmTagSender warmUp = sender(settings())) {
            // The first requests of a JVM wait on class loading: a latency that is not
            // SessionM's.
            warmUp.sendAll(sends.subList(0, 20));
        }
        simulator.reset();
        simulator.latency(Duration.ofMillis(20));

        long threads;
        try (SessionmTagSender sender = sender(settings().withMaxInFlight(512).withRequestsPerSecond(200))) {
            assertThat(sender.sendAll(sends)).containsOnly(new Tagged(false));
            threads = Thread.getAllStackTraces()
                .keySet()
                .stream()
                .filter(thread -> thread.getName().startsWith("sessionm-send-"))
                .count();
        }

        // 200 requests/s x 20 ms is 4 calls under way: the limit grows to about 7, not to
        // 512.
        assertThat(simulator.maxConcurrentRequests()).isLessThan(64);
        assertThat(threads).isLessThan(64);
    }

    @Test
    void spacesRequestsEvenlyAtTheRateLimitAcrossThreads() throws Exception {
        double rate = 40;
        List<TagSend> sends = IntStream.range(0, 41)
            .mapToObj(i -> new TagSend(counter(EXTERNAL_ID, "c-" + i, "vip"), false))
            .toList();

        try (SessionmTagSender sender = sender(settings().withMaxInFlight(8).withRequestsPerSecond(rate))) {
            // The first requests of a JVM wait on class loading and connection set-up,
            // not on the throttle.
            sender.sendAll(sends.subList(0, 8));
            simulator.reset();
            long start = System.nanoTime();
            sender.sendAll(sends);

            // A loaded machine can delay a request but never advance one: the i-th
            // arrival comes no earlier than
            // i/rate after the start, whatever the load, and a bursty limiter fails this.
            List<Long> arrivals = simulator.requests().stream().map(RecordedRequest::receivedNanos).sorted().toList();
            assertThat(arrivals).hasSize(sends.size());
            for (int i = 0; i < arrivals.size(); i++) {
                assertThat(arrivals.get(i)).as("request %d at %s/s", i + 1, rate)
                    .isGreaterThanOrEqualTo(start + (long) ((i - 1) / rate * 1e9));
            }
            assertThat(arrivals.get(arrivals.size() - 1) - start).as("and the limit is not far below the rate")
                .isLessThan(Duration.ofSeconds(5).toNanos());
        }
    }

    @Test
    void stopsStartingSendsOnceCredentialsAreRefused() throws Exception {
        simulator.revokeCredentials();
        simulator.latency(Duration.ofMillis(20));
        List<TagSend> sends = IntStream.range(0, 20)
            .mapToObj(i -> new TagSend(counter(EXTERNAL_ID, "c-" + i, "vip"), false))
            .toList();

        List<TagOutcome> outcomes;
        try (SessionmTagSender sender = sender(settings().withMaxInFlight(2))) {
            outcomes = sender.sendAll(sends);
        }

        List<TagOutcome> authFailures = new ArrayList<>();
        List<TagOutcome> notSent = new ArrayList<>();
        for (TagOutcome outcome : outcomes) {
            (outcome instanceof AuthenticationFailed ? authFailures : notSent).add(outcome);
        }
        assertThat(authFailures).isNotEmpty()
            .hasSizeLessThanOrEqualTo(2)
            .containsOnly(new AuthenticationFailed(401, "invalid_auth_token"));
        assertThat(notSent).containsOnly(new NotDelivered("not sent: SessionM rejected the credentials", false));
        assertThat(simulator.postCount()).isEqualTo(authFailures.size());
    }

    @Test
    void closingTheSenderInterruptsCallsUnderWayAndCancelsTheRest() throws Exception {
        simulator.faultFor("c-0", Fault.hang());
        List<TagSend> sends = IntStream.range(0, 3)
            .mapToObj(i -> new TagSend(counter(EXTERNAL_ID, "c-" + i, "vip"), false))
            .toList();
        SessionmTagSender sender = sender(settings().withMaxInFlight(1).withRequestTimeout(Duration.ofSeconds(2)));

        CompletableFuture<List<TagOutcome>> outcomes = CompletableFuture.supplyAsync(() -> sender.sendAll(sends));
        while (simulator.hungCount() == 0) {
            Thread.sleep(5);
        }
        sender.close();

        assertThat(outcomes.get(10, TimeUnit.SECONDS)).containsExactly(new NotDelivered("interrupted", true),
                new NotDelivered("not sent: the sender is shut down", false),
                new NotDelivered("not sent: the sender is shut down", false));
        assertThat(simulator.postCount()).isEqualTo(1);
    }

    @Test
    void aClosedSenderSendsNothing() throws Exception {
        SessionmTagSender sender = sender(settings());
        sender.close();

        List<TagOutcome> outcomes = sender.sendAll(List.of(new TagSend(counter(EXTERNAL_ID, "c", "vip"), false)));

        assertThat(outcomes).containsExactly(new NotDelivered("not sent: the sender is shut down", false));
        assertThat(simulator.postCount()).isZero();
    }

    private SimulatorSettings settings() {
        return SimulatorSettings.of(simulator.baseUrl(), KEY, SECRET);
    }

    private static SessionmTagSender sender(SimulatorSettings settings) {
        SessionmSettings built = settings.build();
        InFlightLimiter limiter = new InFlightLimiter(built.maxInFlight(), built.requestsPerSecond());
        SessionmClient client = SessionmClientFactory.client(built, new RequestThrottle(built.requestsPerSecond()),
                limiter, new SimpleMeterRegistry());
        return new SessionmTagSender(client, limiter);
    }

}
