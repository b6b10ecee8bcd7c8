package com.loyaltybridge.tagsync.brazeapi;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.loyaltybridge.tagsync.sessionm.RequestThrottle;

/**
 * The Braze REST client. It needs no credentials to exist: a request without them fails,
 * naming the missing environment variables. Its threads start with the first
 * {@link BrazeTrackClient#trackAll} and stop with the application context.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BrazeRestSettings.class)
public class BrazeApiConfiguration {

    @Bean
    BrazeTrackClient brazeTrackClient(BrazeRestSettings settings, ObjectProvider<MeterRegistry> meterRegistry) {
        // The rate limit is Braze's per workspace: one throttle for every run of this
        // process.
        return new BrazeTrackClient(settings, new RequestThrottle(settings.requestsPerSecond()),
                meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
    }

}
