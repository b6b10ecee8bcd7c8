package com.loyaltybridge.tagsync.sessionm;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

import com.loyaltybridge.tagsync.http.JsonPost;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.AuthFailed;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Failed;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Rejected;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Success;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Throttled;

/**
 * Turns what came back from SessionM into a {@link SessionmAnswer}. SessionM may answer
 * HTTP 200 with {@code {"status":"error","errors":{"code":"..."}}}, so the body decides
 * as much as the status. Error codes are compared case-insensitively: SessionM's docs
 * show them in both cases. {@code errors} may be an object or an array; the body may be
 * empty or not JSON. SessionM Connect's error bodies are not documented: its client reads
 * them the same way.
 */
public final class AnswerClassifier {

    private static final int MAX_MESSAGE_LENGTH = 300;

    private final Set<String> retryableErrorCodes;

    private final Set<String> authErrorCodes;

    private final Duration maxRetryAfter;

    private final Clock clock;

    public AnswerClassifier(Set<String> retryableErrorCodes, Set<String> authErrorCodes, Duration maxRetryAfter,
            Clock clock) {
        this.retryableErrorCodes = lowerCase(retryableErrorCodes);
        this.authErrorCodes = lowerCase(authErrorCodes);
        this.maxRetryAfter = maxRetryAfter;
        this.clock = clock;
    }

    public SessionmAnswer classify(int status, HttpHeaders headers, byte[] body) {
        JsonNode json = JsonPost.parse(body);
        boolean errorBody = "error".equalsIgnoreCase(json.path("status").asString(""));
        String code = errorBody || status >= 400 ? errorCode(json) : null;
        if (status == 401 || status == 403 || (code != null && authErrorCodes.contains(code))) {
            return new AuthFailed(status, code);
        }
        if (status == 429) {
            return new Throttled(retryAfter(headers));
        }
        if (status >= 500) {
            // 503 says the service did not take the call; other 5xx may come after it was
            // applied.
            return new Failed(describe(status, code), status != 503);
        }
        if (code != null && retryableErrorCodes.contains(code)) {
            // SessionM does not say whether an error body means "not applied", so assume
            // it may have been.
            return new Failed(describe(status, code), true);
        }
        if (status >= 200 && status < 300 && !errorBody) {
            return new Success(json);
        }
        return new Rejected(status, code, message(json, status, code));
    }

    /** An exchange that failed without an HTTP answer. */
    static Failed classify(IOException failure) {
        // A request timeout or a connection lost after sending may come after SessionM
        // applied the call.
        return new Failed(JsonPost.describe(failure), !JsonPost.couldNotConnect(failure));
    }

    public static String describe(int status, String code) {
        return "HTTP " + status + (code == null ? "" : " " + code);
    }

    private Optional<Duration> retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Duration wait;
        if (value.trim().chars().allMatch(Character::isDigit)) {
            wait = Duration.ofSeconds(Long.parseLong(value.trim()));
        }
        else {
            try {
                ZonedDateTime until = headers.getFirstZonedDateTime(HttpHeaders.RETRY_AFTER);
                wait = Duration.between(clock.instant(), until.toInstant());
            }
            catch (IllegalArgumentException unparseable) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(wait.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : wait);
    }

    private static String errorCode(JsonNode json) {
        JsonNode errors = json.path("errors");
        JsonNode first = errors.isArray() ? errors.path(0) : errors;
        String code = first.isString() ? first.asString() : first.path("code").asString(null);
        return code == null || code.isBlank() ? null : code.trim().toLowerCase(Locale.ROOT);
    }

    /** SessionM's message on one line, or the status and code when it gave none. */
    private static String message(JsonNode json, int status, String code) {
        JsonNode errors = json.path("errors");
        JsonNode first = errors.isArray() ? errors.path(0) : errors;
        String message = first.path("message").asString(json.path("message").asString(null));
        if (message == null || message.isBlank()) {
            return describe(status, code);
        }
        String oneLine = message.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_MESSAGE_LENGTH ? oneLine : oneLine.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }

    private static Set<String> lowerCase(Set<String> codes) {
        return codes.stream().map(code -> code.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

}
