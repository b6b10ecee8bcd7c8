package com.loyaltybridge.tagsync.brazeapi.simulator;

/**
 * One {@code /users/track} request as the {@link BrazeSimulator} received it.
 *
 * @param attributeObjects how many attribute objects its body held; -1 when it was not a
 * JSON object
 * @param receivedNanos {@link System#nanoTime()} on arrival, to measure spacing between
 * requests
 * @param receivedMillis {@link System#currentTimeMillis()} on arrival, to compare with
 * {@code X-RateLimit-Reset}
 */
public record TrackRequest(String authorization, String contentType, String body, int attributeObjects,
        long receivedNanos, long receivedMillis) {
}
