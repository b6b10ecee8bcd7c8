package com.loyaltybridge.tagsync.offers;

import java.net.URI;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class OffersConfigurationTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
        .withInitializer(new ConfigDataApplicationContextInitializer())
        .withUserConfiguration(OffersConfiguration.class);

    @Test
    void beansExistWithoutCredentialsAndAReadNamesWhatIsMissing() {
        contexts.run(context -> {
            assertThat(context).hasSingleBean(OfferWalletClient.class).hasSingleBean(WalletAttributes.class);
            ConnectSettings settings = context.getBean(ConnectSettings.class);
            assertThat(settings.pageSize()).isEqualTo(100);
            assertThat(settings.culture()).isEqualTo("en-US");
            assertThat(context.getBean(WalletAttributesSettings.class).offersName()).isEqualTo("sessionm_offers");

            assertThatIllegalStateException()
                .isThrownBy(() -> context.getBean(OfferWalletClient.class).read("u-1", null))
                .withMessage("SessionM Connect is not configured: set SESSIONM_CONNECT_ENDPOINT, "
                        + "SESSIONM_CONNECT_AUTHORIZATION, SESSIONM_RETAILER_ID");
        });
    }

    @Test
    void theEnvironmentVariablesOfEnvExampleReachTheSettingsAndTheSecretStaysOutOfToString() {
        contexts
            .withSystemProperties("SESSIONM_CONNECT_ENDPOINT=https://connect.example.com",
                    "SESSIONM_CONNECT_AUTHORIZATION=c2VjcmV0LWNvbm5lY3Q=", "SESSIONM_RETAILER_ID=retailer-9")
            .run(context -> {
                ConnectSettings settings = context.getBean(ConnectSettings.class);
                assertThat(settings.endpoint()).isEqualTo(URI.create("https://connect.example.com"));
                assertThat(settings.authorization()).isEqualTo("c2VjcmV0LWNvbm5lY3Q=");
                assertThat(settings.retailerId()).isEqualTo("retailer-9");
                assertThat(settings.missingCredentials()).isEmpty();
                assertThat(settings.toString()).contains("retailer-9").doesNotContain("c2VjcmV0LWNvbm5lY3Q=");
            });
    }

    @Test
    void metricsGoToTheApplicationsMeterRegistry() {
        contexts.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .run(context -> assertThat(context.getBean(MeterRegistry.class).find("sessionm.connect.retries").counter())
                .isNotNull());
    }

}
