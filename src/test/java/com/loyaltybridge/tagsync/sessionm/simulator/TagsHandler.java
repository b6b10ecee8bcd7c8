package com.loyaltybridge.tagsync.sessionm.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.springframework.web.util.UriUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.support.JettyConnections;

/**
 * SessionM's tags endpoints as the simulator serves them. Nothing here blocks a Jetty
 * thread: bodies are read asynchronously, latency and delays are scheduled, hung requests
 * wait in a queue.
 */
final class TagsHandler extends Handler.Abstract.NonBlocking {

    static final String STATS_PATH = "/__simulator/stats";

    private static final String OK_BODY = "{\"status\":\"ok\"}";

    private final SessionmSimulator simulator;

    private final Queue<Exchange> hung = new ConcurrentLinkedQueue<>();

    TagsHandler(SessionmSimulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long receivedNanos = System.nanoTime();
        String rawPath = request.getHttpURI().getPath();
        if (STATS_PATH.equals(rawPath)) {
            // ?tags=false leaves out the per-customer counts: cheap enough to poll during
            // a benchmark.
            boolean perTag = !"tags=false".equals(request.getHttpURI().getQuery());
            write(response, callback, 200, "application/json",
                    JsonMapper.shared().writeValueAsString(simulator.stats(perTag)), Map.of());
            return true;
        }
        TagsPath path = TagsPath.parse(rawPath);
        Exchange exchange = new Exchange(request, response, callback, path, receivedNanos);
        simulator.counters().started();
        if (isPost(request)) {
            Content.Source.asStringAsync(request, StandardCharsets.UTF_8).whenComplete((body, failure) -> {
                if (failure != null) {
                    exchange.leave();
                    callback.failed(failure);
                }
                else {
                    handle(exchange, body);
                }
            });
        }
        else {
            handle(exchange, "");
        }
        return true;
    }

    private void handle(Exchange exchange, String body) {
        boolean post = isPost(exchange.request);
        exchange.tags = post ? TagPost.parse(body) : null;
        if (exchange.path != null && exchange.tags != null) {
            simulator.customers().received(exchange.path.type(), exchange.path.identifier(), exchange.tags.tags());
        }
        simulator.record(new RecordedRequest(exchange.request.getMethod(), exchange.request.getHttpURI().getPath(),
                exchange.path == null ? null : exchange.path.type(),
                exchange.path == null ? null : exchange.path.identifier(),
                exchange.request.getHeaders().get(HttpHeader.AUTHORIZATION),
                exchange.request.getHeaders().get(HttpHeader.CONTENT_TYPE), body, Instant.now(),
                exchange.receivedNanos), post);
        if (exchange.path == null) {
            exchange.answer(404, SessionmSimulator.errorBody("not_found"));
            return;
        }
        if (!post && !"GET".equals(exchange.request.getMethod())) {
            exchange.answer(405, SessionmSimulator.errorBody("method_not_allowed"));
            return;
        }
        if (!simulator.acceptsCredentials(exchange.request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            exchange.answer(401, SessionmSimulator.errorBody("invalid_auth_token"));
            return;
        }
        if (!simulator.apiKey().equals(exchange.path.apiKey())) {
            exchange.answer(401, SessionmSimulator.errorBody("invalid_api_key"));
            return;
        }
        long retryAfter = simulator.rateLimitSecondsToWait(exchange.receivedNanos);
        if (retryAfter > 0) {
            Fault.Answer throttled = Fault.tooManyRequests(Long.toString(retryAfter));
            exchange.answer(throttled.status(), throttled.body(), throttled.headers(), throttled.contentType(),
                    Duration.ZERO);
            return;
        }
        Fault fault = simulator.faults().next(post, exchange.path.identifier());
        if (fault instanceof Fault.Pass) {
            exchange.answer(process(exchange));
        }
        else if (fault instanceof Fault.Answer answer) {
            if (answer.applied()) {
                process(exchange);
            }
            exchange.answer(answer.status(), answer.body(), answer.headers(), answer.contentType(), Duration.ZERO);
        }
        else if (fault instanceof Fault.ResetBeforeApply) {
            exchange.reset();
        }
        else if (fault instanceof Fault.ResetAfterApply) {
            process(exchange);
            exchange.reset();
        }
        else if (fault instanceof Fault.ApplyThenDelay delayed) {
            Outcome outcome = process(exchange);
            exchange.answer(outcome.status(), outcome.body(), Map.of(), "application/json", delayed.delay());
        }
        else {
            hung.add(exchange);
        }
    }

    /** Answers every hung request as if it had just arrived: applied, then answered. */
    int releaseHung() {
        int released = 0;
        for (Exchange exchange; (exchange = hung.poll()) != null; released++) {
            exchange.answer(process(exchange));
        }
        return released;
    }

    int hungCount() {
        return hung.size();
    }

    void abortHung() {
        for (Exchange exchange; (exchange = hung.poll()) != null;) {
            exchange.reset();
        }
    }

    /** What SessionM would do with the request: for a POST, apply it. */
    private Outcome process(Exchange exchange) {
        TagsPath path = exchange.path;
        if (!simulator.customers().exists(path.identifier())) {
            return new Outcome(404, SessionmSimulator.errorBody("user_not_found"));
        }
        if (!isPost(exchange.request)) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("status", "ok");
            answer.put("user", Map.of("tags", simulator.customers().view(path.type(), path.identifier())));
            return new Outcome(200, JsonMapper.shared().writeValueAsString(answer));
        }
        TagPost post = exchange.tags;
        if (post == null) {
            return new Outcome(400, SessionmSimulator.errorBody("validation"));
        }
        simulator.customers().apply(path.type(), path.identifier(), post.tags(), post.ttl());
        return new Outcome(200, OK_BODY);
    }

    private void write(Response response, Callback callback, int status, String contentType, String body,
            Map<String, String> headers) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        headers.forEach(response.getHeaders()::put);
        response.write(true, StandardCharsets.UTF_8.encode(body), callback);
    }

    private record Outcome(int status, String body) {
    }

    /** One request on its way through the simulator. */
    private final class Exchange {

        final Request request;

        final Response response;

        final Callback callback;

        final TagsPath path;

        final long receivedNanos;

        /** The parsed POST body; null for a GET or a body that is not a tags body. */
        TagPost tags;

        private final AtomicBoolean left = new AtomicBoolean();

        Exchange(Request request, Response response, Callback callback, TagsPath path, long receivedNanos) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.path = path;
            this.receivedNanos = receivedNanos;
        }

        void answer(Outcome outcome) {
            answer(outcome.status(), outcome.body(), Map.of(), "application/json", Duration.ZERO);
        }

        void answer(int status, String body) {
            answer(status, body, Map.of(), "application/json", Duration.ZERO);
        }

        void answer(int status, String body, Map<String, String> headers, String contentType, Duration delay) {
            Duration wait = simulator.latency().plus(delay);
            Runnable send = () -> {
                leave();
                simulator.counters().answered(Integer.toString(status));
                write(response, callback, status, contentType, body, headers);
            };
            if (wait.isZero()) {
                send.run();
            }
            else {
                request.getComponents().getScheduler().schedule(send, wait);
            }
        }

        /**
         * Drops the connection; with SO_LINGER 0 the close sends a TCP RST rather than a
         * FIN.
         */
        void reset() {
            leave();
            simulator.counters().answered("reset");
            JettyConnections.reset(request, callback);
        }

        /**
         * Counts the request out of the in-flight total before its answer is written, so
         * a client cannot send its next request on the same thread before this one is
         * counted out.
         */
        void leave() {
            if (left.compareAndSet(false, true)) {
                simulator.counters().finished();
            }
        }

    }

    /**
     * {@code /priv/v1/apps/{apiKey}/external/users/{id}/tags} or
     * {@code /priv/v1/apps/{apiKey}/users/{id}/tags}.
     */
    record TagsPath(String apiKey, IdentifierType type, String identifier) {

        static TagsPath parse(String rawPath) {
            String[] segments = rawPath.split("/", -1);
            try {
                if (segments.length == 9 && segments[5].equals("external") && segments[6].equals("users")
                        && isTagsPrefix(segments) && segments[8].equals("tags")) {
                    return new TagsPath(decode(segments[4]), IdentifierType.EXTERNAL_ID, decode(segments[7]));
                }
                if (segments.length == 8 && segments[5].equals("users") && isTagsPrefix(segments)
                        && segments[7].equals("tags")) {
                    return new TagsPath(decode(segments[4]), IdentifierType.USER_ID, decode(segments[6]));
                }
            }
            catch (IllegalArgumentException badEncoding) {
                return null;
            }
            return null;
        }

        private static boolean isTagsPrefix(String[] segments) {
            return segments[0].isEmpty() && segments[1].equals("priv") && segments[2].equals("v1")
                    && segments[3].equals("apps");
        }

        private static String decode(String segment) {
            return UriUtils.decode(segment, StandardCharsets.UTF_8);
        }
    }

    /** A POST body: {@code {"tags":[...],"ttl":N}}; null when it is not one. */
    record TagPost(List<String> tags, Long ttl) {

        static TagPost parse(String body) {
            try {
                JsonNode json = JsonMapper.shared().readTree(body);
                JsonNode tags = json.path("tags");
                if (!tags.isArray() || tags.isEmpty()) {
                    return null;
                }
                List<String> names = new ArrayList<>();
                for (JsonNode tag : tags) {
                    if (!tag.isString()) {
                        return null;
                    }
                    names.add(tag.asString());
                }
                JsonNode ttl = json.path("ttl");
                return new TagPost(names, ttl.isIntegralNumber() ? ttl.asLong() : null);
            }
            catch (JacksonException notJson) {
                return null;
            }
        }
    }

    private static boolean isPost(Request request) {
        return "POST".equals(request.getMethod());
    }

}
