package com.loyaltybridge.tagsync.offers;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One customer's offer wallet as SessionM Connect delivered it: the issued offers of
 * every page, with all their fields (the schema is only in each tenant's Swagger:
 * {@link WalletAttributes} picks what Braze gets), and the point balances. The offers are
 * SessionM's JSON objects: read them, do not change them.
 *
 * @param userId the SessionM user id the wallet was read for
 * @param offers {@code payload.user_offers} of every page, in SessionM's order; entries
 * that are not objects are left out
 * @param availablePoints {@code payload.available_points} of the first page; null when
 * absent or not a number
 * @param totalPoints {@code payload.total_points} of the first page; null when absent or
 * not a number
 * @param totalRecords {@code payload.total_records} as SessionM announced it; -1 when it
 * gave none
 * @param complete false when reading stopped at {@code sessionm.connect.max-offers-read}
 * offers
 */
public record OfferWallet(String userId, List<JsonNode> offers, @Nullable JsonNode availablePoints,
        @Nullable JsonNode totalPoints, int totalRecords, boolean complete) {

    public OfferWallet {
        Objects.requireNonNull(userId, "userId");
        offers = List.copyOf(offers);
    }
}
