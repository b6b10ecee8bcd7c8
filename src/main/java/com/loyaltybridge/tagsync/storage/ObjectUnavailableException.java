package com.loyaltybridge.tagsync.storage;

/**
 * An object could not be read or written; the message names it and says why, fit to show
 * a user.
 */
public class ObjectUnavailableException extends RuntimeException {

    public ObjectUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ObjectUnavailableException(String message) {
        super(message);
    }

}
