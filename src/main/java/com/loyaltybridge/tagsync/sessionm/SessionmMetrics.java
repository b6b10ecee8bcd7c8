package com.loyaltybridge.tagsync.sessionm;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.AuthFailed;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Rejected;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Success;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Throttled;

/**
 * What a SessionM client reports to Micrometer, under a prefix: {@code sessionm} for Core (the tags API),
 * {@code sessionm.connect} for Connect (offers).
 * <ul>
 * <li>{@code <prefix>.requests} (counter): every HTTP exchange, tagged {@code method}, {@code outcome} and
 * {@code status} ({@code none} when no HTTP answer came back)</li>
 * <li>{@code <prefix>.request.latency} (timer with histogram): same exchanges, tagged {@code method} and
 * {@code outcome}</li>
 * <li>{@code <prefix>.retries} (counter): retries after a failure, not counting waits for 429</li>
 * <li>{@code <prefix>.throttled} (counter): 429 answers</li>
 * <li>{@code <prefix>.rejections} (counter): answers that refuse a customer for good, tagged by SessionM's
 * {@code code} ({@code none} when it gave none)</li>
 * </ul>
 */
public final class SessionmMetrics {

    static final String NO_VALUE = "none";

    /** The {@code outcome} tag of {@code <prefix>.requests}. */
    enum ExchangeOutcome {
        OK("ok"), REJECTED("rejected"), THROTTLED("throttled"), RETRYABLE_ERROR("retryable_error"),
        AUTH_FAILED("auth_failed"), IO_ERROR("io_error");

        private final String tag;

        ExchangeOutcome(String tag) {
            this.tag = tag;
        }
    }

    private final MeterProvider<Counter> requests;
    private final MeterProvider<Timer> latency;
    private final MeterProvider<Counter> rejections;
    private final Counter retries;
    private final Counter throttled;

    SessionmMetrics(MeterRegistry registry) {
        this(registry, "sessionm", "SessionM");
    }

    /**
     * @param prefix  of the meter names, e.g. {@code sessionm.connect}
     * @param service names the API in the meters' descriptions, e.g. "SessionM Connect"
     */
    public SessionmMetrics(MeterRegistry registry, String prefix, String service) {
        requests = Counter.builder(prefix + ".requests").description("HTTP exchanges with " + service)
                .withRegistry(registry);
        latency = Timer.builder(prefix + ".request.latency").description("Duration of HTTP exchanges with " + service)
                .publishPercentileHistogram().withRegistry(registry);
        rejections = Counter.builder(prefix + ".rejections")
                .description("Answers of " + service + " refusing a customer for good, by error code")
                .withRegistry(registry);
        retries = Counter.builder(prefix + ".retries").description("Retries after a failed exchange with " + service)
                .register(registry);
        throttled = Counter.builder(prefix + ".throttled").description("HTTP 429 answers of " + service)
                .register(registry);
    }

    /**
     * Records one exchange.
     *
     * @param status the HTTP status; null when no HTTP answer came back
     */
    public void exchange(String method, SessionmAnswer answer, Integer status, Duration took) {
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
        requests.withTags("method", method, "outcome", outcome.tag, "status",
                status == null ? NO_VALUE : status.toString()).increment();
        latency.withTags("method", method, "outcome", outcome.tag).record(took);
    }

    public void retry() {
        retries.increment();
    }
}
