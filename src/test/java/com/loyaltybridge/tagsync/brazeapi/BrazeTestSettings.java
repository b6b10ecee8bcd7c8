package com.loyaltybridge.tagsync.brazeapi;

import java.net.URI;
import java.time.Duration;

import com.loyaltybridge.tagsync.brazeapi.simulator.BrazeSimulator;

/**
 * {@link BrazeRestSettings} for tests against a {@link BrazeSimulator}: short timeouts
 * and backoffs so that failure scenarios run in milliseconds. Change one value with the
 * {@code with...} methods.
 */
final class BrazeTestSettings {

    private final URI endpoint;

    private final String apiKey;

    private int attributesPerRequest = 75;

    private double requestsPerSecond = 0;

    private int maxInFlight = 4;

    private Duration requestTimeout = Duration.ofMillis(500);

    private int maxRetries = 3;

    private Duration maxThrottledWait = Duration.ofSeconds(10);

    private boolean updateExistingOnly = false;

    private BrazeTestSettings(URI endpoint, String apiKey) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
    }

    static BrazeTestSettings of(URI endpoint, String apiKey) {
        return new BrazeTestSettings(endpoint, apiKey);
    }

    BrazeTestSettings withAttributesPerRequest(int attributesPerRequest) {
        this.attributesPerRequest = attributesPerRequest;
        return this;
    }

    BrazeTestSettings withRequestsPerSecond(double requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
        return this;
    }

    BrazeTestSettings withMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return this;
    }

    BrazeTestSettings withRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    BrazeTestSettings withMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
        return this;
    }

    BrazeTestSettings withMaxThrottledWait(Duration maxThrottledWait) {
        this.maxThrottledWait = maxThrottledWait;
        return this;
    }

    BrazeTestSettings withUpdateExistingOnly(boolean updateExistingOnly) {
        this.updateExistingOnly = updateExistingOnly;
        return this;
    }

    BrazeRestSettings build() {
        return new BrazeRestSettings(endpoint, apiKey, attributesPerRequest, requestsPerSecond, maxInFlight,
                Duration.ofSeconds(1), requestTimeout, maxRetries, Duration.ofMillis(10), Duration.ofMillis(50),
                maxThrottledWait, Duration.ofSeconds(5), updateExistingOnly);
    }

}
