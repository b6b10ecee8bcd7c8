package com.loyaltybridge.tagsync.storage;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;

/**
 * How to reach S3, or an S3-compatible server.
 *
 * @param endpoint endpoint of an S3-compatible server; absent for AWS S3 itself
 * @param region signing region (a bucket in another AWS region is still reached)
 * @param pathStyle address buckets as {@code endpoint/bucket/key}, as most S3-compatible
 * servers need
 * @param accessKeyId static credentials; absent to use the default AWS credential chain
 * (environment, profile, IRSA web identity on Kubernetes, instance role)
 * @param secretAccessKey goes with {@code accessKeyId}; never logged
 * @param maxAttempts tries of one request, first included: throttling ({@code SlowDown}),
 * 5xx and connection failures are retried with the SDK's standard jittered backoff
 * @param readResumeAttempts how often reading one object may reconnect after its
 * connection broke mid-body, continuing from the byte reached
 * @param uploadPartSize size of the multipart-upload parts, and so of the memory one
 * object being written holds: 5MB (the S3 minimum) to 1GB
 * @param requestChecksumCalculation {@code when-required} for S3-compatible servers that
 * reject the checksums recent SDKs add to every upload
 * @param responseChecksumValidation {@code when-required} for S3-compatible servers that
 * answer with checksums the SDK cannot validate
 */
@ConfigurationProperties("s3")
public record S3Settings(@Nullable URI endpoint, @DefaultValue("us-east-1") String region,
        @DefaultValue("false") boolean pathStyle, @Nullable String accessKeyId, @Nullable String secretAccessKey,
        @DefaultValue("10") int maxAttempts, @DefaultValue("5") int readResumeAttempts,
        @DefaultValue("8MB") DataSize uploadPartSize,
        @DefaultValue("when-supported") RequestChecksumCalculation requestChecksumCalculation,
        @DefaultValue("when-supported") ResponseChecksumValidation responseChecksumValidation) {

    private static final DataSize MIN_PART_SIZE = DataSize.ofMegabytes(5);

    // S3 allows parts up to 5GB, but a part is buffered in one Java array.
    private static final DataSize MAX_PART_SIZE = DataSize.ofGigabytes(1);

    public S3Settings {
        // Unset environment variables arrive as empty strings: they mean "not
        // configured".
        endpoint = endpoint == null || endpoint.toString().isBlank() ? null : endpoint;
        accessKeyId = blankToNull(accessKeyId);
        secretAccessKey = blankToNull(secretAccessKey);
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("s3.access-key-id and s3.secret-access-key go together: set both,"
                    + " or neither to use the default AWS credential chain");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("s3.max-attempts must be at least 1, not " + maxAttempts);
        }
        if (readResumeAttempts < 0) {
            throw new IllegalArgumentException(
                    "s3.read-resume-attempts must not be negative, not " + readResumeAttempts);
        }
        if (uploadPartSize.compareTo(MIN_PART_SIZE) < 0 || uploadPartSize.compareTo(MAX_PART_SIZE) > 0) {
            throw new IllegalArgumentException(
                    "s3.upload-part-size must be between 5MB and 1GB, not " + uploadPartSize);
        }
    }

    public boolean hasStaticCredentials() {
        return accessKeyId != null;
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle + ", accessKeyId="
                + accessKeyId + ", secretAccessKey=" + (secretAccessKey == null ? null : "***") + ", maxAttempts="
                + maxAttempts + ", readResumeAttempts=" + readResumeAttempts + ", uploadPartSize=" + uploadPartSize
                + ", requestChecksumCalculation=" + requestChecksumCalculation + ", responseChecksumValidation="
                + responseChecksumValidation + "]";
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
