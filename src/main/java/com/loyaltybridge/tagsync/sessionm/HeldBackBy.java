package com.loyaltybridge.tagsync.sessionm;

/**
 * What kept calls to SessionM from going faster during a stretch of time, as the
 * {@link InFlightLimiter} judged it (see {@link AdaptiveLimit} for how).
 */
public enum HeldBackBy {

    /** Calls waited for the configured rate: the most the run may go. */
    RATE_LIMIT("rate_limit", "the rate limit (sessionm.requests-per-second)"),
    /**
     * Calls waited for room with the limit at its bound: a higher bound would have gone
     * faster.
     */
    IN_FLIGHT_CAP("in_flight_cap", "the in-flight cap (sessionm.max-in-flight)"),
    /**
     * SessionM answered 429, 5xx or nothing, asked for a pause, or slowed down: the limit
     * was lowered for it.
     */
    SESSIONM_STRAIN("sessionm_strain", "SessionM's strain (429, 5xx, timeouts or rising latency)"),
    /**
     * Calls waited for room while the limit was still growing to its target (the start of
     * a run).
     */
    LIMIT_GROWING("limit_growing", "the in-flight limit still growing"),
    /**
     * No call waited for the rate or for room: there were fewer calls to make than the
     * limit allowed.
     */
    NOTHING("nothing", "nothing (fewer calls to make than the limit allowed)");

    private final String tag;

    private final String description;

    HeldBackBy(String tag, String description) {
        this.tag = tag;
        this.description = description;
    }

    /** Its name in metrics and stored figures. */
    public String tag() {
        return tag;
    }

    /** What it means, for people. */
    public String description() {
        return description;
    }

}
