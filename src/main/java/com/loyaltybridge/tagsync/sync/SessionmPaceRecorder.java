package com.loyaltybridge.tagsync.sync;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

import com.loyaltybridge.tagsync.sessionm.HeldBackBy;
import com.loyaltybridge.tagsync.sessionm.InFlightLimiter;
import com.loyaltybridge.tagsync.sessionm.SessionmPace;

/**
 * The SessionM figures of one execution of the tagging step ({@link SessionmPace}: rate
 * against the configured one, latency p50 and p99, the in-flight limit, what held calls
 * back), kept in the step's execution context and so saved with every chunk: the summary,
 * the REST view (from whichever process asks) and a later planner read them with
 * {@link #read}. The figures are worked out from a snapshot of the process's
 * {@link InFlightLimiter} taken when the step starts: they belong to this execution,
 * nothing of it is kept in the limiter.
 */
class SessionmPaceRecorder implements ItemStream {

    private static final String PREFIX = "sessionm.pace.";

    private static final String SECONDS = PREFIX + "seconds";

    private static final String REQUESTS = PREFIX + "requests";

    private static final String CONFIGURED = PREFIX + "configured-requests-per-second";

    private static final String P50_NANOS = PREFIX + "latency-p50-nanos";

    private static final String P99_NANOS = PREFIX + "latency-p99-nanos";

    private static final String LIMIT = PREFIX + "in-flight-limit";

    private static final String CAP = PREFIX + "in-flight-cap";

    private static final String THROTTLED = PREFIX + "throttled";

    private static final String ERRORS = PREFIX + "errors";

    private static final String HELD_BACK = PREFIX + "held-back-seconds.";

    private final InFlightLimiter limiter;

    private InFlightLimiter.@Nullable Snapshot start;

    SessionmPaceRecorder(InFlightLimiter limiter) {
        this.limiter = limiter;
    }

    /**
     * The figures this step execution recorded; null if it recorded none (it never
     * tagged, or ran elsewhere before).
     */
    static @Nullable SessionmPace read(StepExecution step) {
        ExecutionContext context = step.getExecutionContext();
        if (!context.containsKey(SECONDS)) {
            return null;
        }
        Map<HeldBackBy, Double> heldBack = new EnumMap<>(HeldBackBy.class);
        for (HeldBackBy by : HeldBackBy.values()) {
            heldBack.put(by, context.getDouble(HELD_BACK + by.tag(), 0));
        }
        return new SessionmPace(context.getDouble(SECONDS), context.getLong(REQUESTS), context.getDouble(CONFIGURED),
                duration(context, P50_NANOS), duration(context, P99_NANOS), context.getInt(LIMIT), context.getInt(CAP),
                context.getLong(THROTTLED), context.getLong(ERRORS), heldBack);
    }

    @Override
    public void open(ExecutionContext context) {
        // A restarted step starts from the context of the execution before: its figures
        // are not this one's.
        context.toMap().keySet().stream().filter(key -> key.startsWith(PREFIX)).toList().forEach(context::remove);
        start = limiter.snapshot();
    }

    @Override
    public void update(ExecutionContext context) {
        if (start == null) {
            return;
        }
        SessionmPace pace = limiter.snapshot().paceSince(start);
        context.putDouble(SECONDS, pace.seconds());
        context.putLong(REQUESTS, pace.requests());
        context.putDouble(CONFIGURED, pace.configuredRequestsPerSecond());
        putDuration(context, P50_NANOS, pace.latencyP50());
        putDuration(context, P99_NANOS, pace.latencyP99());
        context.putInt(LIMIT, pace.inFlightLimit());
        context.putInt(CAP, pace.inFlightCap());
        context.putLong(THROTTLED, pace.throttled());
        context.putLong(ERRORS, pace.errors());
        pace.heldBackSeconds().forEach((by, seconds) -> context.putDouble(HELD_BACK + by.tag(), seconds));
    }

    private static void putDuration(ExecutionContext context, String key, @Nullable Duration duration) {
        if (duration == null) {
            context.remove(key);
        }
        else {
            context.putLong(key, duration.toNanos());
        }
    }

    private static @Nullable Duration duration(ExecutionContext context, String key) {
        return context.containsKey(key) ? Duration.ofNanos(context.getLong(key)) : null;
    }

}
