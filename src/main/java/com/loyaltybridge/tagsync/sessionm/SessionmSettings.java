package com.loyaltybridge.tagsync.sessionm;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How to reach SessionM Core and how hard to push it. SessionM documents no rate limit,
 * no 429 behaviour and no tag-specific error codes, so all of those are settings (see
 * README).
 *
 * @param endpoint Core REST endpoint, e.g. {@code https://api-tenant1.ent-sessionm.com}
 * (env SESSIONM_CORE_ENDPOINT)
 * @param apiKey API key: Basic-auth user name and part of every path (env
 * SESSIONM_CORE_API_KEY)
 * @param apiSecret S2S API secret: Basic-auth password (env SESSIONM_CORE_API_SECRET);
 * never logged
 * @param maxInFlight the most calls under way at once, across all threads and syncs: the
 * bound of the adaptive in-flight limit (see {@link InFlightLimiter}), which starts small
 * and grows to what reaches {@code requestsPerSecond} at the latency SessionM shows. 512
 * reaches 1,000 requests/s at 300 ms with room to spare; threads and connections are only
 * made as the limit uses them
 * @param requestsPerSecond client-side rate limit shared by all threads: the hard
 * ceiling; 0 means none (the limit then grows until SessionM shows strain or it reaches
 * {@code maxInFlight})
 * @param maxRetries retries of one call after 5xx, timeouts, resets and retryable error
 * bodies
 * @param maxThrottledWait how long one call keeps waiting through 429 answers before
 * giving up
 * @param maxRetryAfter upper bound on an honoured {@code Retry-After}
 * @param settleDelay wait before reading a customer's tags to settle a call whose outcome
 * is unknown
 * @param inDoubtCounterTags what to do when counter tags are present after a call whose
 * outcome is unknown
 * @param retryableErrorCodes error codes in a {@code "status":"error"} body that mean
 * "try again" (case-insensitive)
 * @param authErrorCodes error codes that mean the credentials are wrong and the run must
 * stop (case-insensitive)
 * @param tagsReadPath path of the call that reads a customer's tags (GET), with the
 * placeholders {@code {api_key}}, {@code {collection}} and {@code {identifier}}: SessionM
 * lists "Retrieve customer tags" without documenting its path, so it is a setting
 */
@ConfigurationProperties("sessionm")
public record SessionmSettings(URI endpoint, String apiKey, String apiSecret,
        @DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("512") int maxInFlight, @DefaultValue("100") double requestsPerSecond,
        @DefaultValue("6") int maxRetries, @DefaultValue("200ms") Duration initialBackoff,
        @DefaultValue("30s") Duration maxBackoff, @DefaultValue("10m") Duration maxThrottledWait,
        @DefaultValue("5m") Duration maxRetryAfter, @DefaultValue("2s") Duration settleDelay,
        @DefaultValue("assume-applied") InDoubtPolicy inDoubtCounterTags, @DefaultValue( {
                "internal_server_error", "not_available" }) Set<String> retryableErrorCodes,
        @DefaultValue({ "invalid_auth_token", "invalid_api_key", "access_denied" }) Set<String> authErrorCodes,
        @DefaultValue(TagsPaths.DOCUMENTED_TAGS_PATH) String tagsReadPath){

    public SessionmSettings {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("sessionm.max-in-flight must be at least 1, not " + maxInFlight);
        }
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException(
                    "sessionm.requests-per-second must be 0 (no limit) or more, not " + requestsPerSecond);
        }
    }

    /** What to do when a counter tag is present after a call whose outcome is unknown. */
    public enum InDoubtPolicy {

        /** Count the call as landed: never increments twice, may miss one increment. */
        ASSUME_APPLIED,
        /** Send again: never misses an increment, may add one twice. */
        RESEND

    }

    /**
     * The settings a run that calls SessionM cannot do without, named as their
     * environment variables.
     */
    public java.util.List<String> missingCredentials() {
        java.util.List<String> missing = new java.util.ArrayList<>();
        if (endpoint == null || endpoint.toString().isBlank()) {
            missing.add("SESSIONM_CORE_ENDPOINT");
        }
        if (apiKey == null || apiKey.isBlank()) {
            missing.add("SESSIONM_CORE_API_KEY");
        }
        if (apiSecret == null || apiSecret.isBlank()) {
            missing.add("SESSIONM_CORE_API_SECRET");
        }
        return missing;
    }

    @Override
    public String toString() {
        return "SessionmSettings[endpoint=" + endpoint + ", apiKey=" + (apiKey == null ? null : "***") + ", apiSecret="
                + (apiSecret == null ? null : "***") + ", maxInFlight=" + maxInFlight + ", requestsPerSecond="
                + requestsPerSecond + ", maxRetries=" + maxRetries + ", inDoubtCounterTags=" + inDoubtCounterTags
                + ", tagsReadPath=" + tagsReadPath + "]";
    }
}
