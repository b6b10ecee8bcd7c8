package com.loyaltybridge.tagsync.storage;

import java.io.InputStream;
import java.util.List;

/**
 * Reading and writing objects in S3 or a local directory, behind one interface so that
 * the export reader and the bulk file writer do not care where their data lives.
 * <p>
 * Failures of the store itself, including those while reading a stream from {@link #open}
 * or writing to {@link PendingObject#stream()}, surface as
 * {@link ObjectUnavailableException}s (unchecked, even from stream methods) whose message
 * names the object.
 */
public interface ObjectStore {

    /**
     * Objects directly inside {@code folder} (not in sub-folders), sorted by name. Empty
     * if the folder does not exist.
     */
    List<StoredObject> list(StorageLocation folder);

    /** Names of the sub-folders directly inside {@code folder}, sorted. */
    List<String> listFolders(StorageLocation folder);

    /**
     * Opens a listed object as a stream of its bytes, read as they arrive (never buffered
     * whole). In S3 a connection that breaks mid-object is resumed from the byte reached;
     * the bytes are always those of the listed version.
     * @throws ObjectUnavailableException naming the object when it is gone or changed
     * since it was listed
     */
    InputStream open(StoredObject object);

    /**
     * Starts writing {@code name} inside {@code folder}. Nothing is visible under that
     * name until {@link PendingObject#publish()}: a reader never sees a half-written
     * object.
     */
    PendingObject create(StorageLocation folder, String name);

    /**
     * Removes what unpublished writes into {@code folder} left behind (incomplete
     * uploads, temporary files).
     */
    void discardUnpublished(StorageLocation folder);

    /**
     * Refuses {@code folder} when this store would not read it: a {@code file:} folder
     * under an export root whose real path leaves the root (see {@link ExportRoots}). S3
     * has no links: nothing to refuse there.
     * @throws ObjectUnavailableException naming only {@code folder}
     */
    void checkConfined(StorageLocation folder);

}
