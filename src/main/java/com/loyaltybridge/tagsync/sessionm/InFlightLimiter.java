package com.loyaltybridge.tagsync.sessionm;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

import com.loyaltybridge.tagsync.sessionm.AdaptiveLimit.Strain;

/**
 * Room for calls to SessionM under way at once, shared by every sync of the process
 * (SessionM's capacity is shared too): a call takes room before it starts
 * ({@link #acquire()}) and runs in it ({@link Permit#run}), which gives the room back
 * when the call is over. How much room there is adapts while calls go on (see
 * {@link AdaptiveLimit}), between 1 and {@code sessionm.max-in-flight}; the configured
 * rate stays the hard ceiling ({@link RequestThrottle}).
 *
 * <p>
 * It also keeps the process's running totals (requests, 429s, errors, a latency
 * histogram, time held back by each bound), from which {@link Snapshot#paceSince} gives
 * the figures of any stretch of time: a run takes a snapshot when it starts and works out
 * its own figures from it, so nothing of a run is kept here.
 */
public final class InFlightLimiter {

    private static final long HIGHEST_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition room = lock.newCondition();

    private final LongSupplier clock;

    private final int bound;

    private final double requestsPerSecond;

    private final AdaptiveLimit decisions;

    // Running totals since the limiter was made; guarded by lock.
    private final Histogram latencies = new Histogram(1, HIGHEST_LATENCY_MICROS, 2);

    /**
     * What the call running on this thread waited for the rate limit and pauses so far.
     */
    private final ThreadLocal<long[]> waitedOnThisThread = ThreadLocal.withInitial(() -> new long[1]);

    private long requests;

    private long throttled;

    private long errors;

    /**
     * @param bound {@code sessionm.max-in-flight}: the most calls under way at once
     * @param requestsPerSecond {@code sessionm.requests-per-second}: the rate the limit
     * aims for; 0 for none
     */
    public InFlightLimiter(int bound, double requestsPerSecond) {
        this(bound, requestsPerSecond, System::nanoTime);
    }

    InFlightLimiter(int bound, double requestsPerSecond, LongSupplier clock) {
        this.clock = clock;
        this.bound = bound;
        this.requestsPerSecond = requestsPerSecond;
        this.decisions = new AdaptiveLimit(bound, requestsPerSecond, clock.getAsLong());
    }

    /**
     * Blocks until there is room for one more call; the call must then
     * {@linkplain Permit#run run} in it.
     */
    public Permit acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long now;
            while (!decisions.tryAcquire(now = clock.getAsLong())) {
                room.await();
            }
            return new Permit(now);
        }
        finally {
            lock.unlock();
        }
    }

    /** Room for one call, taken by {@link #acquire()}. */
    public final class Permit {

        private final long acquiredNanos;

        private boolean released;

        private Permit(long acquiredNanos) {
            this.acquiredNanos = acquiredNanos;
        }

        /**
         * Runs the call on this thread and then gives the room back, telling the limit
         * how long the call held it beyond what it waited for the rate limit and pauses.
         */
        public <T> T run(Supplier<T> call) {
            long[] waited = waitedOnThisThread.get();
            waited[0] = 0;
            try {
                return call.get();
            }
            finally {
                long waits = waited[0];
                release(now -> decisions.release(now, Math.max(0, now - acquiredNanos - waits)));
            }
        }

        /** Gives the room back for a call that never ran. */
        public void cancel() {
            release(decisions::cancel);
        }

        private void release(LongConsumer event) {
            if (released) {
                throw new IllegalStateException("this room was given back already");
            }
            released = true;
            update(event);
        }

    }

    /**
     * A request waited for the rate limit and for {@code Retry-After} pauses before it
     * went.
     */
    void waited(RequestThrottle.Waited waited) {
        waitedOnThisThread.get()[0] += waited.rateNanos() + waited.pausedNanos();
        update(now -> decisions.waited(now, waited.rateNanos(), waited.pausedNanos()));
    }

    /**
     * SessionM answered a request, whatever it said, except for the answers of
     * {@link #strained}.
     */
    void answered(Duration latency) {
        update(now -> {
            requests++;
            latencies.recordValue(Math.min(HIGHEST_LATENCY_MICROS, Math.max(1, latency.toNanos() / 1000)));
            decisions.answered(now, latency.toNanos());
        });
    }

    /** A request was answered 429, 5xx or a retryable error body, or not at all. */
    void strained(Strain strain) {
        update(now -> {
            requests++;
            if (strain == Strain.THROTTLED) {
                throttled++;
            }
            else {
                errors++;
            }
            decisions.strained(now, strain);
        });
    }

    private void update(LongConsumer event) {
        lock.lock();
        try {
            event.accept(clock.getAsLong());
            if (decisions.inFlight() < decisions.limit()) {
                room.signalAll();
            }
        }
        finally {
            lock.unlock();
        }
    }

    /** Calls that may be under way now. */
    public int limit() {
        lock.lock();
        try {
            return decisions.limit();
        }
        finally {
            lock.unlock();
        }
    }

    /** Calls under way now. */
    public int inFlight() {
        lock.lock();
        try {
            return decisions.inFlight();
        }
        finally {
            lock.unlock();
        }
    }

    /** {@code sessionm.max-in-flight}. */
    public int bound() {
        return bound;
    }

    /** {@code sessionm.requests-per-second}; 0 for none. */
    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    /** Requests per second over the last window the limit judged (about one latency). */
    public double recentRequestsPerSecond() {
        lock.lock();
        try {
            return decisions.lastRequestsPerSecond();
        }
        finally {
            lock.unlock();
        }
    }

    /** Seconds calls were held back by {@code by} since the limiter was made. */
    public double heldBackSeconds(HeldBackBy by) {
        lock.lock();
        try {
            return decisions.heldBackNanos().get(by) / 1e9;
        }
        finally {
            lock.unlock();
        }
    }

    /** The running totals and the limit as they are now. */
    public Snapshot snapshot() {
        lock.lock();
        try {
            return new Snapshot(clock.getAsLong(), requests, throttled, errors, latencies.copy(),
                    decisions.heldBackNanos(), decisions.limit(), bound, requestsPerSecond);
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * The process's running totals at one moment; {@link #paceSince} turns two of them
     * into figures.
     */
    public static final class Snapshot {

        private final long nanos;

        private final long requests;

        private final long throttled;

        private final long errors;

        private final Histogram latencies;

        private final Map<HeldBackBy, Long> heldBackNanos;

        private final int limit;

        private final int bound;

        private final double requestsPerSecond;

        private Snapshot(long nanos, long requests, long throttled, long errors, Histogram latencies,
                Map<HeldBackBy, Long> heldBackNanos, int limit, int bound, double requestsPerSecond) {
            this.nanos = nanos;
            this.requests = requests;
            this.throttled = throttled;
            this.errors = errors;
            this.latencies = latencies;
            this.heldBackNanos = heldBackNanos;
            this.limit = limit;
            this.bound = bound;
            this.requestsPerSecond = requestsPerSecond;
        }

        /**
         * What SessionM's traffic was like from {@code earlier} to this snapshot, with
         * the limit as it is now.
         */
        public SessionmPace paceSince(Snapshot earlier) {
            Histogram between = latencies.copy();
            between.subtract(earlier.latencies);
            Map<HeldBackBy, Double> heldBack = new EnumMap<>(HeldBackBy.class);
            heldBackNanos.forEach((by, total) -> heldBack.put(by, (total - earlier.heldBackNanos.get(by)) / 1e9));
            return new SessionmPace((nanos - earlier.nanos) / 1e9, requests - earlier.requests, requestsPerSecond,
                    percentile(between, 50), percentile(between, 99), limit, bound, throttled - earlier.throttled,
                    errors - earlier.errors, heldBack);
        }

        private static Duration percentile(Histogram histogram, double percentile) {
            return histogram.getTotalCount() == 0 ? null
                    : Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(histogram.getValueAtPercentile(percentile)));
        }

    }

}
