package com.loyaltybridge.tagsync.wallet;

import java.time.Duration;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

/**
 * The figures of one execution of a step that reads wallets or writes to Braze
 * ({@link WalletPace}), kept in the step's execution context and so saved with every
 * chunk: the summary reads them with {@link #read}, from whichever process asks. Also
 * keeps the {@code /users/track} requests of every execution of the step
 * ({@link #BRAZE_REQUESTS}): a restarted step starts from the context of the one before,
 * and adds to it.
 */
class WalletPaceRecorder implements ItemStream {

    private static final long HIGHEST_LATENCY_MICROS = 3_600_000_000L;

    private static final String PREFIX = "wallet.pace.";

    private static final String SECONDS = PREFIX + "seconds";

    private static final String READS = PREFIX + "reads";

    private static final String CONNECT_RATE = PREFIX + "connect-rate";

    private static final String READ_P50 = PREFIX + "read-p50-micros";

    private static final String READ_P99 = PREFIX + "read-p99-micros";

    private static final String BRAZE_REQUESTS_NOW = PREFIX + "braze-requests";

    private static final String BRAZE_RATE = PREFIX + "braze-rate";

    private static final String BRAZE_P50 = PREFIX + "braze-p50-micros";

    private static final String BRAZE_P99 = PREFIX + "braze-p99-micros";

    /**
     * {@code /users/track} requests of every execution of the step so far (not reset by a
     * restart).
     */
    static final String BRAZE_REQUESTS = "wallet.braze-requests";

    private final double connectRate;

    private final double brazeRate;

    private final Histogram readLatencies = new Histogram(HIGHEST_LATENCY_MICROS, 2);

    private final Histogram brazeLatencies = new Histogram(HIGHEST_LATENCY_MICROS, 2);

    private long startNanos;

    private long brazeRequestsBefore;

    WalletPaceRecorder(double connectRate, double brazeRate) {
        this.connectRate = connectRate;
        this.brazeRate = brazeRate;
    }

    /** This execution's figures; null when it recorded none. */
    static @Nullable WalletPace read(StepExecution step) {
        ExecutionContext context = step.getExecutionContext();
        if (!context.containsKey(SECONDS)) {
            return null;
        }
        return new WalletPace(context.getDouble(SECONDS), context.getLong(READS), context.getDouble(CONNECT_RATE),
                micros(context, READ_P50), micros(context, READ_P99), context.getLong(BRAZE_REQUESTS_NOW),
                context.getDouble(BRAZE_RATE), micros(context, BRAZE_P50), micros(context, BRAZE_P99));
    }

    /**
     * {@code /users/track} requests the step has sent in all its executions, as of its
     * last committed chunk.
     */
    static long brazeRequests(StepExecution step) {
        return step.getExecutionContext().getLong(BRAZE_REQUESTS, 0);
    }

    /**
     * Adds what one chunk did: the time each of its reads and requests took, in
     * microseconds.
     */
    synchronized void add(@Nullable Histogram reads, @Nullable Histogram brazeRequests) {
        if (reads != null) {
            readLatencies.add(reads);
        }
        if (brazeRequests != null) {
            brazeLatencies.add(brazeRequests);
        }
    }

    @Override
    public void open(ExecutionContext context) {
        // A restarted step starts from the context of the execution before: its figures
        // are not this one's.
        context.toMap().keySet().stream().filter(key -> key.startsWith(PREFIX)).toList().forEach(context::remove);
        brazeRequestsBefore = context.getLong(BRAZE_REQUESTS, 0);
        startNanos = System.nanoTime();
    }

    @Override
    public synchronized void update(ExecutionContext context) {
        context.putDouble(SECONDS, (System.nanoTime() - startNanos) / 1e9);
        context.putLong(READS, readLatencies.getTotalCount());
        context.putDouble(CONNECT_RATE, connectRate);
        putPercentiles(context, readLatencies, READ_P50, READ_P99);
        context.putLong(BRAZE_REQUESTS_NOW, brazeLatencies.getTotalCount());
        context.putLong(BRAZE_REQUESTS, brazeRequestsBefore + brazeLatencies.getTotalCount());
        context.putDouble(BRAZE_RATE, brazeRate);
        putPercentiles(context, brazeLatencies, BRAZE_P50, BRAZE_P99);
    }

    private static void putPercentiles(ExecutionContext context, Histogram latencies, String p50, String p99) {
        if (latencies.getTotalCount() == 0) {
            context.remove(p50);
            context.remove(p99);
        }
        else {
            context.putLong(p50, latencies.getValueAtPercentile(50));
            context.putLong(p99, latencies.getValueAtPercentile(99));
        }
    }

    private static @Nullable Duration micros(ExecutionContext context, String key) {
        return context.containsKey(key) ? Duration.ofNanos(context.getLong(key) * 1000) : null;
    }

}
