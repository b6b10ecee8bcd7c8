package com.loyaltybridge.tagsync.api;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The REST API ({@code serve}).
 *
 * @param maxConcurrentSyncs syncs this process runs at once for API callers; a launch
 * beyond that answers 503
 * @param startTimeout how long a launch waits for its execution to exist before answering
 * @param viewerToken secret of the read-only client {@code viewer}: a bearer token, or
 * the Basic password
 * @param operatorToken secret of the client {@code operator}, who may also launch,
 * restart, stop and abandon
 * @param brazeToken secret of the client {@code braze}, who may only post export
 * completion callbacks
 * @param maxRequestBodySize the largest request body taken, chunked or not; a larger one
 * answers 413 before it is read further. The largest real body, a launch with 100 tags of
 * 255 characters, is under 30 KB, so the default leaves room without letting a few
 * callers run the heap out
 * @param publicUrl the URL callers reach the API at (behind the ingress), given as the
 * server of the OpenAPI description; unset, the description names the relative server
 * {@code /}. Never taken from a request's Host header, which the caller chooses
 * @param maxLoginFailures failed logins from one address within
 * {@code loginFailureWindow} after which every request with credentials from it answers
 * 429 until the window has passed: guessing a 24-character secret is hopeless, but a
 * flood of guesses should be slowed and seen
 * @param loginFailureWindow how long failed logins from one address are counted, counted
 * from the first one
 */
@ConfigurationProperties("api")
public record ApiSettings(@DefaultValue("2") int maxConcurrentSyncs, @DefaultValue("60s") Duration startTimeout,
        String viewerToken, String operatorToken, String brazeToken, @DefaultValue("256KB") DataSize maxRequestBodySize,
        @Nullable URI publicUrl, @DefaultValue("10") int maxLoginFailures,
        @DefaultValue("1m") Duration loginFailureWindow) {

    /** Shorter secrets are refused: a token is a password that a machine types. */
    public static final int MIN_TOKEN_LENGTH = 24;

    public ApiSettings {
        if (maxConcurrentSyncs < 1) {
            throw new IllegalArgumentException("api.max-concurrent-syncs must be at least 1");
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("api.viewer-token", viewerToken);
        tokens.put("api.operator-token", operatorToken);
        tokens.put("api.braze-token", brazeToken);
        Map<String, String> propertyBySecret = new LinkedHashMap<>();
        tokens.forEach((property, token) -> {
            if (token == null || token.isEmpty()) {
                return;
            }
            // Messages name the properties, never the values.
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(property + " is shorter than " + MIN_TOKEN_LENGTH + " characters");
            }
            String same = propertyBySecret.putIfAbsent(token, property);
            if (same != null) {
                // One secret would log in as whichever client is checked first: each
                // client needs its own.
                throw new IllegalArgumentException(
                        same + " and " + property + " are the same secret; give each client its own");
            }
        });
        if (maxRequestBodySize.toBytes() < 1024) {
            throw new IllegalArgumentException("api.max-request-body-size must be at least 1KB");
        }
        if (publicUrl != null && (!("https".equals(publicUrl.getScheme()) || "http".equals(publicUrl.getScheme()))
                || publicUrl.getHost() == null || publicUrl.getRawUserInfo() != null || publicUrl.getRawQuery() != null
                || publicUrl.getRawFragment() != null)) {
            throw new IllegalArgumentException(
                    "api.public-url must be an http or https URL such as https://tag-sync.example.com,"
                            + " without credentials, query or fragment");
        }
        if (maxLoginFailures < 1) {
            throw new IllegalArgumentException("api.max-login-failures must be at least 1");
        }
        if (loginFailureWindow.isNegative() || loginFailureWindow.isZero()) {
            throw new IllegalArgumentException("api.login-failure-window must be positive");
        }
    }
}
