package com.loyaltybridge.tagsync.sessionm;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the SessionM client reports to Micrometer:
 * <ul>
 * <li>{@code sessionm.requests} (counter): every HTTP exchange, tagged {@code method}, {@code outcome} and
 * {@code status} ({@code none} when no HTTP answer came back)</li>
 * <li>{@code sessionm.request.latency} (timer with histogram): same exchanges, tagged {@code method} and
 * {@code outcome}</li>
 * <li>{@code sessionm.retries} (counter): retries after a failure, not counting waits for 429</li>
 * <li>{@code sessionm.throttled} (counter): 429 answers</li>
 * <li>{@code sessionm.rejections} (counter): answers that refuse a customer for good, tagged by SessionM's
 * {@code code} ({@code none} when it gave none)</li>
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

    private final MeterProvider<Counter> requests;
    private final MeterProvider<Timer> latency;
    private final MeterProvider<Counter> rejections;
    private final Counter retries;
    private final Counter throttled;

    SessionmMetrics(MeterRegistry registry) {
        requests = Counter.builder("sessionm.requests").description("HTTP exchanges with SessionM")
                .withRegistry(registry);
        latency = Timer.builder("sessionm.request.latency").description("Duration of HTTP exchanges with SessionM")
                .publishPercentileHistogram().withRegistry(registry);
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

    void rejection(String code) {
        rejections.withTag("code", code == null ? NO_VALUE : code).increment();
    }

    void retry() {
        retries.increment();
    }
}
