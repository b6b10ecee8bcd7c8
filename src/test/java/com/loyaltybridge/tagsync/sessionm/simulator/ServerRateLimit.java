package com.loyaltybridge.tagsync.sessionm.simulator;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server-side limit of {@code requestsPerSecond} allowing bursts of up to one second's
 * worth, as the generic cell rate algorithm: one atomic "theoretical arrival time", no
 * lock.
 */
final class ServerRateLimit {

    private final long intervalNanos;

    private final long burstNanos;

    private final AtomicLong theoreticalArrival = new AtomicLong(System.nanoTime());

    ServerRateLimit(double requestsPerSecond) {
        this.intervalNanos = Math.max(1, Math.round(1e9 / requestsPerSecond));
        this.burstNanos = TimeUnit.SECONDS.toNanos(1);
    }

    /**
     * @return 0 if the request is admitted, else the whole seconds to wait (at least 1)
     * for {@code Retry-After}
     */
    long secondsToWait(long nowNanos) {
        while (true) {
            long arrival = theoreticalArrival.get();
            long next = Math.max(arrival, nowNanos) + intervalNanos;
            long ahead = next - nowNanos;
            if (ahead > burstNanos) {
                return Math.max(1, (long) Math.ceil((ahead - burstNanos) / 1e9));
            }
            if (theoreticalArrival.compareAndSet(arrival, next)) {
                return 0;
            }
        }
    }

}
