package com.loyaltybridge.tagsync.sessionm;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The decisions of the in-flight limit: how many calls to SessionM may be under way at
 * once, between 1 and the bound ({@code sessionm.max-in-flight}). Not thread-safe and
 * free of clocks: {@link InFlightLimiter} serialises the events and gives each its time,
 * so the decisions can be tested on a fake clock.
 *
 * <p>
 * <b>The target.</b> By Little's law, calls go out at (calls under way) / (time each call
 * holds its place). Every window of time (about one median latency, 100 ms to 1 s, and at
 * least {@value #MIN_CALLS} calls answered and finished; at most 10 s) takes the median
 * time its finished calls held their place, less what each spent waiting for the rate
 * limit or a {@code Retry-After} pause: it includes the ledger's work around each call,
 * not only SessionM's latency (the median, so that a few slow calls are not taken for a
 * new latency before the strain rule below can judge them). The target is the configured
 * rate times that time plus a quarter and {@value #SPARE_MILLIS} ms, plus {@value #SPARE}
 * places: what reaches the rate with a few calls always queued at the rate limit, so that
 * a call late from a busy CPU or the ledger does not leave a slot of the rate unused.
 * More room than that would only leave calls waiting for the rate; without a rate limit
 * the target is the bound.
 *
 * <p>
 * <b>The decisions</b>, starting from {@value #START} (or the bound, if lower):
 * <ul>
 * <li>A 429, a 5xx (or a retryable error body) or no answer (timeout, reset, refused
 * connection): the limit halves at once, at most once per median latency (calls already
 * under way meet the same trouble), and for {@value #CAUTION_SECONDS} s after, it grows
 * back only by a quarter per window.</li>
 * <li>A window whose median latency is more than twice the lowest window median of the
 * last {@value #BASELINE_SECONDS} s, and {@value #LATENCY_MARGIN_MILLIS} ms above it: the
 * limit shrinks by a quarter. Once latency has been high for {@value #BASELINE_SECONDS} s
 * it is SessionM's new normal, and the limit grows again to reach the rate at that
 * latency.</li>
 * <li>Any other window: the limit goes to the target: down at once when it is lower, up
 * by at most four-fold per window (the rate limit spaces requests evenly, so more room
 * never sends faster than the configured rate; the four-fold cap keeps one slow first
 * window, with connections being opened and classes loaded, from opening hundreds of
 * connections and threads at once). Without a rate limit, the limit doubles in every
 * window in which calls waited for room, until strain or the bound stops it.</li>
 * </ul>
 * Each window is also put down to what {@linkplain HeldBackBy held calls back} during it.
 *
 * <p>
 * <b>Why not a library.</b> Netflix's {@code concurrency-limits} (0.5.4 on Maven Central,
 * needing only slf4j) was the first choice, and does not fit: its limits see only each
 * call's round-trip time and whether it was dropped. With calls waiting on the rate
 * limit, the calls under way stay at the limit and neither Vegas nor Gradient2 stops
 * growing (their only brake is "fewer than half the limit in use"): the process would
 * fill its bound with threads parked on the rate limit. Counting the rate limit's wait
 * into the round trip makes Vegas read the configured rate as SessionM queueing, so it
 * can no longer say which of the two held a run back, and Vegas's threshold (a queue of
 * 6·log10(limit): about 4% above the lowest round trip at 300 in flight) takes ordinary
 * latency jitter for strain. Gradient2 ignores drops (a 429 does not lower it); Vegas
 * lowers by log10(limit) per drop (300 to 298), which is no back-off; and Vegas re-probes
 * its minimum at random moments, so its decisions cannot be replayed on a fake clock.
 */
final class AdaptiveLimit {

    static final int START = 8;
    static final double HEADROOM = 1.25;
    static final int SPARE = 2;
    static final long SPARE_MILLIS = 25;
    static final double ERROR_BACKOFF = 0.5;
    static final double LATENCY_BACKOFF = 0.75;
    static final double CAUTIOUS_GROWTH = 1.25;
    static final double MAX_GROWTH = 4;
    static final double LATENCY_TOLERANCE = 2;
    static final long LATENCY_MARGIN_MILLIS = 50;
    static final long BASELINE_SECONDS = 60;
    static final long CAUTION_SECONDS = 30;
    static final int MIN_CALLS = 5;

    /**
     * On average a tenth of the calls under way (and at least half a call) waiting for
     * the rate limit: the rate is what holds calls back. At the target about a fifth
     * wait; a few, late from a busy CPU, do at any limit.
     */
    static final double RATE_BOUND_SHARE = 0.1;
    static final double RATE_BOUND_WAITERS = 0.5;

    private static final long MIN_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final long MAX_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A window ends after this even without finished calls (all of them hung, say). */
    private static final long LONGEST_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** What can go wrong with one request, as far as the limit is concerned. */
    enum Strain {

        THROTTLED, SERVER_ERROR, NO_ANSWER

    }

    private final int bound;

    private final double requestsPerSecond;

    private double limit;

    private int inFlight;

    private int target;

    // The window under way.
    private long windowStart;

    private long lastEvent;

    private long[] busy = new long[64];

    private long rateWaitNanos;

    private long pauseNanos;

    private int finished;

    private int requests;

    private long[] latencies = new long[64];

    private int latencyCount;

    private boolean waitedForRoom;

    private boolean cutForErrors;

    // What outlives a window.
    private long medianNanos;

    private final Deque<long[]> recentMedians = new ArrayDeque<>();

    private long errorsIgnoredUntil;

    private long cautiousUntil;

    private final long[] heldBackNanos = new long[HeldBackBy.values().length];

    private HeldBackBy lastHeldBack = HeldBackBy.NOTHING;

    private double lastRequestsPerSecond;

    AdaptiveLimit(int bound, double requestsPerSecond, long nowNanos) {
        if (bound < 1) {
            throw new IllegalArgumentException("the bound must be at least 1, not " + bound);
        }
        this.bound = bound;
        this.requestsPerSecond = requestsPerSecond;
        this.limit = Math.min(START, bound);
        this.target = bound;
        this.windowStart = nowNanos;
        this.lastEvent = nowNanos;
        this.errorsIgnoredUntil = nowNanos;
        this.cautiousUntil = nowNanos;
    }

    /** Calls that may be under way now. */
    int limit() {
        return Math.max(1, (int) limit);
    }

    int inFlight() {
        return inFlight;
    }

    /**
     * Takes room for one call if there is some; else notes that calls are waiting for
     * room.
     */
    boolean tryAcquire(long now) {
        advance(now);
        if (inFlight < limit()) {
            inFlight++;
            return true;
        }
        waitedForRoom = true;
        return false;
    }

    /**
     * A call is over: its room is free again. {@code busyNanos}: how long it held its
     * room, less its waits for the rate limit and for pauses.
     */
    void release(long now, long busyNanos) {
        advance(now);
        inFlight--;
        if (finished == busy.length) {
            busy = Arrays.copyOf(busy, busy.length * 2);
        }
        busy[finished++] = busyNanos;
        closeWindowIfDue(now);
    }

    /** Room taken for a call that never ran is free again. */
    void cancel(long now) {
        advance(now);
        inFlight--;
    }

    /**
     * A request waited this long for the rate limit, and this long for a
     * {@code Retry-After} pause, before it went.
     */
    void waited(long now, long rateNanos, long pausedNanos) {
        advance(now);
        rateWaitNanos += rateNanos;
        pauseNanos += pausedNanos;
    }

    /**
     * SessionM answered a request (ok, or refusing the customer) after
     * {@code latencyNanos}.
     */
    void answered(long now, long latencyNanos) {
        advance(now);
        requests++;
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = latencyNanos;
        closeWindowIfDue(now);
    }

    /**
     * A request met {@code strain}: the limit halves, unless it already did within the
     * last median latency.
     */
    void strained(long now, Strain strain) {
        advance(now);
        requests++;
        if (now - errorsIgnoredUntil >= 0) {
            limit = Math.max(1, Math.floor(limit * ERROR_BACKOFF));
            errorsIgnoredUntil = now + Math.max(medianNanos, MIN_WINDOW_NANOS);
            cautiousUntil = now + TimeUnit.SECONDS.toNanos(CAUTION_SECONDS);
            cutForErrors = true;
        }
        closeWindowIfDue(now);
    }

    /**
     * Time put down to each bound since this limit was made, over the windows that have
     * ended.
     */
    Map<HeldBackBy, Long> heldBackNanos() {
        Map<HeldBackBy, Long> totals = new EnumMap<>(HeldBackBy.class);
        for (HeldBackBy bound : HeldBackBy.values()) {
            totals.put(bound, heldBackNanos[bound.ordinal()]);
        }
        return totals;
    }

    /** What held calls back in the last window that ended. */
    HeldBackBy lastHeldBack() {
        return lastHeldBack;
    }

    /** Requests per second over the last window that ended. */
    double lastRequestsPerSecond() {
        return lastRequestsPerSecond;
    }

    /** The target of the last window that ended: see the class comment. */
    int target() {
        return target;
    }

    private void advance(long now) {
        long gap = now - lastEvent;
        if (gap <= 0) {
            return;
        }
        if (inFlight == 0 && gap > LONGEST_WINDOW_NANOS) {
            // Nothing to send for a while (between syncs): that time is no bound's doing
            // and starts a new window.
            closeWindow(lastEvent);
            windowStart = now;
        }
        lastEvent = now;
    }

    private void closeWindowIfDue(long now) {
        long length = now - windowStart;
        long window = Math.min(MAX_WINDOW_NANOS, Math.max(MIN_WINDOW_NANOS, medianNanos));
        if (length >= LONGEST_WINDOW_NANOS
                || (length >= window && finished >= MIN_CALLS && latencyCount >= MIN_CALLS)) {
            closeWindow(now);
        }
    }

    private void closeWindow(long end) {
        long length = end - windowStart;
        if (length > 0) {
            boolean latencyRose = latencyRose(end);
            if (requestsPerSecond > 0 && finished > 0) {
                double nanos = median(busy, finished) * HEADROOM + TimeUnit.MILLISECONDS.toNanos(SPARE_MILLIS);
                target = (int) Math.min(bound, Math.ceil(requestsPerSecond * nanos / 1e9) + SPARE);
            }
            lastHeldBack = heldBackBy(end, length, latencyRose);
            heldBackNanos[lastHeldBack.ordinal()] += length;
            lastRequestsPerSecond = requests * 1e9 / length;
            decide(end, latencyRose);
        }
        windowStart = end;
        rateWaitNanos = 0;
        pauseNanos = 0;
        finished = 0;
        requests = 0;
        latencyCount = 0;
        waitedForRoom = false;
        cutForErrors = false;
    }

    /**
     * Records this window's median latency; true if it is well above the lowest of the
     * recent ones.
     */
    private boolean latencyRose(long end) {
        if (latencyCount == 0) {
            return false;
        }
        medianNanos = median(latencies, latencyCount);
        if (latencyCount < MIN_CALLS) {
            return false;
        }
        recentMedians.addLast(new long[] { end, medianNanos });
        while (end - recentMedians.peekFirst()[0] > TimeUnit.SECONDS.toNanos(BASELINE_SECONDS)) {
            recentMedians.removeFirst();
        }
        long lowest = recentMedians.stream().mapToLong(median -> median[1]).min().orElseThrow();
        return medianNanos > Math.max(lowest * LATENCY_TOLERANCE,
                lowest + TimeUnit.MILLISECONDS.toNanos(LATENCY_MARGIN_MILLIS));
    }

    private static long median(long[] values, int count) {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return sorted[(count - 1) / 2];
    }

    private HeldBackBy heldBackBy(long end, long length, boolean latencyRose) {
        boolean cautious = end - cautiousUntil < 0;
        if (cutForErrors || latencyRose || pauseNanos > 0 || (cautious && waitedForRoom && limit() < target)) {
            return HeldBackBy.SESSIONM_STRAIN;
        }
        if (requestsPerSecond > 0
                && rateWaitNanos >= Math.max(RATE_BOUND_WAITERS, RATE_BOUND_SHARE * limit()) * length) {
            return HeldBackBy.RATE_LIMIT;
        }
        if (waitedForRoom) {
            if (limit() >= bound) {
                return HeldBackBy.IN_FLIGHT_CAP;
            }
            // Near its target the limit is what the rate needs: calls waiting for room
            // wait, in effect, for the rate.
            return limit() < 0.9 * target ? HeldBackBy.LIMIT_GROWING : HeldBackBy.RATE_LIMIT;
        }
        return HeldBackBy.NOTHING;
    }

    private void decide(long end, boolean latencyRose) {
        if (cutForErrors || pauseNanos > 0) {
            return;
        }
        if (latencyRose) {
            limit = Math.max(1, limit * LATENCY_BACKOFF);
            return;
        }
        if (latencyCount < MIN_CALLS) {
            // Too few answers to tell whether SessionM is under strain: no reason to
            // change.
            return;
        }
        boolean cautious = end - cautiousUntil < 0;
        if (requestsPerSecond > 0) {
            if (finished == 0 || target == limit()) {
                return;
            }
            limit = target < limit() ? target
                    : Math.min(target, cautious ? Math.max(limit + 1, limit * CAUTIOUS_GROWTH) : limit * MAX_GROWTH);
        }
        else if (waitedForRoom) {
            limit = Math.min(bound, cautious ? Math.max(limit + 1, limit * CAUTIOUS_GROWTH) : limit * 2);
        }
    }

}
