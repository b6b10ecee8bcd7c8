package com.loyaltybridge.tagsync.sessionm;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.AuthFailed;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Rejected;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Success;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Throttled;

/**
 * What a SessionM client reports to Micrometer, under a prefix: {@code sessionm} for Core
 * (the tags API), {@code sessionm.connect} for Connect (offers).
 * <ul>
 * <li>{@code <prefix>.requests} (counter): every HTTP exchange, tagged {@code method},
 * {@code outcome} and {@code status} ({@code none} when no HTTP answer came back)</li>
 * <li>{@code <prefix>.request.latency} (timer with histogram, and its p50 and p99 over
 * the last minutes): same exchanges, tagged {@code method} and {@code outcome}</li>
 * <li>{@code <prefix>.retries} (counter): retries after a failure, not counting waits for
 * 429</li>
 * <li>{@code <prefix>.throttled} (counter): 429 answers</li>
 * <li>{@code <prefix>.rejections} (counter): answers that refuse a customer for good,
 * tagged by SessionM's {@code code} ({@code none} when it gave none)</li>
 * <li>{@code sessionm.in.flight.limit}, {@code sessionm.in.flight.calls},
 * {@code sessionm.in.flight.cap} (gauges): the adaptive limit on calls under way, the
 * calls under way, and its bound {@code sessionm.max-in-flight}</li>
 * <li>{@code sessionm.requests.per.second.achieved} and {@code .configured} (gauges):
 * requests per second over the last window the limit judged (about one latency), and
 * {@code sessionm.requests-per-second} (0: none)</li>
 * <li>{@code sessionm.held.back} (function counter, seconds), tagged {@code bound}
 * ({@link HeldBackBy#tag()}): how long each bound held calls back</li>
 * </ul>
 */
public final class SessionmMetrics {

    static final String NO_VALUE = "none";

    /** The {@code outcome} tag of {@code <prefix>.requests}. */
    public enum ExchangeOutcome {

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
        this(registry, "sessionm", "SessionM");
    }

    /**
     * @param prefix of the meter names, e.g. {@code sessionm.connect}
     * @param service names the API in the meters' descriptions, e.g. "SessionM Connect"
     */
    public SessionmMetrics(MeterRegistry registry, String prefix, String service) {
        this.registry = registry;
        requests = Counter.builder(prefix + ".requests")
            .description("HTTP exchanges with " + service)
            .withRegistry(registry);
        latency = Timer.builder(prefix + ".request.latency")
            .description("Duration of HTTP exchanges with " + service)
            .publishPercentileHistogram()
            .publishPercentiles(0.5, 0.99)
            .withRegistry(registry);
        rejections = Counter.builder(prefix + ".rejections")
            .description("Answers of " + service + " refusing a customer for good, by error code")
            .withRegistry(registry);
        retries = Counter.builder(prefix + ".retries")
            .description("Retries after a failed exchange with " + service)
            .register(registry);
        throttled = Counter.builder(prefix + ".throttled")
            .description("HTTP 429 answers of " + service)
            .register(registry);
    }

    /**
     * Records one exchange and says how it came out.
     * @param status the HTTP status; null when no HTTP answer came back
     */
    public ExchangeOutcome exchange(String method, SessionmAnswer answer, Integer status, Duration took) {
        ExchangeOutcome outcome;
        if (answer instanceof Success) {
            outcome = ExchangeOutcome.OK;
        }
        else if (answer instanceof Throttled) {
            outcome = ExchangeOutcome.THROTTLED;
            throttled.increment();
        }
        else if (answer instanceof AuthFailed) {
            outcome = ExchangeOutcome.AUTH_FAILED;
        }
        else if (answer instanceof Rejected rejected) {
            outcome = ExchangeOutcome.REJECTED;
            rejections.withTag("code", rejected.code() == null ? NO_VALUE : rejected.code()).increment();
        }
        else {
            outcome = status == null ? ExchangeOutcome.IO_ERROR : ExchangeOutcome.RETRYABLE_ERROR;
        }
        requests
            .withTags("method", method, "outcome", outcome.tag, "status", status == null ? NO_VALUE : status.toString())
            .increment();
        latency.withTags("method", method, "outcome", outcome.tag).record(took);
        return outcome;
    }

    /** The gauges of the in-flight limit; the meters read it when they are read. */
    void inFlight(InFlightLimiter limiter) {
        Gauge.builder("sessionm.in.flight.limit", limiter, InFlightLimiter::limit)
            .description("Calls to SessionM that may be under way at once, as the limit adapts")
            .register(registry);
        Gauge.builder("sessionm.in.flight.calls", limiter, InFlightLimiter::inFlight)
            .description("Calls to SessionM under way")
            .register(registry);
        Gauge.builder("sessionm.in.flight.cap", limiter, InFlightLimiter::bound)
            .description("The bound of the in-flight limit (sessionm.max-in-flight)")
            .register(registry);
        Gauge.builder("sessionm.requests.per.second.achieved", limiter, InFlightLimiter::recentRequestsPerSecond)
            .description("Requests to SessionM per second over the last window the limit judged")
            .register(registry);
        Gauge.builder("sessionm.requests.per.second.configured", limiter, InFlightLimiter::requestsPerSecond)
            .description("The configured rate limit (sessionm.requests-per-second); 0 for none")
            .register(registry);
        for (HeldBackBy bound : HeldBackBy.values()) {
            FunctionCounter.builder("sessionm.held.back", limiter, l -> l.heldBackSeconds(bound))
                .description("Time calls to SessionM were held back, by what held them")
                .baseUnit("seconds")
                .tag("bound", bound.tag())
                .register(registry);
        }
    }

    public void retry() {
        retries.increment();
    }

}
