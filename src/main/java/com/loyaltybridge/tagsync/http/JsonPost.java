package com.loyaltybridge.tagsync.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.function.Consumer;

import javax.net.ssl.SSLHandshakeException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * One JSON POST and its raw answer, whatever the status: deciding what an answer means is
 * the caller's job. A failure without an HTTP answer is an {@link IOException} that
 * {@link #describe} puts in one line without the URL.
 */
public final class JsonPost {

    /**
     * Answers are read into memory whole, so one larger than this fails instead of
     * filling the heap of a process with dozens of calls under way; no answer of the APIs
     * called here comes near it.
     */
    public static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private JsonPost() {
    }

    /** What came back: the status, the headers and the body, complete. */
    public record Answer(int status, HttpHeaders headers, byte[] body) {
    }

    /**
     * Posts {@code json} to {@code uri}.
     * @param headers adds the request's own headers, such as Authorization
     * @throws IOException when no complete answer came back: the connection failed, timed
     * out or was lost, or the answer was larger than {@link #MAX_ANSWER_BYTES}
     */
    public static Answer post(RestClient client, URI uri, Consumer<HttpHeaders> headers, byte[] json)
            throws IOException {
        try {
            return client.post()
                .uri(uri)
                .headers(headers)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .body(json)
                .exchange((request, response) -> new Answer(response.getStatusCode().value(), response.getHeaders(),
                        readAtMost(response.getBody())));
        }
        catch (ResourceAccessException failure) {
            // Its message holds the full URL (SessionM Core's carry the API key): only
            // the cause goes on.
            if (failure.getCause() instanceof IOException cause) {
                throw cause;
            }
            throw new IOException("connection lost (" + failure.getClass().getSimpleName() + ")");
        }
    }

    /**
     * {@code body} read as JSON; a missing node when it is empty or not JSON: an answer
     * is never trusted to be.
     */
    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode json = JsonMapper.shared().readTree(body);
            return json == null ? MissingNode.getInstance() : json;
        }
        catch (JacksonException notJson) {
            return MissingNode.getInstance();
        }
    }

    /**
     * Whether {@code failure} happened before anything was sent: the request cannot have
     * reached the server.
     */
    public static boolean couldNotConnect(IOException failure) {
        return failure instanceof ConnectTimeoutException || failure instanceof ConnectException
                || failure instanceof UnknownHostException || failure instanceof SSLHandshakeException;
    }

    /**
     * One line naming what went wrong and the exception's class, never its message (which
     * may hold the URL).
     */
    public static String describe(IOException failure) {
        String type = failure.getClass().getSimpleName();
        if (failure instanceof AnswerTooLargeException) {
            return "answer larger than " + MAX_ANSWER_BYTES / (1024 * 1024) + " MB";
        }
        if (couldNotConnect(failure)) {
            return "could not connect (" + type + ")";
        }
        if (failure instanceof SocketTimeoutException) {
            return "no answer within the request timeout (" + type + ")";
        }
        return "connection lost (" + type + ")";
    }

    private static byte[] readAtMost(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
        if (bytes.length > MAX_ANSWER_BYTES) {
            throw new AnswerTooLargeException();
        }
        return bytes;
    }

    private static final class AnswerTooLargeException extends IOException {

        AnswerTooLargeException() {
            super("answer larger than " + MAX_ANSWER_BYTES + " bytes", null);
        }

    }

}
