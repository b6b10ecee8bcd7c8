package com.loyaltybridge.tagsync.sessionm;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import com.loyaltybridge.tagsync.sessionm.SessionmSettings.InDoubtPolicy;
import com.loyaltybridge.tagsync.sessionm.simulator.SessionmSimulator;

/**
 * {@link SessionmSettings} for tests against a {@link SessionmSimulator}: short timeouts
 * and backoffs so that failure scenarios run in milliseconds. Change one value with the
 * {@code with...} methods.
 */
public final class SimulatorSettings {

    private URI endpoint;

    private String apiKey;

    private String apiSecret;

    private Duration requestTimeout = Duration.ofMillis(500);

    private int maxInFlight = 4;

    private double requestsPerSecond = 0;

    private int maxRetries = 3;

    private Duration maxThrottledWait = Duration.ofSeconds(10);

    private Duration settleDelay = Duration.ofMillis(20);

    private InDoubtPolicy inDoubtCounterTags = InDoubtPolicy.ASSUME_APPLIED;

    private SimulatorSettings() {
    }

    public static SimulatorSettings of(URI endpoint, String apiKey, String apiSecret) {
        SimulatorSettings settings = new SimulatorSettings();
        settings.endpoint = endpoint;
        settings.apiKey = apiKey;
        settings.apiSecret = apiSecret;
        return settings;
    }

    public SimulatorSettings withRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    public SimulatorSettings withMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return this;
    }

    public SimulatorSettings withRequestsPerSecond(double requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
        return this;
    }

    public SimulatorSettings withMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
        return this;
    }

    public SimulatorSettings withMaxThrottledWait(Duration maxThrottledWait) {
        this.maxThrottledWait = maxThrottledWait;
        return this;
    }

    public SimulatorSettings withInDoubtCounterTags(InDoubtPolicy policy) {
        this.inDoubtCounterTags = policy;
        return this;
    }

    public SessionmSettings build() {
        return new SessionmSettings(endpoint, apiKey, apiSecret, Duration.ofSeconds(1), requestTimeout, maxInFlight,
                requestsPerSecond, maxRetries, Duration.ofMillis(10), Duration.ofMillis(50), maxThrottledWait,
                Duration.ofSeconds(2), settleDelay, inDoubtCounterTags,
                Set.of("internal_server_error", "not_available"),
                Set.of("invalid_auth_token", "invalid_api_key", "access_denied"), TagsPaths.DOCUMENTED_TAGS_PATH);
    }

}
