package com.loyaltybridge.tagsync.sessionm;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the SessionM client reports to Micrometer:
 * <ul>
 * <li>{@code sessionm.requests} (counter): every HTTP exchange, tagged {@code method}, {@code outcome} and
 * {@code status} ({@code none} when no HTTP answer came back)</li>
 * <li>{@code sessionm.request.latency} (timer with histogram, and its p50 and p99 over the last minutes): same
 * exchanges, tagged {@code method} and {@code outcome}</li>
 * <li>{@code sessionm.retries} (counter): retries after a failure, not counting waits for 429</li>
 * <li>{@code sessionm.throttled} (counter): 429 answers</li>
 * <li>{@code sessionm.rejections} (counter): answers that refuse a customer for good, tagged by SessionM's
 * {@code code} ({@code none} when it gave none)</li>
 * <li>{@code sessionm.in.flight.limit}, {@code sessionm.in.flight.calls}, {@code sessionm.in.flight.cap} (gauges): the
 * adaptive limit on calls under way, the calls under way, and its bound {@code sessionm.max-in-flight}</li>
 * <li>{@code sessionm.requests.per.second.achieved} and {@code .configured} (gauges): requests per second over the
 * last window the limit judged (about one latency), and {@code sessionm.requests-per-second} (0: none)</li>
 * <li>{@code sessionm.held.back} (function counter, seconds), tagged {@code bound} ({@link HeldBackBy#tag()}): how long
 * each bound held calls back</li>
 * </ul>
 */
final class SessionmMetrics {

    static final String NO_VALUE = "none";

    /** The {@code outcome} tag of {@code sessionm.requests}. */
    enum ExchangeOutcome {
        OK("ok"), REJECTED("rejected"), THROTTLED("throttled"), RETRYABLE_ERROR("retryable_error"),
        AUTH_FAILED("auth_failed"), IO_ERROR("io_error");

        private final String tag;

        ExchangeOutcome(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    private final MeterProvider<Counter> requests;
    private final MeterProvider<Timer> latency;
    private final MeterProvider<Counter> rejections;
    private final Counter retries;
    private final Counter throttled;

    SessionmMetrics(MeterRegistry registry) {
        this.registry = registry;
        requests = Counter.builder("sessionm.requests").description("HTTP exchanges with SessionM")
                .withRegistry(registry);
        latency = Timer.builder("sessionm.request.latency").description("Duration of HTTP exchanges with SessionM")
                .publishPercentileHistogram().publishPercentiles(0.5, 0.99).withRegistry(registry);
        rejections = Counter.builder("sessionm.rejections")
                .description("Answers refusing a customer for good, by SessionM error code").withRegistry(registry);
        retries = Counter.builder("sessionm.retries").description("Retries after a failed exchange")
                .register(registry);
        throttled = Counter.builder("sessionm.throttled").description("HTTP 429 answers").register(registry);
    }

    void exchange(String method, ExchangeOutcome outcome, Integer status, Duration took) {
        requests.withTags("method", method, "outcome", outcome.tag, "status",
                status == null ? NO_VALUE : status.toString()).increment();
        latency.withTags("method", method, "outcome", outcome.tag).record(took);
        if (outcome == ExchangeOutcome.THROTTLED) {
            throttled.increment();
        }
    }

    /** The gauges of the in-flight limit; the meters read it when they are read. */
    void inFlight(InFlightLimiter limiter) {
        Gauge.builder("sessionm.in.flight.limit", limiter, InFlightLimiter::limit)
                .description("Calls to SessionM that may be under way at once, as the limit adapts").register(registry);
        Gauge.builder("sessionm.in.flight.calls", limiter, InFlightLimiter::inFlight)
                .description("Calls to SessionM under way").register(registry);
        Gauge.builder("sessionm.in.flight.cap", limiter, InFlightLimiter::bound)
                .description("The bound of the in-flight limit (sessionm.max-in-flight)").register(registry);
        Gauge.builder("sessionm.requests.per.second.achieved", limiter, InFlightLimiter::recentRequestsPerSecond)
                .description("Requests to SessionM per second over the last window the limit judged").register(registry);
        Gauge.builder("sessionm.requests.per.second.configured", limiter, InFlightLimiter::requestsPerSecond)
                .description("The configured rate limit (sessionm.requests-per-second); 0 for none").register(registry);
        for (HeldBackBy bound : HeldBackBy.values()) {
            FunctionCounter.builder("sessionm.held.back", limiter, l -> l.heldBackSeconds(bound))
                    .description("Time calls to SessionM were held back, by what held them").baseUnit("seconds")
                    .tag("bound", bound.tag()).register(registry);
        }
    }

    void rejection(String code) {
        rejections.withTag("code", code == null ? NO_VALUE : code).increment();
    }

    void retry() {
        retries.increment();
    }
}
