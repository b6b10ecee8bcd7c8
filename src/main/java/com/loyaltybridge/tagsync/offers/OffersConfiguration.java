package com.loyaltybridge.tagsync.offers;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.loyaltybridge.tagsync.sessionm.RequestThrottle;

/**
 * The building blocks of writing offer wallets to Braze: the SessionM Connect client and
 * the wallet's mapping to Braze attributes. They need no credentials to exist: a read
 * without them fails, naming the missing environment variables. Metrics go to the
 * application's {@link MeterRegistry} when there is one, else to Micrometer's global
 * registry.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ ConnectSettings.class, WalletAttributesSettings.class })
public class OffersConfiguration {

    @Bean
    OfferWalletClient offerWalletClient(ConnectSettings settings, ObjectProvider<MeterRegistry> meterRegistry) {
        // A throttle of its own, not a bean: Connect is another host than Core, with a
        // limit of its own.
        return new OfferWalletClient(settings, new RequestThrottle(settings.requestsPerSecond()),
                meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean
    WalletAttributes walletAttributes(WalletAttributesSettings settings) {
        return new WalletAttributes(settings);
    }

}
