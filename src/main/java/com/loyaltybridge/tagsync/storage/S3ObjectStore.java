package com.loyaltybridge.tagsync.storage;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} on S3 or an S3-compatible server, through the SDK's synchronous
 * client.
 */
public final class S3ObjectStore implements ObjectStore {

    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);

    private static final String DELIMITER = "/";

    private final S3Client s3;

    private final int readResumeAttempts;

    private final int uploadPartSize;

    public S3ObjectStore(S3Client s3, S3Settings settings) {
        this.s3 = s3;
        this.readResumeAttempts = settings.readResumeAttempts();
        this.uploadPartSize = Math.toIntExact(settings.uploadPartSize().toBytes());
    }

    @Override
    public List<StoredObject> list(StorageLocation folder) {
        requireS3(folder);
        try {
            List<StoredObject> objects = new ArrayList<>();
            for (ListObjectsV2Response page : s3
                .listObjectsV2Paginator(b -> b.bucket(folder.bucket()).prefix(folder.prefix()).delimiter(DELIMITER))) {
                for (S3Object object : page.contents()) {
                    String name = object.key().substring(folder.prefix().length());
                    // An object named exactly like the folder is the marker some tools
                    // create for it, not content.
                    if (!name.isEmpty()) {
                        objects
                            .add(new StoredObject(folder, name, object.size(), object.eTag(), object.lastModified()));
                    }
                }
            }
            objects.sort(Comparator.comparing(StoredObject::name));
            return List.copyOf(objects);
        }
        catch (SdkException e) {
            throw new ObjectUnavailableException("cannot list " + folder + ": " + S3Failures.describe(e), e);
        }
    }

    @Override
    public List<String> listFolders(StorageLocation folder) {
        requireS3(folder);
        try {
            List<String> names = new ArrayList<>();
            for (ListObjectsV2Response page : s3
                .listObjectsV2Paginator(b -> b.bucket(folder.bucket()).prefix(folder.prefix()).delimiter(DELIMITER))) {
                for (CommonPrefix prefix : page.commonPrefixes()) {
                    String name = prefix.prefix().substring(folder.prefix().length(), prefix.prefix().length() - 1);
                    if (!name.isEmpty()) {
                        names.add(name);
                    }
                }
            }
            names.sort(Comparator.naturalOrder());
            return List.copyOf(names);
        }
        catch (SdkException e) {
            throw new ObjectUnavailableException("cannot list the folders of " + folder + ": " + S3Failures.describe(e),
                    e);
        }
    }

    @Override
    public InputStream open(StoredObject object) {
        requireS3(object.folder());
        return new S3ObjectInputStream(s3, object, readResumeAttempts);
    }

    @Override
    public PendingObject create(StorageLocation folder, String name) {
        requireS3(folder);
        return new S3PendingObject(s3, folder, ObjectNames.requireValid(name), uploadPartSize);
    }

    /** S3 keys are names, not paths: no link can lead out of a bucket or prefix. */
    @Override
    public void checkConfined(StorageLocation folder) {
        requireS3(folder);
    }

    @Override
    public void discardUnpublished(StorageLocation folder) {
        requireS3(folder);
        try {
            for (ListMultipartUploadsResponse page : s3
                .listMultipartUploadsPaginator(b -> b.bucket(folder.bucket()).prefix(folder.prefix()))) {
                for (MultipartUpload upload : page.uploads()) {
                    if (isDirectlyIn(folder, upload.key())) {
                        abort(folder, upload);
                    }
                }
            }
        }
        catch (SdkException e) {
            throw new ObjectUnavailableException(
                    "cannot discard the unpublished uploads in " + folder + ": " + S3Failures.describe(e), e);
        }
    }

    private void abort(StorageLocation folder, MultipartUpload upload) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(folder.bucket()).key(upload.key()).uploadId(upload.uploadId()));
            log.info("Discarded the unpublished upload of s3://{}/{} started {}", folder.bucket(), upload.key(),
                    upload.initiated());
        }
        catch (SdkException e) {
            // Completed or aborted by its writer in the meantime: gone either way.
            if (!S3Failures.hasStatus(e, S3Failures.NOT_FOUND)) {
                throw e;
            }
        }
    }

    private static boolean isDirectlyIn(StorageLocation folder, String key) {
        return key.indexOf('/', folder.prefix().length()) < 0;
    }

    private static void requireS3(StorageLocation folder) {
        if (!folder.isS3()) {
            throw new IllegalArgumentException(folder + " is not an S3 location");
        }
    }

}
