package com.loyaltybridge.tagsync.sessionm;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Failed;
import com.loyaltybridge.tagsync.sessionm.TagsPaths.Target;

/**
 * One HTTP exchange with SessionM: through the {@link RequestThrottle}, measured,
 * classified, and told to the {@link InFlightLimiter} (how long it waited, how long
 * SessionM took, or what strain it met). It never retries and never throws for what
 * SessionM or the network did; deciding what happens next is {@link SessionmClient}'s
 * job.
 */
final class SessionmExchange {

    private static final Logger log = LoggerFactory.getLogger(SessionmExchange.class);

    private final RestClient restClient;

    private final SessionmSettings settings;

    private final TagsPaths paths;

    private final RequestThrottle throttle;

    private final AnswerClassifier classifier;

    private final SessionmMetrics metrics;

    private final InFlightLimiter limiter;

    SessionmExchange(RestClient restClient, SessionmSettings settings, RequestThrottle throttle,
            AnswerClassifier classifier, SessionmMetrics metrics, InFlightLimiter limiter) {
        this.restClient = restClient;
        this.settings = settings;
        this.paths = new TagsPaths(settings.tagsReadPath());
        this.throttle = throttle;
        this.classifier = classifier;
        this.metrics = metrics;
        this.limiter = limiter;
    }

    /** Creates or increments {@code tags} on the customer of {@code request}. */
    SessionmAnswer sendTags(TagRequest request, List<String> tags) throws InterruptedException {
        ObjectNode body = JsonMapper.shared().createObjectNode();
        tags.forEach(body.putArray("tags")::add);
        if (request.ttlSeconds() != null) {
            body.put("ttl", request.ttlSeconds());
        }
        Target target = paths.tags(settings.endpoint(), settings.apiKey(), request.identifierType(),
                request.identifier());
        return exchange(HttpMethod.POST, target, JsonMapper.shared().writeValueAsBytes(body));
    }

    /** Reads the tags the customer of {@code request} holds. */
    SessionmAnswer readTags(TagRequest request) throws InterruptedException {
        Target target = paths.readTags(settings.endpoint(), settings.apiKey(), request.identifierType(),
                request.identifier());
        return exchange(HttpMethod.GET, target, null);
    }

    private SessionmAnswer exchange(HttpMethod method, Target target, byte[] body) throws InterruptedException {
        limiter.waited(throttle.acquire());
        long start = System.nanoTime();
        SessionmAnswer answer;
        Integer status = null;
        try {
            RestClient.RequestBodySpec spec = restClient.method(method)
                .uri(target.uri())
                .headers(headers -> headers.setBasicAuth(settings.apiKey(), settings.apiSecret()))
                .accept(MediaType.APPLICATION_JSON);
            if (body != null) {
                spec.contentType(MediaType.APPLICATION_JSON).body(body);
            }
            RawAnswer raw = spec.exchange((request, response) -> new RawAnswer(response.getStatusCode().value(),
                    response.getHeaders(), response.getBody().readAllBytes()));
            status = raw.status();
            answer = classifier.classify(raw.status(), raw.headers(), raw.body());
        }
        catch (ResourceAccessException failure) {
            // Its message holds the full URL and so the API key: only the cause's type is
            // used.
            answer = failure.getCause() instanceof IOException cause ? AnswerClassifier.classify(cause)
                    : new Failed("connection lost (" + failure.getClass().getSimpleName() + ")", true);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // What SessionM's answers say about its strain is what the in-flight limit adapts
        // to.
        switch (metrics.exchange(method.name(), answer, status, took)) {
            case THROTTLED -> limiter.strained(AdaptiveLimit.Strain.THROTTLED);
            case RETRYABLE_ERROR -> limiter.strained(AdaptiveLimit.Strain.SERVER_ERROR);
            case IO_ERROR -> limiter.strained(AdaptiveLimit.Strain.NO_ANSWER);
            default -> limiter.answered(took);
        }
        log.debug("SessionM {} {} -> {} in {} ms", method, target, answer.getClass().getSimpleName(), took.toMillis());
        return answer;
    }

    private record RawAnswer(int status, HttpHeaders headers, byte[] body) {
    }

}
