package com.loyaltybridge.tagsync.api;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The REST API ({@code serve}).
 *
 * @param maxConcurrentSyncs syncs this process runs at once for API callers; a launch beyond that answers 503
 * @param startTimeout       how long a launch waits for its execution to exist before answering
 * @param viewerToken        secret of the read-only client {@code viewer}: a bearer token, or the Basic password
 * @param operatorToken      secret of the client {@code operator}, who may also launch, restart, stop and abandon
 * @param brazeToken         secret of the client {@code braze}, who may only post export completion callbacks
 */
@ConfigurationProperties("api")
public record ApiSettings(
        @DefaultValue("2") int maxConcurrentSyncs,
        @DefaultValue("60s") Duration startTimeout,
        String viewerToken,
        String operatorToken,
        String brazeToken) {

    /** Shorter secrets are refused: a token is a password that a machine types. */
    public static final int MIN_TOKEN_LENGTH = 24;

    public ApiSettings {
        if (maxConcurrentSyncs < 1) {
            throw new IllegalArgumentException("api.max-concurrent-syncs must be at least 1");
        }
        checkToken("api.viewer-token", viewerToken);
        checkToken("api.operator-token", operatorToken);
        checkToken("api.braze-token", brazeToken);
    }

    private static void checkToken(String property, String token) {
        if (token != null && !token.isEmpty() && token.length() < MIN_TOKEN_LENGTH) {
            // The message names the property, never the value.
            throw new IllegalArgumentException(property + " is shorter than " + MIN_TOKEN_LENGTH + " characters");
        }
    }
}
