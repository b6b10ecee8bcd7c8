package com.loyaltybridge.tagsync.cli;

/** The command line or the configuration is wrong; the message says how, in one line. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }

}
