package com.loyaltybridge.tagsync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * The folder of one Braze segment export, laid out as Braze writes it into a bucket:
 * {@code segment-export/SEGMENT_ID/YYYY-MM-dd/UUID-EPOCH/}.
 */
public record ExportFolder(String segmentId, LocalDate date, UUID uuid, long epochSecond) {

    /**
     * An export of {@code segmentId} requested at 2026-11-28T00:00:00Z, with a fresh
     * UUID.
     */
    public static ExportFolder of(String segmentId) {
        return new ExportFolder(segmentId, LocalDate.of(2026, 11, 28), UUID.randomUUID(), 1_764_288_000L);
    }

    /**
     * The export of the same segment a day later (requested 86,400 s after), with a fresh
     * UUID.
     */
    public ExportFolder nextDay() {
        return new ExportFolder(segmentId, date.plusDays(1), UUID.randomUUID(), epochSecond + 86_400);
    }

    /** The folder path relative to the bucket or root directory, ending with a slash. */
    public String path() {
        return "segment-export/" + segmentId + "/" + date + "/" + uuid + "-" + epochSecond + "/";
    }

    /**
     * Writes {@code objects} (name to content) into {@code bucket} and returns the
     * folder.
     */
    public StorageLocation writeTo(S3TestServer server, String bucket, Map<String, byte[]> objects) {
        server.createBucket(bucket);
        objects.forEach((name, content) -> server.put(bucket, path() + name, content));
        return StorageLocation.s3(bucket, path());
    }

    /**
     * Writes {@code objects} (name to content) under the local directory {@code root} and
     * returns the folder.
     */
    public StorageLocation writeTo(Path root, Map<String, byte[]> objects) {
        Path folder = root.resolve(path());
        try {
            Files.createDirectories(folder);
            for (Map.Entry<String, byte[]> object : objects.entrySet()) {
                Files.write(folder.resolve(object.getKey()), object.getValue());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return StorageLocation.directory(folder);
    }

    /**
     * Writes {@code objects} (name to content) through a test storage backend and returns
     * the folder.
     */
    public StorageLocation writeTo(StorageBackend backend, Map<String, byte[]> objects) {
        StorageLocation folder = backend.newFolder(path());
        objects.forEach((name, content) -> backend.put(folder, name, content));
        return folder;
    }
}
