package com.loyaltybridge.tagsync.bulkfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.PendingObject;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * Writes the CSV bulk file of one sync: numbered parts ({@code part-00001.csv}, ...) and,
 * last, a {@code manifest.json} that lists them with row counts and checksums. A consumer
 * should wait for the manifest: its presence means the file is complete.
 */
@Component
public class BulkFileWriter {

    public static final String MANIFEST_NAME = "manifest.json";

    private final ObjectStore store;

    private final BulkFileSettings settings;

    private final JsonMapper json = JsonMapper.builder().build();

    public BulkFileWriter(ObjectStore store, BulkFileSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /**
     * The folder of a sync's bulk file: named after the export's last three path segments
     * and the job instance.
     */
    public static StorageLocation folderFor(StorageLocation output, StorageLocation export, long jobInstanceId) {
        String source = export.lastSegments(3);
        return output.resolve((source.isEmpty() ? "" : source + "/") + "job-" + jobInstanceId);
    }

    public static String partName(int number) {
        return "part-%05d.csv".formatted(number);
    }

    /** How many users fit in one part: each user takes one row per tag. */
    public int usersPerPart(int tagCount) {
        return Math.max(1, settings.maxRowsPerPart() / tagCount);
    }

    /** Removes what earlier, interrupted writes into this folder left behind. */
    public void discardUnpublished(StorageLocation folder) {
        store.discardUnpublished(folder);
    }

    public BulkFilePart startPart(StorageLocation folder, int number, String identifierName, List<String> tags,
            Long ttlSeconds) {
        CSVFormat.Builder format = CSVFormat.RFC4180.builder();
        if (settings.header()) {
            String identifierColumn = settings.identifierColumn() == null || settings.identifierColumn().isBlank()
                    ? identifierName : settings.identifierColumn();
            format.setHeader(identifierColumn, settings.tagColumn(), settings.ttlColumn());
        }
        return new BulkFilePart(number, store.create(folder, partName(number)), format.get(), tags, ttlSeconds);
    }

    /** What the manifest says about the sync that produced the file. */
    public record Source(String export, String segmentId, List<String> tags, Long ttlSeconds, String identifier,
            long jobInstanceId) {
    }

    /** Publishes the manifest; call it after the last part. */
    public String publishManifest(StorageLocation folder, Source source, List<PublishedPart> parts) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("export", source.export());
        manifest.put("segmentId", source.segmentId());
        manifest.put("tags", source.tags());
        manifest.put("ttlSeconds", source.ttlSeconds());
        manifest.put("identifier", source.identifier());
        manifest.put("jobInstanceId", source.jobInstanceId());
        manifest.put("format", orderedMap("encoding", "UTF-8", "dialect", "RFC 4180", "header", settings.header()));
        manifest.put("users", parts.stream().mapToLong(PublishedPart::users).sum());
        manifest.put("rows", parts.stream().mapToLong(PublishedPart::rows).sum());
        manifest.put("parts",
                parts.stream()
                    .map(part -> orderedMap("name", part.name(), "users", part.users(), "rows", part.rows(), "bytes",
                            part.bytes(), "sha256", part.sha256()))
                    .toList());
        manifest.put("createdAt", Instant.now().toString());
        byte[] content = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        try (PendingObject target = store.create(folder, MANIFEST_NAME)) {
            target.stream().write(content);
            return target.publish().uri();
        }
        catch (IOException e) {
            throw new UncheckedIOException("writing the bulk file manifest to " + folder + " failed", e);
        }
    }

    private static Map<String, Object> orderedMap(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

}
