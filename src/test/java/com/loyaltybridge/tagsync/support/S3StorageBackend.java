package com.loyaltybridge.tagsync.support;

import java.util.List;
import java.util.UUID;

import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.S3ObjectStore;
import com.loyaltybridge.tagsync.storage.S3Settings;
import com.loyaltybridge.tagsync.storage.StorageConfiguration;
import com.loyaltybridge.tagsync.storage.StorageLocation;

import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** A bucket of the in-process s3proxy, read and written through {@link S3ObjectStore}. */
public final class S3StorageBackend implements StorageBackend {

    private static final String BUCKET = "tagsync-test";

    private static volatile S3StorageBackend instance;

    private final S3TestServer server;

    private final ObjectStore store;

    private S3StorageBackend(S3TestServer server) {
        this.server = server;
        S3Settings settings = server.settings();
        this.store = new S3ObjectStore(new StorageConfiguration().s3Client(settings), settings);
        server.createBucket(BUCKET);
    }

    public static S3StorageBackend get() {
        if (instance == null) {
            synchronized (S3StorageBackend.class) {
                if (instance == null) {
                    instance = new S3StorageBackend(S3TestServer.get());
                }
            }
        }
        return instance;
    }

    @Override
    public ObjectStore store() {
        return store;
    }

    @Override
    public StorageLocation newFolder(String relativePath) {
        return StorageLocation.s3(BUCKET, "test-" + UUID.randomUUID() + "/" + relativePath);
    }

    @Override
    public void put(StorageLocation folder, String name, byte[] content) {
        server.put(folder.bucket(), folder.prefix() + name, content);
    }

    @Override
    public byte[] get(StorageLocation folder, String name) {
        return server.get(folder.bucket(), folder.prefix() + name);
    }

    @Override
    public void delete(StorageLocation folder, String name) {
        server.client().deleteObject(b -> b.bucket(folder.bucket()).key(folder.prefix() + name));
    }

    @Override
    public List<String> visibleNames(StorageLocation folder) {
        return server.list(folder.bucket(), folder.prefix())
            .stream()
            .map(key -> key.substring(folder.prefix().length()))
            .filter(name -> !name.contains("/"))
            .toList();
    }

    @Override
    public List<String> unpublishedLeftovers(StorageLocation folder) {
        return server.client()
            .listMultipartUploadsPaginator(b -> b.bucket(folder.bucket()).prefix(folder.prefix()))
            .uploads()
            .stream()
            .map(MultipartUpload::key)
            .toList();
    }

    @Override
    public String toString() {
        return "s3proxy";
    }

}
