package com.loyaltybridge.tagsync.offers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;

import com.loyaltybridge.tagsync.brazeapi.BrazeRestSettings;
import com.loyaltybridge.tagsync.brazeapi.BrazeTrackClient;
import com.loyaltybridge.tagsync.brazeapi.BrazeUser;
import com.loyaltybridge.tagsync.brazeapi.UserAttributes;
import com.loyaltybridge.tagsync.brazeapi.simulator.BrazeFault;
import com.loyaltybridge.tagsync.brazeapi.simulator.BrazeSimulator;
import com.loyaltybridge.tagsync.sessionm.RequestThrottle;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.sessionm.simulator.SessionmSimulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Connect authorization string and the Braze REST key appear in no log line, outcome
 * or toString, with every logger of the clients' path at DEBUG and every kind of failure
 * on the way.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectAndBrazeSecretsStayOutTest {

    private static final String CONNECT_AUTHORIZATION = "Q09OTkVDVC1TRUNSRVQtbXVzdC1ub3QtbGVhaw==";

    private static final String BRAZE_KEY = "BRAZE-KEY-must-not-leak";

    private static final List<String> DEBUG_LOGGERS = List.of("com.loyaltybridge.tagsync",
            "org.springframework.core.retry", "org.springframework.web.client", "org.springframework.http");

    private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

    @BeforeEach
    void logEverything() {
        DEBUG_LOGGERS.forEach(logger -> logging.setLogLevel(logger, LogLevel.DEBUG));
    }

    @AfterEach
    void logAsBefore() {
        DEBUG_LOGGERS.forEach(logger -> logging.setLogLevel(logger, null));
    }

    @Test
    void noSecretInLogsOutcomesOrToString(CapturedOutput output) throws Exception {
        List<String> texts = new ArrayList<>();
        try (SessionmSimulator sessionm = SessionmSimulator.start("core-key", "core-secret");
                BrazeSimulator braze = BrazeSimulator.start(BRAZE_KEY)) {
            sessionm.offers().expectCredentials(CONNECT_AUTHORIZATION, OfferWallets.DEFAULT_RETAILER_ID);
            ConnectSettings connect = ConnectTestSettings.of(sessionm.baseUrl())
                .withCredentials(CONNECT_AUTHORIZATION, OfferWallets.DEFAULT_RETAILER_ID)
                .withRequestTimeout(Duration.ofMillis(200))
                .withMaxRetries(1)
                .build();
            OfferWalletClient wallets = new OfferWalletClient(connect, new RequestThrottle(0),
                    new SimpleMeterRegistry());
            sessionm.offers().unknownUsers("ghost");
            sessionm.offers()
                .enqueue(Fault.status(500), Fault.resetBeforeApply(), Fault.applyThenDelay(Duration.ofSeconds(1)),
                        Fault.status(502), Fault.status(502), OfferWallets.notJson(), Fault.tooManyRequests("0"));
            for (int i = 0; i < 5; i++) {
                texts.add(wallets.read("u-" + i, null).toString());
            }
            texts.add(wallets.read("ghost", null).toString());
            sessionm.offers().revokeCredentials();
            texts.add(wallets.read("u-1", null).toString());
            texts.add(connect.toString());
            texts.add(wallets.toString());

            BrazeRestSettings brazeSettings = new BrazeRestSettings(braze.baseUrl(), BRAZE_KEY, 75, 0, 2,
                    Duration.ofSeconds(1), Duration.ofMillis(200), 1, Duration.ofMillis(10), Duration.ofMillis(50),
                    Duration.ofSeconds(5), Duration.ofSeconds(1), true);
            try (BrazeTrackClient track = new BrazeTrackClient(brazeSettings, new RequestThrottle(0),
                    new SimpleMeterRegistry())) {
                List<UserAttributes> users = List.of(user("b-1"), user("b-2"));
                braze.rejectUser("external_id", "b-2", "Invalid attribute");
                braze.enqueue(BrazeFault.status(500), BrazeFault.reset(),
                        BrazeFault.processThenDelay(Duration.ofSeconds(1)), BrazeFault.status(500),
                        BrazeFault.html(200), BrazeFault.status(400));
                for (int i = 0; i < 4; i++) {
                    texts.add(track.track(users).toString());
                }
                braze.revokeKey();
                texts.add(track.trackAll(users).toString());
                texts.add(brazeSettings.toString());
                texts.add(track.toString());
            }
        }
        texts.add(output.getAll());

        assertThat(output.getAll()).contains("Retrying SessionM Connect call get_user_offers of user u-0")
            .contains("Retrying Braze call /users/track");
        assertThat(texts)
            .allSatisfy(text -> assertThat(text).doesNotContain(CONNECT_AUTHORIZATION).doesNotContain(BRAZE_KEY));
    }

    private static UserAttributes user(String id) {
        return new UserAttributes(BrazeUser.externalId(id), JsonMapper.shared().createObjectNode().put("points", 1));
    }

}
