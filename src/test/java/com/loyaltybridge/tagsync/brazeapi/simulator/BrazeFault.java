package com.loyaltybridge.tagsync.brazeapi.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Something going wrong with one request to the {@link BrazeSimulator}. */
public sealed interface BrazeFault {

    /**
     * Answers {@code status} with Braze's fatal-error body ({@code {"message":...}}),
     * processing nothing.
     */
    static Answer status(int status) {
        String message = switch (status) {
            case 429 -> "Rate Limited";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Error " + status;
        };
        return new Answer(status, "{\"message\":\"" + message + "\"}", Map.of(), "application/json");
    }

    /**
     * 429 without Braze's rate-limit headers, with {@code Retry-After} as given (Braze
     * documents none).
     */
    static Answer tooManyRequests(String retryAfter) {
        return new Answer(429, "{\"message\":\"Rate Limited\"}", Map.of("Retry-After", retryAfter), "application/json");
    }

    /** A gateway's HTML page with {@code status}, processing nothing. */
    static Answer html(int status) {
        return new Answer(status, "<html><body>Gateway</body></html>", Map.of(), "text/html");
    }

    /** The connection is reset before the request is processed. */
    static BrazeFault reset() {
        return new Reset();
    }

    /**
     * The request is processed, and answered only after {@code delay}: longer than the
     * client's timeout, it is lost.
     */
    static BrazeFault processThenDelay(Duration delay) {
        return new ProcessThenDelay(delay);
    }

    /**
     * The request is processed, and answered only once {@code release} completes: a Braze
     * as slow as a test needs.
     */
    static BrazeFault processThenHold(CompletionStage<?> release) {
        return new ProcessThenHold(release);
    }

    /**
     * An HTTP answer sent instead of processing the request; the rate-limit headers are
     * added as always.
     */
    record Answer(int status, String body, Map<String, String> headers, String contentType) implements BrazeFault {
    }

    record Reset() implements BrazeFault {
    }

    record ProcessThenDelay(Duration delay) implements BrazeFault {
    }

    record ProcessThenHold(CompletionStage<?> release) implements BrazeFault {
    }

}
