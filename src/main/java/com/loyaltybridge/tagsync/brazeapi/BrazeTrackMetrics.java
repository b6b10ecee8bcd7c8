package com.loyaltybridge.tagsync.brazeapi;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the Braze client reports to Micrometer:
 * <ul>
 * <li>{@code braze.track.requests} (counter): every HTTP exchange with
 * {@code /users/track}, tagged {@code outcome} ({@code ok}, {@code refused},
 * {@code auth_failed}, {@code throttled}, {@code retryable_error}, {@code io_error}) and
 * {@code status} ({@code none} when no HTTP answer came back)</li>
 * <li>{@code braze.track.request.latency} (timer with histogram): same exchanges, tagged
 * {@code outcome}</li>
 * <li>{@code braze.track.retries} (counter): retries after a failure, not counting waits
 * for 429</li>
 * <li>{@code braze.track.throttled} (counter): 429 answers</li>
 * <li>{@code braze.track.rate.limit.pauses} (counter): pauses of every thread because
 * {@code X-RateLimit-Remaining} ran low</li>
 * <li>{@code braze.track.users} (counter): users in requests Braze took, tagged
 * {@code result} ({@code written} or {@code rejected})</li>
 * </ul>
 */
final class BrazeTrackMetrics {

    static final String NO_VALUE = "none";

    private final MeterProvider<Counter> requests;

    private final MeterProvider<Timer> latency;

    private final Counter retries;

    private final Counter throttled;

    private final Counter rateLimitPauses;

    private final Counter written;

    private final Counter rejected;

    BrazeTrackMetrics(MeterRegistry registry) {
        requests = Counter.builder("braze.track.requests")
            .description("HTTP exchanges with Braze's /users/track")
            .withRegistry(registry);
        latency = Timer.builder("braze.track.request.latency")
            .description("Duration of HTTP exchanges with Braze's /users/track")
            .publishPercentileHistogram()
            .withRegistry(registry);
        retries = Counter.builder("braze.track.retries")
            .description("Retries after a failed exchange with Braze")
            .register(registry);
        throttled = Counter.builder("braze.track.throttled")
            .description("HTTP 429 answers of Braze")
            .register(registry);
        rateLimitPauses = Counter.builder("braze.track.rate.limit.pauses")
            .description("Pauses until X-RateLimit-Reset because X-RateLimit-Remaining ran low")
            .register(registry);
        written = Counter.builder("braze.track.users")
            .tag("result", "written")
            .description("Users in /users/track requests Braze took")
            .register(registry);
        rejected = Counter.builder("braze.track.users")
            .tag("result", "rejected")
            .description("Users in /users/track requests Braze took")
            .register(registry);
    }

    /**
     * @param status null when no HTTP answer came back
     */
    void exchange(String outcome, Integer status, Duration took) {
        requests.withTags("outcome", outcome, "status", status == null ? NO_VALUE : status.toString()).increment();
        latency.withTags("outcome", outcome).record(took);
        if ("throttled".equals(outcome)) {
            throttled.increment();
        }
    }

    void users(int writtenUsers, int rejectedUsers) {
        written.increment(writtenUsers);
        rejected.increment(rejectedUsers);
    }

    void rateLimitPause() {
        rateLimitPauses.increment();
    }

    void retry() {
        retries.increment();
    }

}
