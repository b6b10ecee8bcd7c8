package com.loyaltybridge.tagsync.sessionm;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;

import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.AuthFailed;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Failed;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Rejected;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Success;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Throttled;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerClassifierTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final AnswerClassifier classifier = new AnswerClassifier(Set.of("internal_server_error", "NOT_AVAILABLE"),
            Set.of("invalid_auth_token", "access_denied"), Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));

    @ParameterizedTest
    @CsvSource(delimiter = '|',
            value = { "200 | {\"status\":\"ok\"}", "201 | ''", "200 | not json at all", "204 | ''" })
    void successIs2xxWithoutAnErrorBody(int status, String body) {
        assertThat(classify(status, body)).isInstanceOf(Success.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "401 | ''                                                      | ",
            "403 | {\"status\":\"error\",\"errors\":{\"code\":\"ACCESS_DENIED\"}} | access_denied",
            "200 | {\"status\":\"error\",\"errors\":{\"code\":\"INVALID_AUTH_TOKEN\"}} | invalid_auth_token",
            "400 | {\"status\":\"error\",\"errors\":[{\"code\":\"invalid_auth_token\"}]} | invalid_auth_token" })
    void credentialsRefusedByStatusOrCode(int status, String body, String code) {
        assertThat(classify(status, body)).isEqualTo(new AuthFailed(status, code));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "500 | {\"status\":\"error\",\"errors\":{\"code\":\"internal_server_error\"}} | HTTP 500 internal_server_error | true",
            "502 | <html>Bad Gateway</html>                                      | HTTP 502                       | true",
            "504 | ''                                                            | HTTP 504                       | true",
            "503 | ''                                                            | HTTP 503                       | false",
            "200 | {\"status\":\"error\",\"errors\":{\"code\":\"Internal_Server_Error\"}} | HTTP 200 internal_server_error | true",
            "200 | {\"status\":\"error\",\"errors\":[\"not_available\"]}           | HTTP 200 not_available         | true" })
    void retryableAnswersKnowWhetherTheyMayHaveBeenApplied(int status, String body, String reason, boolean unknown) {
        assertThat(classify(status, body)).isEqualTo(new Failed(reason, unknown));
    }

    @Test
    void otherErrorsAreRejectionsWithSessionmsCodeAndMessage() {
        assertThat(classify(404,
                "{\"status\":\"error\",\"errors\":{\"code\":\"USER_NOT_FOUND\",\"message\":\"No\\nsuch user\"}}"))
            .isEqualTo(new Rejected(404, "user_not_found", "No such user"));
        assertThat(classify(200, "{\"status\":\"error\",\"errors\":{\"code\":\"requires_registered_user\"}}"))
            .isEqualTo(new Rejected(200, "requires_registered_user", "HTTP 200 requires_registered_user"));
        assertThat(classify(422, "plain text")).isEqualTo(new Rejected(422, null, "HTTP 422"));
        assertThat(
                classify(400, "{\"status\":\"error\",\"errors\":[{\"code\":\"validation\",\"message\":\"bad ttl\"}]}"))
            .isEqualTo(new Rejected(400, "validation", "bad ttl"));
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDateIsCapped() {
        assertThat(throttledFor("7")).contains(Duration.ofSeconds(7));
        assertThat(throttledFor("Sun, 01 Mar 2026 10:00:12 GMT")).contains(Duration.ofSeconds(12));
        assertThat(throttledFor("Sun, 01 Mar 2026 09:59:00 GMT")).contains(Duration.ZERO);
        assertThat(throttledFor("3600")).contains(Duration.ofSeconds(30));
        assertThat(throttledFor("soon")).isEmpty();
        assertThat(throttledFor(null)).isEmpty();
    }

    @Test
    void failuresWithoutAnAnswerKnowWhetherTheRequestWasSent() {
        assertThat(AnswerClassifier.classify(new ConnectException("refused")))
            .isEqualTo(new Failed("could not connect (ConnectException)", false));
        assertThat(AnswerClassifier.classify(new HttpHostConnectException("Connection refused")))
            .isEqualTo(new Failed("could not connect (HttpHostConnectException)", false));
        assertThat(AnswerClassifier.classify(new ConnectTimeoutException("connect timed out")))
            .isEqualTo(new Failed("could not connect (ConnectTimeoutException)", false));
        assertThat(AnswerClassifier.classify(new SocketTimeoutException("Read timed out")))
            .isEqualTo(new Failed("no answer within the request timeout (SocketTimeoutException)", true));
        assertThat(AnswerClassifier.classify(new NoHttpResponseException("127.0.0.1:8089 failed to respond")))
            .isEqualTo(new Failed("connection lost (NoHttpResponseException)", true));
        assertThat(AnswerClassifier.classify(new SocketException("Connection reset")))
            .isEqualTo(new Failed("connection lost (SocketException)", true));
        assertThat(AnswerClassifier.classify(new EOFException()))
            .isEqualTo(new Failed("connection lost (EOFException)", true));
    }

    private Optional<Duration> throttledFor(String retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        if (retryAfter != null) {
            headers.add(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        SessionmAnswer answer = classifier.classify(429, headers, new byte[0]);
        assertThat(answer).isInstanceOf(Throttled.class);
        return ((Throttled) answer).retryAfter();
    }

    private SessionmAnswer classify(int status, String body) {
        return classifier.classify(status, new HttpHeaders(), body.getBytes(StandardCharsets.UTF_8));
    }

}
