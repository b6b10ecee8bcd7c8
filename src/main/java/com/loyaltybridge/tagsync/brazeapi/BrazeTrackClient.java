package com.loyaltybridge.tagsync.brazeapi;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.CredentialsRefused;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.NotDelivered;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.Refused;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.RejectedUser;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.Throttled;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome.Tracked;
import com.loyaltybridge.tagsync.http.JsonPost;
import com.loyaltybridge.tagsync.http.PooledRestClients;
import com.loyaltybridge.tagsync.http.RetryingCalls;
import com.loyaltybridge.tagsync.http.RetryingCalls.Attempt;
import com.loyaltybridge.tagsync.sessionm.RequestThrottle;

/**
 * Writes custom attributes to Braze profiles through {@code POST {endpoint}/users/track},
 * up to {@code braze.rest.attributes-per-request} attribute objects a request, with the
 * REST API key as a bearer token.
 *
 * <p>
 * What each answer means:
 * <ul>
 * <li>HTTP 2xx: Braze took the request. An {@code errors} array names, by {@code index}
 * into {@code attributes}, the objects it did not process: those users are
 * {@linkplain TrackOutcome.Tracked#rejected() rejected} with Braze's message, the others
 * written.</li>
 * <li>401 or 403: {@link CredentialsRefused}; the run must stop.</li>
 * <li>429: every thread waits until {@code X-RateLimit-Reset} (else {@code Retry-After},
 * which Braze does not document, else the backoff) and the request is sent again, without
 * using up a retry, until it has been throttled for {@code max-throttled-wait}:
 * {@link Throttled}.</li>
 * <li>5xx, a timeout, a lost connection, a 2xx that is not JSON: the request is sent
 * again with exponential backoff, as Braze asks: setting attributes is idempotent. When
 * retries run out, {@link NotDelivered}.</li>
 * <li>Any other 4xx: {@link Refused}, nothing written.</li>
 * </ul>
 * Every answer's {@code X-RateLimit-Remaining} is read too: when fewer requests are left
 * in Braze's window than {@code max-in-flight}, no request starts, on any thread, before
 * {@code X-RateLimit-Reset}. All of this comes on top of the client-side rate limit
 * ({@link RequestThrottle}, shared by every thread).
 *
 * <p>
 * Thread-safe: one client serves every thread of every run. The key is checked when a
 * request is made, so the bean exists in runs that never write to Braze; it never reaches
 * logs or messages.
 */
public class BrazeTrackClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrazeTrackClient.class);

    static final String NOT_SENT_AUTH = NotDelivered.NOT_SENT + "Braze refused the API key";
    static final String NOT_SENT_INTERRUPTED = NotDelivered.NOT_SENT + "interrupted";
    static final String NOT_SENT_SHUT_DOWN = NotDelivered.NOT_SENT + "the client is shut down";

    private static final int MAX_MESSAGE_LENGTH = 300;

    private static final String REMAINING = "X-RateLimit-Remaining";

    private static final String RESET = "X-RateLimit-Reset";

    /**
     * Below it, an {@code X-RateLimit-Reset} is read as seconds from now rather than
     * epoch seconds.
     */
    private static final long EPOCH_SECONDS_FLOOR = 1_000_000_000L;

    private static final long SHUTDOWN_GRACE_SECONDS = 30;

    private static final long HIGHEST_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);

    private final BrazeRestSettings settings;

    private final RequestThrottle throttle;

    private final RestClient restClient;

    private final BrazeTrackMetrics metrics;

    private final RetryingCalls calls;

    private final Clock clock;

    private final ExecutorService pool;

    public BrazeTrackClient(BrazeRestSettings settings, RequestThrottle throttle, MeterRegistry meterRegistry) {
        this(settings, throttle, meterRegistry, Clock.systemUTC());
    }

    BrazeTrackClient(BrazeRestSettings settings, RequestThrottle throttle, MeterRegistry meterRegistry, Clock clock) {
        this.settings = settings;
        this.throttle = throttle;
        this.clock = clock;
        this.restClient = PooledRestClients.create(settings.maxInFlight(), settings.connectTimeout(),
                settings.requestTimeout(), "the Braze REST API key (the Authorization header)");
        this.metrics = new BrazeTrackMetrics(meterRegistry);
        this.calls = new RetryingCalls("Braze", settings.retryLimits(), throttle::pauseFor, metrics::retry);
        this.pool = new ThreadPoolExecutor(settings.maxInFlight(), settings.maxInFlight(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new CustomizableThreadFactory("braze-track-"));
    }

    /**
     * The most attribute objects one request carries:
     * {@code braze.rest.attributes-per-request}.
     */
    public int batchSize() {
        return settings.attributesPerRequest();
    }

    /**
     * Sends one request with the attribute objects of {@code batch}; never throws for
     * what Braze or the network did.
     * @param batch 1 to {@link #batchSize()} attribute objects
     * @throws IllegalArgumentException for an empty or too large batch
     * @throws IllegalStateException when the endpoint or the API key is not set
     */
    public TrackOutcome track(List<UserAttributes> batch) {
        if (batch.isEmpty() || batch.size() > batchSize()) {
            throw new IllegalArgumentException(
                    "a /users/track request carries 1 to " + batchSize() + " attribute objects, not " + batch.size());
        }
        List<String> missing = settings.missingCredentials();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Braze is not configured: set " + String.join(", ", missing));
        }
        byte[] body = body(batch);
        String name = "/users/track of " + batch.size() + " users from " + batch.get(0).user();
        return calls.run(name, () -> attempt(batch, body), NotDelivered::new, reason -> {
            log.warn("Braze throttled {} too long: {}", name, reason);
            return new Throttled(reason);
        });
    }

    /** A batch of {@link #trackAll} and what became of it. */
    public record BatchOutcome(List<UserAttributes> batch, TrackOutcome outcome) {
    }

    /**
     * Sends {@code users} in batches of {@link #batchSize()}, in their order, with up to
     * {@code braze.rest.max-in-flight} requests under way at once, and returns each
     * batch's outcome in order. Once Braze refuses the key, the batches not yet started
     * are not sent: they come back {@link NotDelivered}.
     */
    public List<BatchOutcome> trackAll(List<UserAttributes> users) {
        Batches requests = batches();
        List<List<UserAttributes>> batches = new ArrayList<>();
        for (int from = 0; from < users.size(); from += batchSize()) {
            batches.add(List.copyOf(users.subList(from, Math.min(users.size(), from + batchSize()))));
        }
        List<Future<TrackOutcome>> futures = new ArrayList<>(batches.size());
        for (List<UserAttributes> batch : batches) {
            futures.add(requests.submit(batch));
        }
        List<BatchOutcome> outcomes = new ArrayList<>(batches.size());
        for (int i = 0; i < futures.size(); i++) {
            outcomes.add(new BatchOutcome(batches.get(i), requests.await(futures.get(i))));
        }
        return outcomes;
    }

    /** The requests of one run, sent as they come: see {@link Batches}. */
    public Batches batches() {
        return new Batches();
    }

    /**
     * The {@code /users/track} requests of one run, each sent on the client's threads as
     * soon as one is free (up to {@code braze.rest.max-in-flight} under way at once,
     * requests submitted earlier first), so that a caller can submit batches as it fills
     * them and collect their outcomes later. Once Braze refuses the key, the batches not
     * yet started are not sent: they come back {@link NotDelivered}.
     */
    public final class Batches {

        private final AtomicReference<String> stopReason = new AtomicReference<>();

        /** How long each batch took, retries included, in microseconds. */
        private final ConcurrentHistogram latencies = new ConcurrentHistogram(HIGHEST_LATENCY_MICROS, 2);

        private Batches() {
        }

        /**
         * Sends {@code batch} (1 to {@link #batchSize()} attribute objects) once a thread
         * is free.
         */
        public Future<TrackOutcome> submit(List<UserAttributes> batch) {
            return submit(batch, outcome -> {
            });
        }

        /**
         * Like {@link #submit(List)}; {@code whenAnswered} gets the request's outcome on
         * the thread that sent it, as soon as it is known (a caller records it there),
         * before the future completes. What it throws, the future does.
         */
        public Future<TrackOutcome> submit(List<UserAttributes> batch, Consumer<TrackOutcome> whenAnswered) {
            try {
                return pool.submit(() -> {
                    String reason = stopReason.get();
                    if (reason != null) {
                        NotDelivered notSent = new NotDelivered(reason);
                        whenAnswered.accept(notSent);
                        return notSent;
                    }
                    long start = System.nanoTime();
                    TrackOutcome outcome = track(batch);
                    latencies
                        .recordValue(Math.min(HIGHEST_LATENCY_MICROS, Math.max(1, (System.nanoTime() - start) / 1000)));
                    if (outcome instanceof CredentialsRefused) {
                        stopReason.compareAndSet(null, NOT_SENT_AUTH);
                    }
                    whenAnswered.accept(outcome);
                    return outcome;
                });
            }
            catch (RejectedExecutionException shutDown) {
                return CompletableFuture.completedFuture(new NotDelivered(NOT_SENT_SHUT_DOWN));
            }
        }

        /**
         * The outcome of a batch {@link #submit submitted} here, once known. If the
         * calling thread is interrupted, batches not yet started are not sent, and this
         * one is still waited for (its outcome must be known); the thread's interrupt is
         * kept.
         */
        public TrackOutcome await(Future<TrackOutcome> future) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return future.get();
                    }
                    catch (InterruptedException e) {
                        // Requests under way finish so their outcomes are known; the rest
                        // are not started.
                        interrupted = true;
                        stopReason.compareAndSet(null, NOT_SENT_INTERRUPTED);
                    }
                    catch (CancellationException e) {
                        return new NotDelivered(NOT_SENT_SHUT_DOWN);
                    }
                    catch (ExecutionException e) {
                        if (e.getCause() instanceof RuntimeException bug) {
                            throw bug;
                        }
                        throw new IllegalStateException("Braze request failed unexpectedly", e.getCause());
                    }
                }
            }
            finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /**
         * No batch of these starts from now on: they come back {@link NotDelivered},
         * never sent, saying {@code why}.
         */
        public void stop(String why) {
            stopReason.compareAndSet(null, NotDelivered.NOT_SENT + why);
        }

        /**
         * How long the batches sent so far took each, retries included, in microseconds.
         */
        public Histogram latencies() {
            return latencies.copy();
        }

    }

    private byte[] body(List<UserAttributes> batch) {
        ObjectNode body = JsonMapper.shared().createObjectNode();
        ArrayNode attributes = body.putArray("attributes");
        for (UserAttributes user : batch) {
            ObjectNode object = user.toJson();
            if (settings.updateExistingOnly()) {
                object.put("_update_existing_only", true);
            }
            attributes.add(object);
        }
        return JsonMapper.shared().writeValueAsBytes(body);
    }

    private Attempt<TrackOutcome> attempt(List<UserAttributes> batch, byte[] body) throws InterruptedException {
        throttle.acquire();
        long start = System.nanoTime();
        JsonPost.Answer answer;
        try {
            answer = JsonPost.post(restClient, trackUri(), headers -> headers.setBearerAuth(settings.apiKey()), body);
        }
        catch (IOException failure) {
            metrics.exchange("io_error", null, Duration.ofNanos(System.nanoTime() - start));
            return new Attempt.Retry<>(JsonPost.describe(failure));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int status = answer.status();
        JsonNode json = JsonPost.parse(answer.body());
        if (status == 429) {
            metrics.exchange("throttled", status, took);
            return new Attempt.Throttled<>(untilReset(answer.headers()).or(() -> retryAfter(answer.headers())));
        }
        observeRateLimit(answer.headers());
        if (status == 401 || status == 403) {
            metrics.exchange("auth_failed", status, took);
            String message = message(json, status);
            log.warn("Braze refused the API key: {}", message);
            return new Attempt.Done<>(new CredentialsRefused(status, message));
        }
        if (status >= 500) {
            metrics.exchange("retryable_error", status, took);
            return new Attempt.Retry<>(message(json, status));
        }
        if (status >= 200 && status < 300) {
            if (!json.isObject()) {
                metrics.exchange("retryable_error", status, took);
                return new Attempt.Retry<>("HTTP " + status + ": the answer is not JSON");
            }
            metrics.exchange("ok", status, took);
            return new Attempt.Done<>(tracked(batch, json));
        }
        metrics.exchange("refused", status, took);
        String message = message(json, status);
        log.warn("Braze refused a /users/track request of {} users: {}", batch.size(), message);
        return new Attempt.Done<>(new Refused(status, message));
    }

    /**
     * The users Braze named in {@code errors} are rejected with its message; the others
     * are written.
     */
    private Tracked tracked(List<UserAttributes> batch, JsonNode answer) {
        Map<Integer, String> rejectedByIndex = new LinkedHashMap<>();
        List<String> unattributed = new ArrayList<>();
        for (JsonNode error : answer.path("errors")) {
            String message = oneLine(firstText(error, error.path("type"), error.path("message")));
            JsonNode index = error.path("index");
            boolean aboutAttributes = "attributes".equals(error.path("input_array").asString("attributes"));
            if (aboutAttributes && index.canConvertToInt() && index.asInt() >= 0 && index.asInt() < batch.size()) {
                rejectedByIndex.merge(index.asInt(), message, (first, next) -> first + "; " + next);
            }
            else {
                unattributed.add(message);
            }
        }
        List<BrazeUser> written = new ArrayList<>();
        List<RejectedUser> rejected = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            String message = rejectedByIndex.get(i);
            if (message == null) {
                written.add(batch.get(i).user());
            }
            else {
                rejected.add(new RejectedUser(batch.get(i).user(), message));
                log.info("Braze did not write the attributes of {}: {}", batch.get(i).user(), message);
            }
        }
        if (!unattributed.isEmpty()) {
            log.warn("Braze answered errors that name no user: {}", unattributed);
        }
        metrics.users(written.size(), rejected.size());
        return new Tracked(written, rejected, unattributed);
    }

    /**
     * Holds every thread back until Braze's window resets when fewer requests are left in
     * it than may be under way.
     */
    private void observeRateLimit(HttpHeaders headers) {
        Long remaining = longHeader(headers, REMAINING);
        if (remaining == null || remaining >= settings.maxInFlight()) {
            return;
        }
        untilReset(headers).filter(wait -> !wait.isZero()).ifPresent(wait -> {
            metrics.rateLimitPause();
            log.debug("Braze has {} requests left in its window: no request starts for {} ms", remaining,
                    wait.toMillis());
            throttle.pauseFor(wait);
        });
    }

    /**
     * The time until {@code X-RateLimit-Reset} (UTC epoch seconds), capped by
     * {@code max-rate-limit-wait}.
     */
    private Optional<Duration> untilReset(HttpHeaders headers) {
        Long reset = longHeader(headers, RESET);
        if (reset == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant at = reset < EPOCH_SECONDS_FLOOR ? now.plusSeconds(reset) : Instant.ofEpochSecond(reset);
        return Optional.of(capped(Duration.between(now, at)));
    }

    /**
     * {@code Retry-After} in seconds or as an HTTP date, capped by
     * {@code max-rate-limit-wait}.
     */
    private Optional<Duration> retryAfter(HttpHeaders headers) {
        Long seconds = longHeader(headers, HttpHeaders.RETRY_AFTER);
        if (seconds != null) {
            return Optional.of(capped(Duration.ofSeconds(seconds)));
        }
        try {
            ZonedDateTime until = headers.getFirstZonedDateTime(HttpHeaders.RETRY_AFTER);
            return until == null ? Optional.empty() : Optional.of(capped(Duration.between(clock.instant(), until)));
        }
        catch (IllegalArgumentException unparseable) {
            return Optional.empty();
        }
    }

    private Duration capped(Duration wait) {
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(settings.maxRateLimitWait()) > 0 ? settings.maxRateLimitWait() : wait;
    }

    private URI trackUri() {
        String endpoint = settings.endpoint().toString();
        return URI.create((endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint)
                + BrazeRestSettings.USERS_TRACK_PATH);
    }

    private static Long longHeader(HttpHeaders headers, String name) {
        String value = headers.getFirst(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        }
        catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /**
     * "HTTP 400 Max Input Length Exceeded": the status and Braze's {@code message}, on
     * one line.
     */
    private static String message(JsonNode json, int status) {
        JsonNode message = json.path("message");
        return "HTTP " + status
                + (message.isString() && !message.asString().isBlank() ? " " + oneLine(message.asString()) : "");
    }

    /**
     * The first of {@code candidates} that is a string, else the JSON of {@code error}
     * itself.
     */
    private static String firstText(JsonNode error, JsonNode... candidates) {
        if (error.isString()) {
            return error.asString();
        }
        for (JsonNode candidate : candidates) {
            if (candidate.isString()) {
                return candidate.asString();
            }
        }
        return error.toString();
    }

    private static String oneLine(String message) {
        String oneLine = message.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_MESSAGE_LENGTH ? oneLine : oneLine.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }

    /**
     * Stops the pool: batches not started come back {@link NotDelivered}, requests under
     * way are interrupted and given a grace period to report what became of them.
     */
    @Override
    public void close() throws InterruptedException {
        for (Runnable notStarted : pool.shutdownNow()) {
            ((Future<?>) notStarted).cancel(false);
        }
        pool.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    }

}
