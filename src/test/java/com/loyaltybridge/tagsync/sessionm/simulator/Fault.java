package com.loyaltybridge.tagsync.sessionm.simulator;

import java.time.Duration;
import java.util.Map;

/**
 * Something going wrong with one request to the {@link SessionmSimulator}. For a GET,
 * "applying" means nothing: reads change no state.
 */
public sealed interface Fault {

    /** No fault: the request is handled as SessionM would. */
    static Fault none() {
        return new Pass();
    }

    /**
     * Answers {@code status} with the body SessionM (or a gateway in front of it) would
     * send, without applying.
     */
    static Answer status(int status) {
        return switch (status) {
            case 401 -> status(401, SessionmSimulator.errorBody("invalid_auth_token"), Map.of());
            case 403 -> status(403, SessionmSimulator.errorBody("access_denied"), Map.of());
            case 404 -> status(404, SessionmSimulator.errorBody("user_not_found"), Map.of());
            case 429 -> tooManyRequests("1");
            case 503 -> status(503, SessionmSimulator.errorBody("not_available"), Map.of());
            case 502, 504 ->
                new Answer(status, "<html><body>Gateway error</body></html>", Map.of(), false, "text/html");
            default -> status(status,
                    SessionmSimulator.errorBody(status >= 500 ? "internal_server_error" : "validation"), Map.of());
        };
    }

    /**
     * Answers {@code status} with a JSON {@code body} and {@code headers}, without
     * applying.
     */
    static Answer status(int status, String body, Map<String, String> headers) {
        return new Answer(status, body, headers, false, "application/json");
    }

    /** 429 with {@code Retry-After} as given: seconds ({@code "2"}) or an HTTP-date. */
    static Answer tooManyRequests(String retryAfter) {
        return status(429, SessionmSimulator.errorBody("too_many_requests"), Map.of("Retry-After", retryAfter));
    }

    /**
     * HTTP 200 with {@code {"status":"error","errors":{"code":code}}}, without applying.
     */
    static Answer errorBody(String code) {
        return status(200, SessionmSimulator.errorBody(code), Map.of());
    }

    /** The connection is reset before the request is applied. */
    static Fault resetBeforeApply() {
        return new ResetBeforeApply();
    }

    /** The request is applied, then the connection is reset: the answer is lost. */
    static Fault resetAfterApply() {
        return new ResetAfterApply();
    }

    /**
     * The request is applied and answered only after {@code delay}: longer than the
     * client's timeout, it is lost.
     */
    static Fault applyThenDelay(Duration delay) {
        return new ApplyThenDelay(delay);
    }

    /**
     * The request is received but neither applied nor answered until
     * {@link SessionmSimulator#releaseHung()}.
     */
    static Fault hang() {
        return new Hang();
    }

    /**
     * An HTTP answer.
     *
     * @param applied whether the request is applied before answering (e.g. a 500 after
     * the write landed)
     */
    record Answer(int status, String body, Map<String, String> headers, boolean applied,
            String contentType) implements Fault {

        /** The same answer, sent after the request was applied. */
        public Answer afterApplying() {
            return new Answer(status, body, headers, true, contentType);
        }
    }

    record Pass() implements Fault {
    }

    record ResetBeforeApply() implements Fault {
    }

    record ResetAfterApply() implements Fault {
    }

    record ApplyThenDelay(Duration delay) implements Fault {
    }

    record Hang() implements Fault {
    }

}
