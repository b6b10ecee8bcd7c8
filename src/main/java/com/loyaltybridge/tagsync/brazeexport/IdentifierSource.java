package com.loyaltybridge.tagsync.brazeexport;

import java.util.Locale;

/**
 * Where in a Braze user object the customer identifier for SessionM is found.
 * <ul>
 *   <li>{@code external_id}: the Braze {@code external_id}, which SessionM knows as its external id;</li>
 *   <li>{@code custom_attribute:NAME}: the string custom attribute NAME, holding the SessionM {@code user_id};</li>
 *   <li>{@code alias:LABEL}: the {@code alias_name} of the user alias labelled LABEL, holding the SessionM {@code user_id}.</li>
 * </ul>
 */
public record IdentifierSource(Kind kind, String name) {

    public enum Kind { EXTERNAL_ID, CUSTOM_ATTRIBUTE, USER_ALIAS }

    public static final IdentifierSource EXTERNAL_ID = new IdentifierSource(Kind.EXTERNAL_ID, null);

    /**
     * Parses {@code external_id}, {@code custom_attribute:NAME} or {@code alias:LABEL}.
     *
     * @throws IllegalArgumentException with a message fit to show a user
     */
    public static IdentifierSource parse(String text) {
        String value = text == null ? "" : text.trim();
        if (value.equalsIgnoreCase("external_id")) {
            return EXTERNAL_ID;
        }
        int colon = value.indexOf(':');
        if (colon > 0 && colon < value.length() - 1) {
            String kind = value.substring(0, colon).toLowerCase(Locale.ROOT);
            String name = value.substring(colon + 1);
            if (kind.equals("custom_attribute")) {
                return new IdentifierSource(Kind.CUSTOM_ATTRIBUTE, name);
            }
            if (kind.equals("alias")) {
                return new IdentifierSource(Kind.USER_ALIAS, name);
            }
        }
        throw new IllegalArgumentException("'" + value
                + "' is not an identifier source: expected external_id, custom_attribute:NAME or alias:LABEL");
    }

    /** True when the identifier is SessionM's own {@code user_id} rather than the shared external id. */
    public boolean isSessionmUserId() {
        return kind != Kind.EXTERNAL_ID;
    }

    /** The text form accepted by {@link #parse(String)}. */
    public String text() {
        return switch (kind) {
            case EXTERNAL_ID -> "external_id";
            case CUSTOM_ATTRIBUTE -> "custom_attribute:" + name;
            case USER_ALIAS -> "alias:" + name;
        };
    }

    @Override
    public String toString() {
        return text();
    }
}
