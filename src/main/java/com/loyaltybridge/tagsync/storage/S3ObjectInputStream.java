package com.loyaltybridge.tagsync.storage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The body of one listed S3 object, read as it arrives. Every GET is pinned to the listed
 * ETag, so the bytes delivered are the listed object's or the read fails. When the
 * connection breaks mid-body, the read goes on from the byte reached with a ranged GET: a
 * reader of a large export never starts over because of one network hiccup. Failures
 * surface as {@link ObjectUnavailableException}.
 */
final class S3ObjectInputStream extends InputStream {

    private static final Logger log = LoggerFactory.getLogger(S3ObjectInputStream.class);

    private final S3Client s3;

    private final StoredObject object;

    private final int maxResumes;

    private ResponseInputStream<GetObjectResponse> body;

    private long position;

    private int resumes;

    private boolean closed;

    S3ObjectInputStream(S3Client s3, StoredObject object, int maxResumes) {
        this.s3 = s3;
        this.object = object;
        this.maxResumes = maxResumes;
        this.body = get(0);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (closed) {
            throw new IOException("reading " + object.uri() + " after the stream was closed");
        }
        if (length == 0) {
            return 0;
        }
        while (true) {
            Exception failure;
            try {
                int read = body.read(buffer, offset, length);
                if (read >= 0) {
                    position += read;
                    return read;
                }
                if (position >= object.size()) {
                    return -1;
                }
                failure = new EOFException("the body ended after " + position + " of " + object.size() + " bytes");
            }
            catch (IOException | SdkClientException e) {
                failure = e;
            }
            resumeAfter(failure);
        }
    }

    private void resumeAfter(Exception failure) {
        body.abort();
        if (position >= object.size() || resumes >= maxResumes) {
            // At the end there is nothing left to resume: a failure there is a checksum
            // mismatch, not a dropped connection.
            throw new ObjectUnavailableException("reading " + object.uri() + " failed at byte " + position + " of "
                    + object.size() + (resumes == 0 ? "" : " after " + resumes + " resumed connections") + ": "
                    + S3Failures.describe(failure), failure);
        }
        resumes++;
        log.warn("Reading {} broke at byte {} of {} ({}); resuming from there (attempt {} of {})", object.uri(),
                position, object.size(), S3Failures.describe(failure), resumes, maxResumes);
        body = get(position);
    }

    private ResponseInputStream<GetObjectResponse> get(long from) {
        GetObjectRequest.Builder request = GetObjectRequest.builder()
            .bucket(object.folder().bucket())
            .key(object.key());
        if (object.etag() != null) {
            request.ifMatch(object.etag());
        }
        if (from > 0) {
            request.range("bytes=" + from + "-");
        }
        try {
            return s3.getObject(request.build());
        }
        catch (SdkException e) {
            if (S3Failures.hasStatus(e, S3Failures.NOT_FOUND)) {
                throw new ObjectUnavailableException(
                        object.uri() + " was listed but is gone: it was deleted since (" + S3Failures.describe(e) + ")",
                        e);
            }
            if (S3Failures.hasStatus(e, S3Failures.PRECONDITION_FAILED)) {
                throw new ObjectUnavailableException(
                        object.uri() + " changed since it was listed: its ETag is no longer " + object.etag(), e);
            }
            throw new ObjectUnavailableException("cannot read " + object.uri() + ": " + S3Failures.describe(e), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (position >= object.size()) {
            body.close();
        }
        else {
            // Closing would first download the rest of the body to keep the connection;
            // dropping it is cheaper.
            body.abort();
        }
    }

}
