package com.loyaltybridge.tagsync.sessionm;

import java.time.Duration;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * What one HTTP exchange with SessionM (Core or Connect) came to, before anyone decides
 * to retry, wait or give up. Made by {@link AnswerClassifier}.
 */
public sealed interface SessionmAnswer {

    /**
     * HTTP 2xx and a body that is not {@code "status":"error"}; the body is a missing
     * node when not JSON.
     */
    record Success(JsonNode body) implements SessionmAnswer {
    }

    /**
     * HTTP 429: nothing was applied; {@code retryAfter} is SessionM's wish, already
     * capped.
     */
    record Throttled(Optional<Duration> retryAfter) implements SessionmAnswer {
    }

    /**
     * Worth another try.
     *
     * @param reason one line naming the status or exception class and SessionM's code,
     * nothing secret
     * @param outcomeUnknown SessionM may have applied the call (timeout, reset after
     * sending, 5xx but 503)
     */
    record Failed(String reason, boolean outcomeUnknown) implements SessionmAnswer {
    }

    /**
     * SessionM refused the call for good.
     *
     * @param code lower case; null when SessionM gave none
     * @param message SessionM's message on one line, or the status and code when it gave
     * none
     */
    record Rejected(int status, String code, String message) implements SessionmAnswer {
    }

    /**
     * SessionM refused the credentials; {@code code} is lower case, or null when SessionM
     * gave none.
     */
    record AuthFailed(int status, String code) implements SessionmAnswer {
    }

}
