package com.loyaltybridge.tagsync.brazeexport;

import java.util.Locale;

import com.loyaltybridge.tagsync.text.UntrustedText;

/**
 * Where in a Braze user object the customer identifier for SessionM is found.
 * <ul>
 * <li>{@code external_id}: the Braze {@code external_id}, which SessionM knows as its
 * external id;</li>
 * <li>{@code custom_attribute:NAME}: the string custom attribute NAME, holding the
 * SessionM {@code user_id};</li>
 * <li>{@code alias:LABEL}: the {@code alias_name} of the user alias labelled LABEL,
 * holding the SessionM {@code user_id}.</li>
 * </ul>
 */
public record IdentifierSource(Kind kind, String name) {

    public enum Kind {

        EXTERNAL_ID, CUSTOM_ATTRIBUTE, USER_ALIAS

    }

    public static final IdentifierSource EXTERNAL_ID = new IdentifierSource(Kind.EXTERNAL_ID, null);

    /**
     * Braze's custom attribute names and alias labels are short; this bounds what a
     * request can make us store.
     */
    public static final int MAX_NAME_LENGTH = 255;

    /**
     * Parses {@code external_id}, {@code custom_attribute:NAME} or {@code alias:LABEL}.
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
                return new IdentifierSource(Kind.CUSTOM_ATTRIBUTE, checkedName(value, name));
            }
            if (kind.equals("alias")) {
                return new IdentifierSource(Kind.USER_ALIAS, checkedName(value, name));
            }
        }
        throw new IllegalArgumentException(UntrustedText.quote(value)
                + " is not an identifier source: expected external_id, custom_attribute:NAME or alias:LABEL");
    }

    private static String checkedName(String value, String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(
                    UntrustedText.quote(value) + " is not an identifier source: the name after"
                            + " the colon is longer than " + MAX_NAME_LENGTH + " characters");
        }
        UntrustedText.forbiddenCharacterIn(name).ifPresent(character -> {
            throw new IllegalArgumentException(
                    UntrustedText.quote(value) + " is not an identifier source: it holds " + character);
        });
        return name;
    }

    /**
     * True when the identifier is SessionM's own {@code user_id} rather than the shared
     * external id.
     */
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
