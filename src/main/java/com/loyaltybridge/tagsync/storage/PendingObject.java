package com.loyaltybridge.tagsync.storage;

import java.io.OutputStream;

/**
 * An object being written; it appears under its name only when published, and closing
 * without publishing discards it.
 */
public interface PendingObject extends AutoCloseable {

    /** Where to write the content. Do not close it; {@link #publish()} does. */
    OutputStream stream();

    /**
     * Makes the object visible under its name, atomically, and returns what was stored.
     */
    StoredObject publish();

    /** Discards the object if it was not published. */
    @Override
    void close();

}
