package com.loyaltybridge.tagsync.http;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Runs calls that are safe to send again (reads, writes that set a value) until they come
 * to a final answer.
 *
 * <ul>
 * <li>A failure worth another try ({@link Attempt.Retry}: 5xx, timeouts, lost
 * connections) is retried with exponential backoff and jitter, at most {@code maxRetries}
 * times (Spring Framework's {@link RetryTemplate}).</li>
 * <li>A 429 ({@link Attempt.Throttled}) is not a failure: every thread is held back for
 * the wait the server asked for (or the backoff when it named none) and the call is sent
 * again, without using up a retry, until the call has been throttled for
 * {@code maxThrottledWait}.</li>
 * </ul>
 * Thread-safe; the state of one call lives in its {@link #run}.
 */
public final class RetryingCalls {

    private static final Logger log = LoggerFactory.getLogger(RetryingCalls.class);

    private final String service;

    private final RetryTemplate retryTemplate;

    private final ExponentialBackOff throttleBackOff;

    private final Duration maxThrottledWait;

    private final Consumer<Duration> pauseAll;

    /**
     * @param service names the API in log lines, e.g. "Braze"
     * @param pauseAll holds back every request to the API for the given time (a shared
     * throttle's pause)
     * @param onRetry told before each retry, for metrics
     */
    public RetryingCalls(String service, Limits limits, Consumer<Duration> pauseAll, Runnable onRetry) {
        this.service = service;
        this.maxThrottledWait = limits.maxThrottledWait();
        this.pauseAll = pauseAll;
        this.retryTemplate = new RetryTemplate(RetryPolicy.builder()
            .includes(TransientFailure.class)
            .maxRetries(limits.maxRetries())
            .delay(limits.initialBackoff())
            .multiplier(2)
            .maxDelay(limits.maxBackoff())
            .jitter(limits.initialBackoff().dividedBy(2))
            .build());
        retryTemplate.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
                onRetry.run();
                log.info("Retrying {} call {} after {}", service, retryable.getName(),
                        state.getLastException().getMessage());
            }
        });
        this.throttleBackOff = new ExponentialBackOff(limits.initialBackoff().toMillis(), 2);
        throttleBackOff.setMaxInterval(limits.maxBackoff().toMillis());
        throttleBackOff.setJitter(limits.initialBackoff().dividedBy(2).toMillis());
    }

    /**
     * How hard to try.
     *
     * @param maxRetries retries after failures worth another try; 429s do not count
     * @param initialBackoff first wait between retries, doubling up to
     * {@code maxBackoff}, with jitter of half of it; also the first wait after a 429 that
     * names none
     * @param maxThrottledWait how long one call keeps waiting through 429s before giving
     * up
     */
    public record Limits(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxThrottledWait) {

        public Limits {
            Assert.isTrue(maxRetries >= 0, "maxRetries must be 0 or more");
            Assert.isTrue(
                    !initialBackoff.isNegative() && !initialBackoff.isZero()
                            && maxBackoff.compareTo(initialBackoff) >= 0,
                    "backoffs must satisfy 0 < initialBackoff <= maxBackoff");
        }
    }

    /** What one try of a call came to. */
    public sealed interface Attempt<T> {

        /** A final answer, good or bad: the call ends with it. */
        record Done<T>(T value) implements Attempt<T> {
        }

        /** Worth another try; {@code reason} is one line, free of secrets. */
        record Retry<T>(String reason) implements Attempt<T> {
        }

        /**
         * HTTP 429: try again after {@code retryAfter} (the server's wish, already
         * capped), or the backoff.
         */
        record Throttled<T>(Optional<Duration> retryAfter) implements Attempt<T> {
        }

    }

    /**
     * One try of a call. It holds the call's progress (pages read, say), so a retry goes
     * on where it failed.
     */
    @FunctionalInterface
    public interface Call<T> {

        Attempt<T> attempt() throws InterruptedException;

    }

    /**
     * Runs {@code call} to its final answer. Never throws for what the server or the
     * network did: when retries run out, or the thread is interrupted, the answer is
     * {@code notDelivered} with the reason; when 429s last longer than
     * {@code maxThrottledWait}, it is {@code throttled} with the reason.
     * @param name names the call in log lines (never a secret)
     */
    public <T> T run(String name, Call<T> call, Function<String, T> notDelivered, Function<String, T> throttled) {
        try {
            return retryTemplate.execute(new Retryable<T>() {

                private ThrottledSince throttledSince;

                @Override
                public String getName() {
                    return name;
                }

                @Override
                public T execute() throws TransientFailure, InterruptedException {
                    while (true) {
                        Attempt<T> attempt = call.attempt();
                        if (attempt instanceof Attempt.Done<T> done) {
                            return done.value();
                        }
                        if (attempt instanceof Attempt.Retry<T> retry) {
                            throw new TransientFailure(retry.reason());
                        }
                        if (throttledSince == null) {
                            throttledSince = new ThrottledSince(System.nanoTime(), throttleBackOff.start());
                        }
                        Optional<Duration> wait = throttledSince.next(((Attempt.Throttled<T>) attempt).retryAfter());
                        if (wait.isEmpty()) {
                            return throttled.apply("HTTP 429 throttled for longer than " + maxThrottledWait);
                        }
                        log.debug("{} throttled {}: no request starts for {} ms", service, name, wait.get().toMillis());
                        pauseAll.accept(wait.get());
                    }
                }
            });
        }
        catch (RetryException exhausted) {
            Throwable last = exhausted.getLastException();
            if (last instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
                return notDelivered.apply("interrupted");
            }
            if (last instanceof TransientFailure failure) {
                return notDelivered.apply(failure.getMessage() + ", " + (exhausted.getRetryCount() + 1) + " attempts");
            }
            if (last instanceof RuntimeException bug) {
                throw bug;
            }
            throw new IllegalStateException(service + " call failed unexpectedly", last);
        }
    }

    /** The 429s of one call: since when, and the backoff for those that name no wait. */
    private final class ThrottledSince {

        private final long sinceNanos;

        private final BackOffExecution waits;

        ThrottledSince(long sinceNanos, BackOffExecution waits) {
            this.sinceNanos = sinceNanos;
            this.waits = waits;
        }

        /**
         * The wait before the next try, or empty when it would take the call past
         * {@code maxThrottledWait}.
         */
        Optional<Duration> next(Optional<Duration> asked) {
            Duration wait = asked.orElseGet(() -> Duration.ofMillis(waits.nextBackOff()));
            long waitedNanos = System.nanoTime() + wait.toNanos() - sinceNanos;
            return waitedNanos > maxThrottledWait.toNanos() ? Optional.empty() : Optional.of(wait);
        }

    }

    /**
     * A failed try worth retrying; its message is the one-line reason, free of secrets.
     */
    private static final class TransientFailure extends Exception {

        TransientFailure(String reason) {
            super(reason, null, false, false);
        }

    }

}
