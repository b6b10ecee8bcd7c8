package com.loyaltybridge.tagsync.offers;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import com.loyaltybridge.tagsync.http.RetryingCalls;

/**
 * How to reach SessionM Connect, where {@code get_user_offers} reads a customer's offer
 * wallet, and how hard to push it. Connect is a host and a credential of its own, apart
 * from Core's. SessionM documents neither its rate limit, nor its error bodies and codes,
 * nor the largest page ({@code take}) it serves: all of those are settings (see README).
 *
 * @param endpoint Connect endpoint of the tenant, e.g.
 * {@code https://domains-connecteast1.ent-sessionm.com} (env SESSIONM_CONNECT_ENDPOINT);
 * the call's path is appended to it
 * @param authorization the Connect authorization string SessionM supplies, sent as
 * {@code Authorization:
 *                                   Basic <it>} (env SESSIONM_CONNECT_AUTHORIZATION); a
 * secret, never logged
 * @param retailerId the tenant's retailer id, a GUID SessionM supplies (env
 * SESSIONM_RETAILER_ID)
 * @param culture {@code culture} of a read whose member names none: the language of
 * offers offered in several (SessionM's default is en-US)
 * @param pageSize offers asked for per page ({@code take}): SessionM documents no
 * maximum; most wallets fit in one page, and one page is in memory per call under way
 * @param maxOffersRead pages stop once a wallet has this many offers: a bound on the
 * memory of one read whatever SessionM answers. The wallet comes back marked incomplete
 * @param includePendingExtendedData sent as {@code include_pending_extended_data}, whose
 * meaning SessionM does not document; false, as in Braze's guide
 * @param connectTimeout to open a connection
 * @param requestTimeout a page not answered by then is asked for again
 * @param maxInFlight connections kept open to Connect: as many as reads run at once
 * @param requestsPerSecond client-side rate limit shared by all threads; 0 means none.
 * Connect's own limit is not published
 * @param maxRetries retries of one read after 5xx, timeouts, resets and retryable error
 * codes: a read changes nothing, so it is always safe to send again
 * @param initialBackoff first wait between retries, doubling up to {@code maxBackoff}
 * @param maxThrottledWait how long one read keeps waiting through 429 answers before
 * giving up
 * @param maxRetryAfter upper bound on an honoured {@code Retry-After}
 * @param retryableErrorCodes error codes in a {@code "status":"error"} body that mean
 * "try again" (case-insensitive); any other code refuses that member
 * @param authErrorCodes error codes that mean the credentials are wrong and the run must
 * stop
 */
@ConfigurationProperties("sessionm.connect")
public record ConnectSettings(@Nullable URI endpoint, @Nullable String authorization, @Nullable String retailerId,
        @DefaultValue("en-US") String culture, @DefaultValue("100") int pageSize,
        @DefaultValue("1000") int maxOffersRead, @DefaultValue("false") boolean includePendingExtendedData,
        @DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("16") int maxInFlight, @DefaultValue("100") double requestsPerSecond,
        @DefaultValue("6") int maxRetries, @DefaultValue("200ms") Duration initialBackoff,
        @DefaultValue("30s") Duration maxBackoff, @DefaultValue("10m") Duration maxThrottledWait,
        @DefaultValue("5m") Duration maxRetryAfter, @DefaultValue( {
                "internal_server_error", "not_available" }) Set<String> retryableErrorCodes,
        @DefaultValue({ "invalid_auth_token", "invalid_api_key", "access_denied",
                "unauthorized" }) Set<String> authErrorCodes){

    /** The documented path of the call, below the endpoint. */
    public static final String GET_USER_OFFERS_PATH = "/offers/api/2.0/offers/get_user_offers";

    public ConnectSettings {
        if (pageSize < 1) {
            throw new IllegalArgumentException("sessionm.connect.page-size must be at least 1, not " + pageSize);
        }
        if (maxOffersRead < 1) {
            throw new IllegalArgumentException(
                    "sessionm.connect.max-offers-read must be at least 1, not " + maxOffersRead);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("sessionm.connect.max-in-flight must be at least 1, not " + maxInFlight);
        }
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException(
                    "sessionm.connect.requests-per-second must be 0 (no limit) or more, not " + requestsPerSecond);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("sessionm.connect.max-retries must be 0 or more, not " + maxRetries);
        }
        if (culture.isBlank()) {
            throw new IllegalArgumentException(
                    "sessionm.connect.culture must not be empty (SessionM's default is en-US)");
        }
    }

    /**
     * The settings a run that reads wallets cannot do without, named as their environment
     * variables.
     */
    public List<String> missingCredentials() {
        List<String> missing = new ArrayList<>();
        if (endpoint == null || endpoint.toString().isBlank()) {
            missing.add("SESSIONM_CONNECT_ENDPOINT");
        }
        if (authorization == null || authorization.isBlank()) {
            missing.add("SESSIONM_CONNECT_AUTHORIZATION");
        }
        if (retailerId == null || retailerId.isBlank()) {
            missing.add("SESSIONM_RETAILER_ID");
        }
        return missing;
    }

    RetryingCalls.Limits retryLimits() {
        return new RetryingCalls.Limits(maxRetries, initialBackoff, maxBackoff, maxThrottledWait);
    }

    @Override
    public String toString() {
        return "ConnectSettings[endpoint=" + endpoint + ", authorization=" + (authorization == null ? null : "***")
                + ", retailerId=" + retailerId + ", culture=" + culture + ", pageSize=" + pageSize + ", maxOffersRead="
                + maxOffersRead + ", maxInFlight=" + maxInFlight + ", requestsPerSecond=" + requestsPerSecond
                + ", maxRetries=" + maxRetries + "]";
    }
}
