package com.loyaltybridge.tagsync.offers;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.sessionm.simulator.SessionmSimulator;

/**
 * {@link ConnectSettings} for tests against a {@link SessionmSimulator}: its default
 * Connect credentials, short timeouts and backoffs so that failure scenarios run in
 * milliseconds. Change one value with the {@code with...} methods.
 */
final class ConnectTestSettings {

    private final URI endpoint;

    private String authorization = OfferWallets.DEFAULT_AUTHORIZATION;

    private String retailerId = OfferWallets.DEFAULT_RETAILER_ID;

    private int pageSize = 100;

    private int maxOffersRead = 1000;

    private Duration requestTimeout = Duration.ofMillis(500);

    private int maxRetries = 3;

    private Duration maxThrottledWait = Duration.ofSeconds(10);

    private ConnectTestSettings(URI endpoint) {
        this.endpoint = endpoint;
    }

    static ConnectTestSettings of(URI endpoint) {
        return new ConnectTestSettings(endpoint);
    }

    ConnectTestSettings withCredentials(String authorization, String retailerId) {
        this.authorization = authorization;
        this.retailerId = retailerId;
        return this;
    }

    ConnectTestSettings withPageSize(int pageSize) {
        this.pageSize = pageSize;
        return this;
    }

    ConnectTestSettings withMaxOffersRead(int maxOffersRead) {
        this.maxOffersRead = maxOffersRead;
        return this;
    }

    ConnectTestSettings withRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    ConnectTestSettings withMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
        return this;
    }

    ConnectTestSettings withMaxThrottledWait(Duration maxThrottledWait) {
        this.maxThrottledWait = maxThrottledWait;
        return this;
    }

    ConnectSettings build() {
        return new ConnectSettings(endpoint, authorization, retailerId, "en-US", pageSize, maxOffersRead, false,
                Duration.ofSeconds(1), requestTimeout, 4, 0, maxRetries, Duration.ofMillis(10), Duration.ofMillis(50),
                maxThrottledWait, Duration.ofSeconds(5), Set.of("internal_server_error", "not_available"),
                Set.of("invalid_auth_token", "invalid_api_key", "access_denied", "unauthorized"));
    }

}
