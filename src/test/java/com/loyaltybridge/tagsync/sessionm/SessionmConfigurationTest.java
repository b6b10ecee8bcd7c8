package com.loyaltybridge.tagsync.sessionm;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.loyaltybridge.tagsync.sessionm.IdentifierType.EXTERNAL_ID;
import static com.loyaltybridge.tagsync.sessionm.SessionmClientTest.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SessionmConfigurationTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
        .withUserConfiguration(SessionmConfiguration.class);

    @Test
    void beansExistWithoutCredentialsAndACallNamesWhatIsMissing() {
        contexts.run(context -> {
            assertThat(context).hasSingleBean(SessionmClient.class)
                .hasSingleBean(SessionmTagSender.class)
                .hasSingleBean(RequestThrottle.class);
            SessionmSettings settings = context.getBean(SessionmSettings.class);
            assertThat(settings.maxInFlight()).isEqualTo(512);
            assertThat(settings.tagsReadPath()).isEqualTo(TagsPaths.DOCUMENTED_TAGS_PATH);

            assertThatIllegalStateException()
                .isThrownBy(() -> context.getBean(SessionmTagSender.class)
                    .sendAll(List.of(new TagSend(counter(EXTERNAL_ID, "c", "vip"), false))))
                .withMessage("SessionM is not configured: set SESSIONM_CORE_ENDPOINT, SESSIONM_CORE_API_KEY, "
                        + "SESSIONM_CORE_API_SECRET");
        });
    }

    @Test
    void metricsGoToTheApplicationsMeterRegistry() {
        contexts.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .run(context -> assertThat(context.getBean(MeterRegistry.class).find("sessionm.retries").counter())
                .isNotNull());
    }

    @Test
    void httpClientDebugLoggingThatWouldPrintTheApiKeyOrTheAuthorizationHeaderIsRefused() {
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        String root = LoggingSystem.ROOT_LOGGER_NAME;
        LogLevel rootLevel = logging.getLoggerConfiguration(root).getConfiguredLevel();
        List<String> loggers = List.of("org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire",
                "org.apache.hc.client5.http.impl.classic.MainClientExec", "org.apache.hc");
        try {
            for (String logger : loggers) {
                logging.setLogLevel(logger, LogLevel.DEBUG);
                assertRefused(logger);
                logging.setLogLevel(logger, null);
            }
            logging.setLogLevel(root, LogLevel.DEBUG);
            assertRefused("org.apache.hc");
            logging.setLogLevel("org.apache.hc", LogLevel.INFO);
            contexts.run(context -> assertThat(context).hasNotFailed());
        }
        finally {
            logging.setLogLevel(root, rootLevel);
            loggers.forEach(logger -> logging.setLogLevel(logger, null));
        }
    }

    private void assertRefused(String logger) {
        contexts.run(context -> assertThat(context).getFailure()
            .rootCause()
            .hasMessageStartingWith("Logger " + logger)
            .hasMessageContaining(" at DEBUG would write the SessionM API key")
            .hasMessageContaining("Authorization header"));
    }

}
