package com.loyaltybridge.tagsync.sessionm;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The SessionM client beans. They need no credentials to exist (a CSV-only run has none):
 * a call without them fails, naming the missing environment variables. Metrics go to the
 * application's {@link MeterRegistry} when there is one (Actuator), else to Micrometer's
 * global registry, which records nothing until given a registry.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SessionmSettings.class)
public class SessionmConfiguration {

    @Bean
    RequestThrottle sessionmRequestThrottle(SessionmSettings settings) {
        return new RequestThrottle(settings.requestsPerSecond());
    }

    /**
     * One for the process: every sync shares SessionM's capacity, so they share the room
     * for calls too.
     */
    @Bean
    InFlightLimiter sessionmInFlightLimiter(SessionmSettings settings) {
        return new InFlightLimiter(settings.maxInFlight(), settings.requestsPerSecond());
    }

    @Bean
    SessionmClient sessionmClient(SessionmSettings settings, RequestThrottle sessionmRequestThrottle,
            InFlightLimiter sessionmInFlightLimiter, ObjectProvider<MeterRegistry> meterRegistry) {
        return SessionmClientFactory.client(settings, sessionmRequestThrottle, sessionmInFlightLimiter,
                meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean
    SessionmTagSender sessionmTagSender(SessionmClient sessionmClient, InFlightLimiter sessionmInFlightLimiter) {
        return new SessionmTagSender(sessionmClient, sessionmInFlightLimiter);
    }

}
