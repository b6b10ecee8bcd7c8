package com.loyaltybridge.tagsync.storage;

import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.util.function.SingletonSupplier;

/**
 * The one {@link ObjectStore} of the application: sends each call to the store of the
 * location's scheme. The S3 store is built on first use, so a run that only touches
 * {@code file:} locations never needs AWS credentials or a region.
 */
public final class RoutingObjectStore implements ObjectStore {

    private final ObjectStore local;

    private final SingletonSupplier<ObjectStore> s3;

    public RoutingObjectStore(ObjectStore local, Supplier<? extends ObjectStore> s3) {
        this.local = local;
        this.s3 = SingletonSupplier.of(s3::get);
    }

    @Override
    public List<StoredObject> list(StorageLocation folder) {
        return storeFor(folder).list(folder);
    }

    @Override
    public List<String> listFolders(StorageLocation folder) {
        return storeFor(folder).listFolders(folder);
    }

    @Override
    public InputStream open(StoredObject object) {
        return storeFor(object.folder()).open(object);
    }

    @Override
    public PendingObject create(StorageLocation folder, String name) {
        return storeFor(folder).create(folder, name);
    }

    @Override
    public void discardUnpublished(StorageLocation folder) {
        storeFor(folder).discardUnpublished(folder);
    }

    @Override
    public void checkConfined(StorageLocation folder) {
        storeFor(folder).checkConfined(folder);
    }

    private ObjectStore storeFor(StorageLocation location) {
        return switch (location.scheme()) {
            case S3 -> s3.obtain();
            case FILE -> local;
        };
    }

}
