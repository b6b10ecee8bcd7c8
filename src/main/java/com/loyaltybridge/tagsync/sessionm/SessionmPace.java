package com.loyaltybridge.tagsync.sessionm;

import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * How SessionM's traffic went over a stretch of time (a run, or the last progress
 * interval): the figures of every sync of the process, as they share SessionM's rate and
 * the in-flight limit.
 *
 * @param seconds length of the stretch
 * @param requests HTTP requests to SessionM answered or failed in it (retries and reads
 * included)
 * @param configuredRequestsPerSecond {@code sessionm.requests-per-second}; 0 for none
 * @param latencyP50 median latency of the requests SessionM answered (not 429s, 5xx or
 * timeouts); null when none was
 * @param latencyP99 99th percentile of the same
 * @param inFlightLimit the in-flight limit at the end of the stretch
 * @param inFlightCap {@code sessionm.max-in-flight}: the bound of the limit
 * @param throttled 429 answers
 * @param errors 5xx answers, retryable error bodies, timeouts and lost connections
 * @param heldBackSeconds how long each bound held calls back (see {@link HeldBackBy})
 */
public record SessionmPace(double seconds, long requests, double configuredRequestsPerSecond,
        @Nullable Duration latencyP50, @Nullable Duration latencyP99, int inFlightLimit, int inFlightCap,
        long throttled, long errors, Map<HeldBackBy, Double> heldBackSeconds) {

    public double requestsPerSecond() {
        return seconds <= 0 ? 0 : requests / seconds;
    }

    /**
     * The bound that held calls back the longest; {@link HeldBackBy#NOTHING} if none did.
     */
    public HeldBackBy heldBackMostBy() {
        return heldBackSeconds.entrySet()
            .stream()
            .filter(entry -> entry.getValue() > 0)
            .max(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .orElse(HeldBackBy.NOTHING);
    }

    /**
     * {@code 98.7 of 100 requests/s configured (99%)}, or
     * {@code 98.7 requests/s (no rate limit)}.
     */
    public String rateText() {
        if (configuredRequestsPerSecond <= 0) {
            return String.format(Locale.ROOT, "%,.1f requests/s (no rate limit configured)", requestsPerSecond());
        }
        return String.format(Locale.ROOT, "%,.1f of %,.0f requests/s configured (%.0f%%)", requestsPerSecond(),
                configuredRequestsPerSecond, 100 * requestsPerSecond() / configuredRequestsPerSecond);
    }

    /** {@code p50 302 ms, p99 340 ms}, or {@code none answered}. */
    public String latencyText() {
        if (latencyP50 == null) {
            return "none answered";
        }
        return "p50 " + latencyP50.toMillis() + " ms, p99 " + latencyP99.toMillis() + " ms";
    }

    /**
     * The bound that held calls back the longest, with its share of the time the limit
     * judged, then the others that count:
     * {@code the rate limit (sessionm.requests-per-second), 96% of the time; SessionM's strain 4%}.
     */
    public String heldBackText() {
        double judged = heldBackSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        if (judged <= 0) {
            return "not judged yet";
        }
        HeldBackBy most = heldBackMostBy();
        String others = heldBackSeconds.entrySet()
            .stream()
            .filter(entry -> entry.getKey() != most && entry.getValue() / judged >= 0.005)
            .sorted(Map.Entry.<HeldBackBy, Double>comparingByValue(Comparator.reverseOrder()))
            .map(entry -> shortName(entry.getKey()) + " " + percent(entry.getValue() / judged))
            .collect(Collectors.joining(", "));
        return most.description() + ", " + percent(heldBackSeconds.get(most) / judged) + " of the time"
                + (others.isEmpty() ? "" : "; " + others);
    }

    private static String shortName(HeldBackBy by) {
        String description = by.description();
        int detail = description.indexOf(" (");
        return detail < 0 ? description : description.substring(0, detail);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    /** In-flight limit and cap, for a log line: {@code 40 of at most 512}. */
    public String inFlightText() {
        return inFlightLimit + " of at most " + inFlightCap;
    }
}
