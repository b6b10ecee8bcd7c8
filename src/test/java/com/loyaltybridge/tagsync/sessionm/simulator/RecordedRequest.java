package com.loyaltybridge.tagsync.sessionm.simulator;

import java.time.Instant;

import com.loyaltybridge.tagsync.sessionm.IdentifierType;

/**
 * One request as the simulator received it.
 *
 * @param rawPath the path exactly as received, still percent-encoded
 * @param identifierType null when the path is not a tags path
 * @param identifier the customer identifier decoded from the path; null when the path is
 * not a tags path
 * @param authorization the {@code Authorization} header as received
 * @param contentType the {@code Content-Type} header as received
 * @param receivedNanos {@link System#nanoTime()} on arrival, to measure spacing between
 * requests
 */
public record RecordedRequest(String method, String rawPath, IdentifierType identifierType, String identifier,
        String authorization, String contentType, String body, Instant receivedAt, long receivedNanos) {
}
