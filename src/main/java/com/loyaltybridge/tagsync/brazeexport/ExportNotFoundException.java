package com.loyaltybridge.tagsync.brazeexport;

/**
 * An export folder holds no export objects: a wrong location, an export not written yet,
 * or one already expired.
 */
public class ExportNotFoundException extends RuntimeException {

    public ExportNotFoundException(String message) {
        super(message);
    }

}
