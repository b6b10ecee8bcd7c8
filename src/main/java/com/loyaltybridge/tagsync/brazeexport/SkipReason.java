package com.loyaltybridge.tagsync.brazeexport;

import java.util.Locale;

/**
 * Why a line of an export did not become a user. Codes are stored in PostgreSQL and shown
 * in summaries.
 */
public enum SkipReason {

    /**
     * Not valid JSON, invalid UTF-8, nested too deeply, or more than one value on the
     * line.
     */
    INVALID_JSON,
    /**
     * Valid JSON, but not an object, or a field has the wrong type (a number where a
     * string belongs).
     */
    WRONG_TYPE,
    /** Longer than the configured line-size limit. */
    LINE_TOO_LONG,
    /** The configured identifier is absent, null or empty. */
    MISSING_IDENTIFIER,
    /**
     * The identifier is present but unusable: control characters, or longer than the
     * limit.
     */
    INVALID_IDENTIFIER,
    /** A user whose identifier was already seen earlier in the same export. */
    DUPLICATE_USER;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

}
