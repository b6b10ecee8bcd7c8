package com.loyaltybridge.tagsync.storage;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An S3 object being written. Content is buffered one part at a time and sent by
 * multipart upload, so memory stays at one part whatever the size; S3 shows nothing until
 * the upload is completed. Content that fits in one part is sent by a single PutObject at
 * publish, equally atomic.
 */
final class S3PendingObject implements PendingObject {

    private static final Logger log = LoggerFactory.getLogger(S3PendingObject.class);

    private static final int INITIAL_BUFFER_SIZE = 64 * 1024;

    private enum State {

        WRITING, PUBLISHED, FAILED, DISCARDED

    }

    private final S3Client s3;

    private final StorageLocation folder;

    private final String name;

    private final String key;

    private final int partSize;

    private final OutputStream stream = new PartOutputStream();

    private final List<CompletedPart> uploadedParts = new ArrayList<>();

    private byte[] part = new byte[INITIAL_BUFFER_SIZE];

    private int partLength;

    private long size;

    private String uploadId;

    private State state = State.WRITING;

    S3PendingObject(S3Client s3, StorageLocation folder, String name, int partSize) {
        this.s3 = s3;
        this.folder = folder;
        this.name = name;
        this.key = folder.prefix() + name;
        this.partSize = partSize;
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public StoredObject publish() {
        requireWriting();
        try {
            String etag;
            if (uploadId == null) {
                etag = s3.putObject(b -> b.bucket(folder.bucket()).key(key), bufferedPart()).eTag();
            }
            else {
                uploadPart();
                etag = s3
                    .completeMultipartUpload(b -> b.bucket(folder.bucket())
                        .key(key)
                        .uploadId(uploadId)
                        .multipartUpload(m -> m.parts(uploadedParts)))
                    .eTag();
            }
            state = State.PUBLISHED;
            part = null;
            // Neither answer carries the modification time; the time of publishing is
            // what it approximates.
            return new StoredObject(folder, name, size, etag, Instant.now());
        }
        catch (SdkException e) {
            state = State.FAILED;
            throw new ObjectUnavailableException("cannot publish " + uri() + ": " + S3Failures.describe(e), e);
        }
    }

    @Override
    public void close() {
        if (state == State.PUBLISHED || state == State.DISCARDED) {
            return;
        }
        state = State.DISCARDED;
        part = null;
        if (uploadId != null) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(folder.bucket()).key(key).uploadId(uploadId));
            }
            catch (SdkException e) {
                // Not found: discardUnpublished(folder) was faster. Otherwise not fatal
                // either: the parts stay
                // invisible, and discardUnpublished(folder) removes them later.
                if (!S3Failures.hasStatus(e, S3Failures.NOT_FOUND)) {
                    log.warn("Could not abort the unpublished upload of {}: {}", uri(), S3Failures.describe(e));
                }
            }
        }
    }

    private void write(byte[] bytes, int offset, int length) {
        requireWriting();
        int written = 0;
        while (written < length) {
            // A full part is sent only once more content arrives, so content of at most
            // one part goes by PutObject.
            if (partLength == partSize) {
                uploadPart();
            }
            if (partLength == part.length) {
                part = Arrays.copyOf(part, Math.min(partSize, part.length * 2));
            }
            int chunk = Math.min(length - written, part.length - partLength);
            System.arraycopy(bytes, offset + written, part, partLength, chunk);
            partLength += chunk;
            written += chunk;
        }
        size += length;
    }

    private void uploadPart() {
        try {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(b -> b.bucket(folder.bucket()).key(key)).uploadId();
            }
            int partNumber = uploadedParts.size() + 1;
            String etag = s3
                .uploadPart(b -> b.bucket(folder.bucket()).key(key).uploadId(uploadId).partNumber(partNumber),
                        bufferedPart())
                .eTag();
            uploadedParts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            partLength = 0;
        }
        catch (SdkException e) {
            state = State.FAILED;
            throw new ObjectUnavailableException(
                    "cannot upload part " + (uploadedParts.size() + 1) + " of " + uri() + ": " + S3Failures.describe(e),
                    e);
        }
    }

    /**
     * The buffered part as a request body that the SDK can read again when it retries,
     * without copying it.
     */
    private RequestBody bufferedPart() {
        byte[] content = part;
        int length = partLength;
        return RequestBody.fromContentProvider(
                ContentStreamProvider.fromInputStreamSupplier(() -> new ByteArrayInputStream(content, 0, length)),
                length, "application/octet-stream");
    }

    private void requireWriting() {
        if (state != State.WRITING) {
            throw new IllegalStateException(
                    uri() + " is no longer open for writing (" + state.name().toLowerCase(Locale.ROOT) + ")");
        }
    }

    private String uri() {
        return folder.uri() + name;
    }

    /**
     * Writes into the pending object; closing it is harmless, so wrapping writers may
     * close it.
     */
    private final class PartOutputStream extends OutputStream {

        @Override
        public void write(int b) {
            S3PendingObject.this.write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            S3PendingObject.this.write(bytes, offset, length);
        }

    }

}
