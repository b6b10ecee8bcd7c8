package com.loyaltybridge.tagsync.storage;

import java.time.Instant;

/**
 * One object (file) directly inside a folder, as listed.
 *
 * @param folder the folder it was listed in
 * @param name its name inside the folder (no slash)
 * @param size size in bytes
 * @param etag the S3 ETag (or a fingerprint of the local file), used to notice a change
 * since listing; may be null
 * @param lastModified when it was last written
 */
public record StoredObject(StorageLocation folder, String name, long size, String etag, Instant lastModified) {

    /**
     * The S3 key, or the absolute path of a local file: what records and messages name.
     */
    public String key() {
        return folder.keyPrefix() + name;
    }

    /** The full location, {@code s3://bucket/key} or {@code file:/path}. */
    public String uri() {
        return folder.uri() + name;
    }
}
