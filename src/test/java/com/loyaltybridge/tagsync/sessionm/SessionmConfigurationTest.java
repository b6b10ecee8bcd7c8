package com.loyaltybridge.tagsync.sessionm;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
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
            assertThat(context).hasSingleBean(SessionmClient.class).hasSingleBean(SessionmTagSender.class)
                    .hasSingleBean(RequestThrottle.class);
            SessionmSettings settings = context.getBean(SessionmSettings.class);
            assertThat(settings.maxInFlight()).isEqualTo(16);
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
        contexts.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> assertThat(
                context.getBean(MeterRegistry.class).find("sessionm.retries").counter()).isNotNull());
    }

    @Test
    void aJdkSettingThatWouldResendPostsIsRefused() {
        System.setProperty(SessionmClient.JDK_RETRY_ALL_METHODS, "true");
        try {
            contexts.run(context -> assertThat(context).getFailure().rootCause()
                    .hasMessageContaining("jdk.httpclient.enableAllMethodRetry"));
        }
        finally {
            System.clearProperty(SessionmClient.JDK_RETRY_ALL_METHODS);
        }
    }

    @Test
    void jdkHttpClientLoggingThatWouldPrintTheAuthorizationHeaderIsRefused() {
        try {
            for (String headerLogging : new String[] {"headers", "errors,HEADERS", "all"}) {
                System.setProperty(SessionmClient.JDK_HTTP_CLIENT_LOG, headerLogging);
                contexts.run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("jdk.httpclient.HttpClient.log")
                        .hasMessageContaining("Authorization header"));
            }
            System.setProperty(SessionmClient.JDK_HTTP_CLIENT_LOG, "errors,requests");
            contexts.run(context -> assertThat(context).hasNotFailed());
        }
        finally {
            System.clearProperty(SessionmClient.JDK_HTTP_CLIENT_LOG);
        }
    }
}
