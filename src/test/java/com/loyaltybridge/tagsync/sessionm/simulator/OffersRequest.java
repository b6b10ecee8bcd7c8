package com.loyaltybridge.tagsync.sessionm.simulator;

/**
 * One {@code get_user_offers} request as the simulator received it.
 *
 * @param userId {@code user_id} of the body; null when the body had none
 * @param skip {@code skip} of the body; -1 when absent
 * @param take {@code take} of the body; -1 when absent
 * @param authorization the {@code Authorization} header as received
 * @param body the body as received
 */
public record OffersRequest(String userId, int skip, int take, String culture, String retailerId, String authorization,
        String contentType, String body, long receivedNanos) {
}
