package com.loyaltybridge.tagsync.sessionm;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.springframework.util.Assert;

/**
 * The gate every request to SessionM passes, shared by all sending threads.
 *
 * <p>
 * It spaces requests evenly at {@code requestsPerSecond}: one permit per {@code 1/rate}
 * seconds and none saved up while idle, so a quiet spell is never followed by a burst of
 * a second's worth of requests. On top of that, after SessionM answers 429 with
 * {@code Retry-After}, no thread starts a request before that moment: one throttled
 * thread slows the whole run down instead of each thread finding out on its own.
 */
public final class RequestThrottle {

    /**
     * No waiting caller can be refused a reserved permit: waits are bounded by the rate
     * and the callers.
     */
    private static final Duration NO_TIMEOUT = Duration.ofDays(1);

    private final RateLimiter rateLimiter;

    private final AtomicLong pausedUntilNanos = new AtomicLong(System.nanoTime());

    /**
     * @param requestsPerSecond the shared rate limit; 0 means none
     */
    public RequestThrottle(double requestsPerSecond) {
        Assert.isTrue(requestsPerSecond >= 0, "requestsPerSecond must be 0 (no limit) or more");
        this.rateLimiter = requestsPerSecond == 0 ? null
                : RateLimiter.of("sessionm",
                        RateLimiterConfig.custom()
                            .limitForPeriod(1)
                            .limitRefreshPeriod(Duration.ofNanos(Math.max(1, Math.round(1e9 / requestsPerSecond))))
                            .timeoutDuration(NO_TIMEOUT)
                            .build());
    }

    /**
     * Blocks until this thread may start one request; says how long it waited, and why.
     */
    public Waited acquire() throws InterruptedException {
        long pausedNanos = 0;
        long rateNanos = 0;
        while (true) {
            long start = System.nanoTime();
            long pausedUntil = pausedUntilNanos.get();
            if (pausedUntil - start > 0) {
                sleepUntil(pausedUntil);
                pausedNanos += System.nanoTime() - start;
            }
            if (rateLimiter != null) {
                long reserved = System.nanoTime();
                long wait = rateLimiter.reservePermission();
                if (wait > 0) {
                    sleepUntil(reserved + wait);
                    rateNanos += System.nanoTime() - reserved;
                }
            }
            // A 429 may have arrived while this thread waited for its permit: that pause
            // wins.
            if (pausedUntilNanos.get() - System.nanoTime() <= 0) {
                return new Waited(rateNanos, pausedNanos);
            }
        }
    }

    /**
     * How long one {@link #acquire()} waited for the rate limit, and for a
     * {@code Retry-After} pause.
     */
    public record Waited(long rateNanos, long pausedNanos) {
    }

    /**
     * No request starts, on any thread, before {@code wait} has passed; a longer pause
     * already set stays.
     */
    public void pauseFor(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        pausedUntilNanos.accumulateAndGet(until, (current, proposed) -> proposed - current > 0 ? proposed : current);
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        for (long remaining = deadlineNanos - System.nanoTime(); remaining > 0; remaining = deadlineNanos
                - System.nanoTime()) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

}
