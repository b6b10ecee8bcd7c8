package com.loyaltybridge.tagsync.sync;

import java.util.Locale;

import com.loyaltybridge.tagsync.text.UntrustedText;

/** How the users of an export reach SessionM. */
public enum SyncMode {

    /** One tags call per user. */
    API,
    /** A CSV bulk file for SessionM's import. */
    CSV,
    /**
     * {@link #API} for exports of at most {@code sync.auto-api-max-users} users,
     * {@link #CSV} above.
     */
    AUTO;

    public static SyncMode parse(String text) {
        for (SyncMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException(UntrustedText.quote(text) + " is not a mode: expected api, csv or auto");
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

}
