package com.loyaltybridge.tagsync.support;

import java.util.List;

import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * Where a test keeps its objects: a bucket of the in-process s3proxy, or a local
 * temporary directory, behind one set of operations so that one test proves both stores.
 * Operations other than {@link #store()} go around the store under test, as another
 * writer (Braze, an operator) would.
 */
public interface StorageBackend {

    /** Both backends, for {@code @ParameterizedClass @MethodSource}. */
    static List<StorageBackend> all() {
        return List.of(S3StorageBackend.get(), LocalStorageBackend.get());
    }

    /** The store under test, configured as the application configures it. */
    ObjectStore store();

    /** A new, empty folder, unique to the caller, ending in {@code relativePath}. */
    StorageLocation newFolder(String relativePath);

    void put(StorageLocation folder, String name, byte[] content);

    byte[] get(StorageLocation folder, String name);

    void delete(StorageLocation folder, String name);

    /**
     * Names of the objects (files) directly in the folder, as anyone looking at the
     * bucket or directory sees them.
     */
    List<String> visibleNames(StorageLocation folder);

    /**
     * What unpublished writes into the folder hold on to: S3 multipart uploads, or hidden
     * temporary files.
     */
    List<String> unpublishedLeftovers(StorageLocation folder);

}
