package com.loyaltybridge.tagsync.brazeexport;

/**
 * An export object cannot be decoded: not an archive of its kind, truncated, damaged, or
 * expanding past the configured limit. The message names the object and the cause in one
 * line, fit to show a user.
 */
public class CorruptExportObjectException extends RuntimeException {

    public CorruptExportObjectException(String message, Throwable cause) {
        super(message, cause);
    }

    public CorruptExportObjectException(String message) {
        super(message);
    }

}
