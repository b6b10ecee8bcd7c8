package com.loyaltybridge.tagsync.offers;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.offers.WalletOutcome.CredentialsRefused;
import com.loyaltybridge.tagsync.offers.WalletOutcome.NotDelivered;
import com.loyaltybridge.tagsync.offers.WalletOutcome.Read;
import com.loyaltybridge.tagsync.offers.WalletOutcome.Rejected;
import com.loyaltybridge.tagsync.offers.WalletOutcome.Throttled;
import com.loyaltybridge.tagsync.offers.WalletOutcome.Unreadable;
import com.loyaltybridge.tagsync.sessionm.RequestThrottle;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets.Wallet;
import com.loyaltybridge.tagsync.sessionm.simulator.OffersRequest;
import com.loyaltybridge.tagsync.sessionm.simulator.SessionmSimulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link OfferWalletClient} against a real HTTP server: what it returns, and what
 * SessionM Connect received.
 */
class OfferWalletClientTest {

    @AutoClose
    private static final SessionmSimulator simulator = SessionmSimulator.start("core-key", "core-secret");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void fresh() {
        simulator.reset();
    }

    @Test
    void readsA120OfferWalletPageByPageUntilTotalRecords() {
        Wallet wallet = Wallet.generated(120, 150, 2_000);
        simulator.offers().put("u-120", wallet);

        WalletOutcome outcome = client(settings().withPageSize(50)).read("u-120", null);

        OfferWallet read = assertRead(outcome);
        assertThat(read.offers()).isEqualTo(wallet.offers());
        assertThat(read.availablePoints().asInt()).isEqualTo(150);
        assertThat(read.totalPoints().asInt()).isEqualTo(2_000);
        assertThat(read.totalRecords()).isEqualTo(120);
        assertThat(read.complete()).isTrue();
        assertThat(simulator.offers().requests()).extracting(OffersRequest::skip).containsExactly(0, 50, 100);
        assertThat(simulator.offers().requests()).extracting(OffersRequest::take).containsOnly(50);
    }

    @Test
    void postsTheDocumentedBodyWithTheConnectAuthorizationAsBasic() {
        simulator.offers().put("u-1", Wallet.of(10, 20, OfferWallets.offer("o-1", "Free coffee", "2027-01-31")));

        assertRead(client(settings()).read("u-1", "fr-CA"));
        assertRead(client(settings()).read("u-1", " "));

        List<OffersRequest> requests = simulator.offers().requests();
        assertThat(requests).extracting(OffersRequest::authorization)
            .containsOnly("Basic " + OfferWallets.DEFAULT_AUTHORIZATION);
        assertThat(requests).extracting(OffersRequest::contentType).containsOnly("application/json");
        assertThat(requests).extracting(OffersRequest::body)
            .containsExactly(
                    "{\"retailer_id\":\"" + OfferWallets.DEFAULT_RETAILER_ID + "\",\"user_id\":\"u-1\",\"skip\":0,"
                            + "\"take\":100,\"include_pending_extended_data\":false,\"culture\":\"fr-CA\"}",
                    "{\"retailer_id\":\"" + OfferWallets.DEFAULT_RETAILER_ID + "\",\"user_id\":\"u-1\",\"skip\":0,"
                            + "\"take\":100,\"include_pending_extended_data\":false,\"culture\":\"en-US\"}");
    }

    @Test
    void anAuthorizationGivenWithTheWordBasicIsSentAsItIs() {
        ConnectSettings withWord = settings()
            .withCredentials("Basic " + OfferWallets.DEFAULT_AUTHORIZATION, OfferWallets.DEFAULT_RETAILER_ID)
            .build();

        assertRead(new OfferWalletClient(withWord, new RequestThrottle(0), meters).read("u-1", null));
    }

    @Test
    void anEmptyWalletCostsOneRequestAndKeepsItsPoints() {
        simulator.offers().put("u-0", Wallet.of(5, 7));

        OfferWallet read = assertRead(client(settings()).read("u-0", null));

        assertThat(read.offers()).isEmpty();
        assertThat(read.availablePoints().asInt()).isEqualTo(5);
        assertThat(simulator.offers().requests()).hasSize(1);
    }

    @Test
    void aCustomerSessionmDoesNotKnowIsRejectedWithItsCodeAndNotAskedAgain() {
        simulator.offers().unknownUsers("ghost");

        WalletOutcome outcome = client(settings()).read("ghost", null);

        assertThat(outcome).isEqualTo(new Rejected(404, "user_not_found", "HTTP 404 user_not_found"));
        assertThat(simulator.offers().requests()).hasSize(1);
        assertThat(meters.counter("sessionm.connect.rejections", "code", "user_not_found").count()).isEqualTo(1);
    }

    @Test
    void statusErrorInAnHttp200IsARejectionNotAWallet() {
        simulator.offers().faultFor("u-1", Fault.errorBody("requires_registered_user"));

        WalletOutcome outcome = client(settings()).read("u-1", null);

        assertThat(outcome)
            .isEqualTo(new Rejected(200, "requires_registered_user", "HTTP 200 requires_registered_user"));
        assertThat(simulator.offers().requests()).hasSize(1);
    }

    @Test
    void aRetryableErrorCodeInAnHttp200IsAskedForAgain() {
        simulator.offers().faultFor("u-1", Fault.errorBody("internal_server_error"));

        assertRead(client(settings()).read("u-1", null));

        assertThat(simulator.offers().requests()).hasSize(2);
    }

    @Test
    void serverErrorsResetsAndTimeoutsAreRetriedUntilTheWalletIsRead() {
        simulator.offers().put("u-1", Wallet.generated(3, 1, 1));
        simulator.offers()
            .faultFor("u-1", Fault.status(500), Fault.status(503), Fault.resetBeforeApply(),
                    Fault.applyThenDelay(Duration.ofSeconds(2)), Fault.status(502));

        OfferWallet read = assertRead(client(settings().withMaxRetries(5)).read("u-1", null));

        assertThat(read.offers()).hasSize(3);
        assertThat(simulator.offers().requests()).hasSize(6);
        assertThat(meters.counter("sessionm.connect.retries").count()).isEqualTo(5);
        assertThat(meters
            .counter("sessionm.connect.requests", "method", "POST", "outcome", "retryable_error", "status", "500")
            .count()).isEqualTo(1);
        assertThat(
                meters.counter("sessionm.connect.requests", "method", "POST", "outcome", "io_error", "status", "none")
                    .count())
            .isEqualTo(2);
    }

    @Test
    void aPageThatFailsIsAskedForAgainWithoutReadingTheEarlierPagesTwice() {
        simulator.offers().put("u-120", Wallet.generated(120, 0, 0));
        simulator.offers().faultFor("u-120", Fault.none(), Fault.status(500));

        OfferWallet read = assertRead(client(settings().withPageSize(50)).read("u-120", null));

        assertThat(read.offers()).hasSize(120);
        assertThat(simulator.offers().requests()).extracting(OffersRequest::skip).containsExactly(0, 50, 50, 100);
    }

    @Test
    void failuresThatOutlastTheRetriesLeaveTheWalletNotDelivered() {
        simulator.offers().faultFor("u-1", Fault.status(500), Fault.status(500), Fault.status(500));

        WalletOutcome outcome = client(settings().withMaxRetries(2)).read("u-1", null);

        assertThat(outcome).isEqualTo(new NotDelivered("HTTP 500 internal_server_error, 3 attempts"));
    }

    @Test
    void retryAfterHoldsBackEveryThreadUntilItHasPassed() throws Exception {
        OfferWalletClient client = client(settings());
        simulator.offers().faultFor("first", Fault.tooManyRequests("1"));

        CompletableFuture<WalletOutcome> throttled = new CompletableFuture<>();
        Thread first = new Thread(() -> throttled.complete(client.read("first", null)));
        first.start();
        OffersRequest tooMany = awaitRequests(1).get(0);
        awaitWaiting(first);
        WalletOutcome other = client.read("second", null);

        assertRead(throttled.get());
        assertRead(other);
        List<OffersRequest> later = simulator.offers().requests().subList(1, 3);
        assertThat(later).allSatisfy(request -> assertThat(request.receivedNanos() - tooMany.receivedNanos())
            .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos()));
        assertThat(meters.counter("sessionm.connect.throttled").count()).isEqualTo(1);
        assertThat(meters.counter("sessionm.connect.retries").count()).isZero();
    }

    @Test
    void throttlingLongerThanTheLimitEndsTheReadThrottled() {
        simulator.offers().faultFor("u-1", Fault.tooManyRequests("1"), Fault.tooManyRequests("1"));

        WalletOutcome outcome = client(settings().withMaxThrottledWait(Duration.ofMillis(1500))).read("u-1", null);

        assertThat(outcome).isEqualTo(new Throttled("HTTP 429 throttled for longer than PT1.5S"));
        assertThat(simulator.offers().requests()).hasSize(2);
    }

    @Test
    void anAnswerThatIsNotJsonIsUnreadableAndNotAskedForAgain() {
        simulator.offers().faultFor("u-1", OfferWallets.notJson());
        simulator.offers()
            .faultFor("u-2", new Fault.Answer(404, "<html>Not Found</html>", java.util.Map.of(), false, "text/html"));
        simulator.offers().faultFor("u-3", Fault.status(200, "{\"status\":\"ok\"}", java.util.Map.of()));

        OfferWalletClient client = client(settings());

        assertThat(client.read("u-1", null)).isEqualTo(new Unreadable(200, "HTTP 200: the answer is not JSON"));
        assertThat(client.read("u-2", null)).isEqualTo(new Unreadable(404, "HTTP 404: the answer is not JSON"));
        assertThat(client.read("u-3", null)).isEqualTo(new Unreadable(200, "HTTP 200: the answer holds no payload"));
        assertThat(simulator.offers().requests()).hasSize(3);
    }

    @Test
    void refusedCredentialsEndTheReadAtOnce() {
        simulator.offers().revokeCredentials();
        simulator.offers().faultFor("u-2", Fault.errorBody("invalid_auth_token"));

        OfferWalletClient client = client(settings());

        assertThat(client.read("u-1", null)).isEqualTo(new CredentialsRefused(401, "unauthorized"));
        simulator.reset();
        simulator.offers().faultFor("u-2", Fault.errorBody("invalid_auth_token"));
        assertThat(client.read("u-2", null)).isEqualTo(new CredentialsRefused(200, "invalid_auth_token"));
        assertThat(simulator.offers().requests()).hasSize(1);
    }

    @Test
    void readingStopsAtMaxOffersReadAndSaysTheWalletIsIncomplete() {
        simulator.offers().put("u-big", Wallet.generated(120, 0, 0));

        OfferWallet read = assertRead(client(settings().withPageSize(50).withMaxOffersRead(60)).read("u-big", null));

        assertThat(read.offers()).hasSize(60);
        assertThat(read.complete()).isFalse();
        assertThat(read.totalRecords()).isEqualTo(120);
        assertThat(simulator.offers().requests()).extracting(OffersRequest::skip).containsExactly(0, 50);
    }

    @Test
    void aReadWithoutConnectSettingsNamesTheMissingEnvironmentVariables() {
        ConnectSettings unset = new ConnectSettings(null, null, "", "en-US", 100, 1000, false, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 1, 0, 0, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1),
                Duration.ofSeconds(1), java.util.Set.of(), java.util.Set.of());

        assertThatIllegalStateException()
            .isThrownBy(() -> new OfferWalletClient(unset, new RequestThrottle(0), meters).read("u-1", null))
            .withMessage("SessionM Connect is not configured: set SESSIONM_CONNECT_ENDPOINT, "
                    + "SESSIONM_CONNECT_AUTHORIZATION, SESSIONM_RETAILER_ID");
    }

    private ConnectTestSettings settings() {
        return ConnectTestSettings.of(simulator.baseUrl());
    }

    private OfferWalletClient client(ConnectTestSettings settings) {
        ConnectSettings built = settings.build();
        return new OfferWalletClient(built, new RequestThrottle(built.requestsPerSecond()), meters);
    }

    private static OfferWallet assertRead(WalletOutcome outcome) {
        assertThat(outcome).isInstanceOf(Read.class);
        return ((Read) outcome).wallet();
    }

    private static List<OffersRequest> awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (simulator.offers().requests().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the simulator did not receive " + count + " requests");
            }
            Thread.sleep(5);
        }
        return simulator.offers().requests();
    }

    /**
     * Waits until {@code thread} sleeps: after its 429, in the throttle's pause, not
     * reading an answer.
     */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the throttled read did not start waiting");
            }
            Thread.sleep(1);
        }
    }

}
