package com.loyaltybridge.tagsync.sessionm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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

import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.sessionm.simulator.SessionmSimulator;

import static com.loyaltybridge.tagsync.sessionm.IdentifierType.EXTERNAL_ID;
import static com.loyaltybridge.tagsync.sessionm.SessionmClientTest.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The API secret, and URLs that carry the API key, appear in no log line, exception
 * message or toString.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsStayOutTest {

    private static final String KEY = "KEY-in-every-path";

    private static final String SECRET = "SECRET-must-not-leak";

    private static final List<String> DEBUG_LOGGERS = List.of("com.loyaltybridge.tagsync.sessionm",
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
    void noSecretInLogsMessagesOrToString(CapturedOutput output) throws Exception {
        List<String> texts = new ArrayList<>();
        try (SessionmSimulator simulator = SessionmSimulator.start(KEY, SECRET)) {
            SessionmSettings settings = SimulatorSettings.of(simulator.baseUrl(), KEY, SECRET)
                .withRequestTimeout(Duration.ofMillis(200))
                .withMaxRetries(1)
                .build();
            RequestThrottle throttle = new RequestThrottle(0);
            InFlightLimiter limiter = new InFlightLimiter(2, 0);
            SessionmClient client = SessionmClientFactory.client(settings, throttle, limiter,
                    new SimpleMeterRegistry());
            simulator.unknownCustomers("ghost");
            simulator.enqueue(Fault.status(500), Fault.resetAfterApply(), Fault.applyThenDelay(Duration.ofSeconds(1)),
                    Fault.status(502), Fault.status(502), Fault.errorBody("validation"));
            for (int i = 0; i < 5; i++) {
                texts.add(client.send(counter(EXTERNAL_ID, "c-" + i, "vip")).toString());
            }
            texts.add(client.send(counter(EXTERNAL_ID, "ghost", "vip")).toString());
            simulator.revokeCredentials();
            try (SessionmTagSender sender = new SessionmTagSender(client, limiter)) {
                texts.add(sender.sendAll(List.of(new TagSend(counter(EXTERNAL_ID, "c", "vip"), false),
                        new TagSend(counter(EXTERNAL_ID, "d", "vip"), true)))
                    .toString());
                texts.add(sender.toString());
            }
            texts.add(settings.toString());
            texts.add(client.toString());
            texts.add(throttle.toString());
        }
        SessionmSettings withoutEndpoint = SimulatorSettings.of(null, KEY, SECRET).build();
        assertThatThrownBy(() -> SessionmClientFactory
            .client(withoutEndpoint, new RequestThrottle(0), new InFlightLimiter(1, 0), new SimpleMeterRegistry())
            .send(counter(EXTERNAL_ID, "c", "vip"))).isInstanceOf(IllegalStateException.class)
            .hasMessage("SessionM is not configured: set SESSIONM_CORE_ENDPOINT")
            .satisfies(failure -> texts.add(failure.toString()));
        texts.add(output.getAll());

        String basic = Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(output.getAll()).contains("Retrying tags of external/users/c-0");
        assertThat(texts).allSatisfy(
                text -> assertThat(text).doesNotContain(SECRET).doesNotContain(basic).doesNotContain("/apps/" + KEY));
    }

}
