package com.loyaltybridge.tagsync.sync;

/**
 * A {@link SyncRequest} that cannot be run, refused before anything is written: the
 * message is {@code field: reason}, where field is the request's field at fault (export,
 * tags, ttl, mode, identifier, output), the name of its command-line option and of its
 * REST field.
 */
public class InvalidSyncRequestException extends IllegalArgumentException {

    private final String field;

    private final String reason;

    public InvalidSyncRequestException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    /** The message without the field's name. */
    public String reason() {
        return reason;
    }

}
