package com.loyaltybridge.tagsync.brazeexport;

import org.jspecify.annotations.Nullable;

/**
 * Who a user of an export is in Braze, for a job that writes back to the user's profile:
 * its {@code external_id}, else its {@code braze_id} (a user who has none, such as an
 * anonymous one), and its {@code language} (ISO 639-1, as Braze exports it). Kept exactly
 * as Braze wrote them. Only the parser of such a job reads them
 * ({@link BrazeUserParser#withBrazeProfile}); the tag sync never does.
 *
 * @param externalId the {@code external_id}; null when the line has none
 * @param brazeId the {@code braze_id}; null when the line has none
 * @param language the {@code language}; null when the line has none
 */
public record BrazeProfile(@Nullable String externalId, @Nullable String brazeId, @Nullable String language) {

    /**
     * The identifier field the profile is written by: {@code external_id} when there is
     * one, else {@code braze_id}.
     */
    public String field() {
        return externalId != null ? "external_id" : "braze_id";
    }

    /** The value of {@link #field()}. */
    public String id() {
        return externalId != null ? externalId : brazeId;
    }
}
