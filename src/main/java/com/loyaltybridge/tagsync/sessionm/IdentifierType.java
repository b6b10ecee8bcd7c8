package com.loyaltybridge.tagsync.sessionm;

/**
 * How SessionM knows a customer in a tags call: by the external id shared with Braze, or
 * by its own user_id.
 */
public enum IdentifierType {

    /** {@code /priv/v1/apps/{api_key}/external/users/{external_id}/tags} */
    EXTERNAL_ID("external/users"),
    /** {@code /priv/v1/apps/{api_key}/users/{user_id}/tags} */
    USER_ID("users");

    private final String collection;

    IdentifierType(String collection) {
        this.collection = collection;
    }

    /**
     * The path between the app and the identifier: {@code external/users} or
     * {@code users}.
     */
    public String collection() {
        return collection;
    }

}
