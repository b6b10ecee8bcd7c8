package com.loyaltybridge.tagsync.brazeapi;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Names one Braze user in an attribute object of {@code /users/track}: by
 * {@code external_id}, or by {@code braze_id} for a user who has none (anonymous users of
 * a segment export).
 */
public record BrazeUser(Kind kind, String id) {

    /** The identifier field an attribute object names its user by. */
    public enum Kind {

        EXTERNAL_ID("external_id"), BRAZE_ID("braze_id");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** The field's name in an attribute object. */
        public String field() {
            return field;
        }

    }

    public BrazeUser {
        Objects.requireNonNull(kind, "kind");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a Braze user needs a non-empty " + kind.field());
        }
    }

    public static BrazeUser externalId(String externalId) {
        return new BrazeUser(Kind.EXTERNAL_ID, externalId);
    }

    public static BrazeUser brazeId(String brazeId) {
        return new BrazeUser(Kind.BRAZE_ID, brazeId);
    }

    /**
     * The user an attribute object names by {@code field} ({@code external_id} or
     * {@code braze_id}) = {@code id}.
     * @throws IllegalArgumentException for another field, or an empty id
     */
    public static BrazeUser byField(String field, String id) {
        for (Kind kind : Kind.values()) {
            if (kind.field().equals(field)) {
                return new BrazeUser(kind, id);
            }
        }
        throw new IllegalArgumentException("'" + field + "' does not name a Braze user: external_id or braze_id");
    }

    /**
     * A segment export's user: by its {@code external_id} when it has one, else by its
     * {@code braze_id}.
     * @throws IllegalArgumentException when it has neither
     */
    public static BrazeUser of(@Nullable String externalId, @Nullable String brazeId) {
        if (externalId != null && !externalId.isEmpty()) {
            return externalId(externalId);
        }
        if (brazeId != null && !brazeId.isEmpty()) {
            return brazeId(brazeId);
        }
        throw new IllegalArgumentException("a Braze user needs an external_id or a braze_id");
    }

    @Override
    public String toString() {
        return kind.field() + ":" + id;
    }
}
