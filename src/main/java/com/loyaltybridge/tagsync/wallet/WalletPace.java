package com.loyaltybridge.tagsync.wallet;

import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How the traffic of one execution of a step of the offers job went: wallet reads from
 * SessionM Connect and requests to Braze's {@code /users/track}, against their configured
 * rates.
 *
 * @param seconds how long the step ran in this execution
 * @param reads wallets read (each one request per page of offers, retries aside)
 * @param connectRate {@code sessionm.connect.requests-per-second}; 0 for none
 * @param readP50 median time a read took (its pages and retries); null when none was made
 * @param brazeRequests {@code /users/track} requests sent (retries aside)
 * @param brazeRate {@code braze.rest.requests-per-second}; 0 for none
 * @param brazeP50 median time a request took (its retries included); null when none was
 * sent
 */
public record WalletPace(double seconds, long reads, double connectRate, @Nullable Duration readP50,
        @Nullable Duration readP99, long brazeRequests, double brazeRate, @Nullable Duration brazeP50,
        @Nullable Duration brazeP99) {

    /** {@code 98.7 wallet reads/s (100 requests/s configured); p50 21 ms, p99 40 ms}. */
    public String connectText() {
        return rate(reads, "wallet reads/s", connectRate) + latency(readP50, readP99);
    }

    /** {@code 1.3 requests/s (100 configured, 1%); p50 30 ms, p99 45 ms}. */
    public String brazeText() {
        return rate(brazeRequests, "requests/s", brazeRate) + latency(brazeP50, brazeP99);
    }

    private String rate(long count, String unit, double configured) {
        double perSecond = seconds <= 0 ? 0 : count / seconds;
        return String.format(Locale.ROOT, "%,.1f %s", perSecond, unit)
                + (configured <= 0 ? " (no rate limit configured)" : String.format(Locale.ROOT,
                        " (%,.0f requests/s configured, %.0f%%)", configured, 100 * perSecond / configured));
    }

    private static String latency(@Nullable Duration p50, @Nullable Duration p99) {
        return p50 == null ? "" : "; p50 " + p50.toMillis() + " ms, p99 " + p99.toMillis() + " ms";
    }
}
