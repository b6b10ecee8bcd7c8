package com.loyaltybridge.tagsync.brazeapi;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import com.loyaltybridge.tagsync.http.RetryingCalls;

/**
 * How to reach Braze's REST API, where {@code /users/track} writes custom attributes, and
 * how hard to push it.
 *
 * @param endpoint REST endpoint of the Braze instance, e.g.
 * {@code https://rest.iad-01.braze.com} (env BRAZE_REST_ENDPOINT): the wrong instance
 * answers 401
 * @param apiKey REST API key with the {@code users.track} permission, sent as a bearer
 * token (env BRAZE_API_KEY); a secret, never logged
 * @param attributesPerRequest attribute objects per request: Braze takes up to 75;
 * accounts on the newer "Monthly Active Users - CY 24-25" package up to 50
 * @param requestsPerSecond client-side rate limit shared by all threads; 0 means none.
 * Braze allows 3,000 requests per 3 seconds per workspace, shared with every other
 * integration writing users, so the default takes a tenth of it
 * @param maxInFlight requests under way at once, across all threads; also the margin kept
 * below Braze's {@code X-RateLimit-Remaining}: under it, no request starts before
 * {@code X-RateLimit-Reset}
 * @param connectTimeout to open a connection
 * @param requestTimeout a request not answered by then is sent again
 * @param maxRetries retries of one request after 5xx, timeouts and resets: setting
 * attributes is idempotent, so a request may always be sent again
 * @param initialBackoff first wait between retries, doubling up to {@code maxBackoff}, as
 * Braze asks
 * @param maxThrottledWait how long one request keeps waiting through 429 answers before
 * giving up
 * @param maxRateLimitWait upper bound on a wait for {@code X-RateLimit-Reset} or
 * {@code Retry-After} (Braze documents no {@code Retry-After}); accounts with an hourly
 * limit may name a reset far away
 * @param updateExistingOnly send {@code "_update_existing_only": true}: an attribute
 * object for a user deleted from Braze since the export does not create an empty profile
 */
@ConfigurationProperties("braze.rest")
public record BrazeRestSettings(@Nullable URI endpoint, @Nullable String apiKey,
        @DefaultValue("75") int attributesPerRequest, @DefaultValue("100") double requestsPerSecond,
        @DefaultValue("8") int maxInFlight, @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout, @DefaultValue("6") int maxRetries,
        @DefaultValue("500ms") Duration initialBackoff, @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("10m") Duration maxThrottledWait, @DefaultValue("5m") Duration maxRateLimitWait,
        @DefaultValue("true") boolean updateExistingOnly) {

    /**
     * Braze's documented limit of attribute objects in one {@code /users/track} request.
     */
    public static final int MAX_ATTRIBUTES_PER_REQUEST = 75;

    /** The documented path of the call, below the endpoint. */
    public static final String USERS_TRACK_PATH = "/users/track";

    public BrazeRestSettings {
        if (attributesPerRequest < 1 || attributesPerRequest > MAX_ATTRIBUTES_PER_REQUEST) {
            throw new IllegalArgumentException("braze.rest.attributes-per-request must be between 1 and "
                    + MAX_ATTRIBUTES_PER_REQUEST + ", not " + attributesPerRequest);
        }
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException(
                    "braze.rest.requests-per-second must be 0 (no limit) or more, not " + requestsPerSecond);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("braze.rest.max-in-flight must be at least 1, not " + maxInFlight);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("braze.rest.max-retries must be 0 or more, not " + maxRetries);
        }
    }

    /**
     * The settings a run that writes to Braze cannot do without, named as their
     * environment variables.
     */
    public List<String> missingCredentials() {
        List<String> missing = new ArrayList<>();
        if (endpoint == null || endpoint.toString().isBlank()) {
            missing.add("BRAZE_REST_ENDPOINT");
        }
        if (apiKey == null || apiKey.isBlank()) {
            missing.add("BRAZE_API_KEY");
        }
        return missing;
    }

    RetryingCalls.Limits retryLimits() {
        return new RetryingCalls.Limits(maxRetries, initialBackoff, maxBackoff, maxThrottledWait);
    }

    @Override
    public String toString() {
        return "BrazeRestSettings[endpoint=" + endpoint + ", apiKey=" + (apiKey == null ? null : "***")
                + ", attributesPerRequest=" + attributesPerRequest + ", requestsPerSecond=" + requestsPerSecond
                + ", maxInFlight=" + maxInFlight + ", maxRetries=" + maxRetries + ", updateExistingOnly="
                + updateExistingOnly + "]";
    }
}
