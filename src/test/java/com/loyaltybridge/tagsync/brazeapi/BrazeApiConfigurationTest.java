package com.loyaltybridge.tagsync.brazeapi;

import java.net.URI;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class BrazeApiConfigurationTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
        .withInitializer(new ConfigDataApplicationContextInitializer())
        .withUserConfiguration(BrazeApiConfiguration.class);

    @Test
    void theClientExistsWithoutCredentialsAndARequestNamesWhatIsMissing() {
        contexts.run(context -> {
            assertThat(context).hasSingleBean(BrazeTrackClient.class);
            BrazeRestSettings settings = context.getBean(BrazeRestSettings.class);
            assertThat(settings.attributesPerRequest()).isEqualTo(75);
            assertThat(settings.requestsPerSecond()).isEqualTo(100);
            assertThat(settings.updateExistingOnly()).isTrue();

            UserAttributes user = new UserAttributes(BrazeUser.externalId("u-1"),
                    JsonMapper.shared().createObjectNode().put("points", 1));
            assertThatIllegalStateException()
                .isThrownBy(() -> context.getBean(BrazeTrackClient.class).track(List.of(user)))
                .withMessage("Braze is not configured: set BRAZE_REST_ENDPOINT, BRAZE_API_KEY");
        });
    }

    @Test
    void theEnvironmentVariablesOfEnvExampleReachTheSettingsAndTheKeyStaysOutOfToString() {
        contexts
            .withSystemProperties("BRAZE_REST_ENDPOINT=https://rest.iad-01.braze.com",
                    "BRAZE_API_KEY=braze-key-not-for-logs")
            .run(context -> {
                BrazeRestSettings settings = context.getBean(BrazeRestSettings.class);
                assertThat(settings.endpoint()).isEqualTo(URI.create("https://rest.iad-01.braze.com"));
                assertThat(settings.apiKey()).isEqualTo("braze-key-not-for-logs");
                assertThat(settings.toString()).doesNotContain("braze-key-not-for-logs");
            });
    }

    @Test
    void aBatchSizeBrazeWouldRefuseIsRefusedAtStart() {
        contexts.withPropertyValues("braze.rest.attributes-per-request=76")
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .hasMessage("braze.rest.attributes-per-request must be between 1 and 75, not 76"));
    }

    @Test
    void metricsGoToTheApplicationsMeterRegistry() {
        contexts.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .run(context -> assertThat(context.getBean(MeterRegistry.class).find("braze.track.retries").counter())
                .isNotNull());
    }

}
