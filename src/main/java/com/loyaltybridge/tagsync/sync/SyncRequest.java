package com.loyaltybridge.tagsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * One sync: which export, which tags, how. The export with its tag settings (tags, TTL, mode,
 * identifier) identifies the job instance, so the same command run again resumes or reports the
 * same instance; {@code output} does not.
 *
 * @param tags       tag names, sorted and without repeats (their order means nothing to SessionM)
 * @param ttlSeconds time to live of the tags in seconds; null for counter tags
 * @param output     where a CSV bulk file goes; null when none was given
 */
public record SyncRequest(StorageLocation export, List<String> tags, Long ttlSeconds, SyncMode mode,
        IdentifierSource identifierSource, StorageLocation output) {

    static final String EXPORT = "export";
    static final String TAGS = "tags";
    static final String TTL = "ttl";
    static final String MODE = "mode";
    static final String IDENTIFIER = "identifier";
    static final String OUTPUT = "output";
    private static final String COUNTER_TAGS = "none";

    public SyncRequest {
        Objects.requireNonNull(export, "export");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(identifierSource, "identifierSource");
        tags = List.copyOf(new TreeSet<>(tags));
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("at least one tag is needed");
        }
        if (ttlSeconds != null && ttlSeconds <= 0) {
            throw new IllegalArgumentException("the TTL must be a positive number of seconds");
        }
    }

    public IdentifierType identifierType() {
        return identifierSource.isSessionmUserId() ? IdentifierType.USER_ID : IdentifierType.EXTERNAL_ID;
    }

    /**
     * The Braze segment id when the export sits in Braze's layout
     * ({@code .../segment-export/SEGMENT_ID/YYYY-MM-dd/UUID-EPOCH/}), else null.
     */
    public String segmentId() {
        return segmentIdOf(export);
    }

    /** The Braze segment id of an export folder in Braze's layout, else null. */
    public static String segmentIdOf(StorageLocation export) {
        String[] segments = export.lastSegments(4).split("/");
        return segments.length == 4 && segments[0].equals("segment-export") ? segments[1] : null;
    }

    public JobParameters toJobParameters() {
        JobParametersBuilder builder = new JobParametersBuilder()
                .addString(EXPORT, export.uri())
                .addString(TAGS, String.join(",", tags))
                .addString(TTL, ttlSeconds == null ? COUNTER_TAGS : ttlSeconds.toString())
                .addString(MODE, mode.text())
                .addString(IDENTIFIER, identifierSource.text());
        if (output != null) {
            builder.addString(OUTPUT, output.uri(), false);
        }
        return builder.toJobParameters();
    }

    public static SyncRequest fromJobParameters(JobParameters parameters) {
        String ttl = parameters.getString(TTL);
        String output = parameters.getString(OUTPUT);
        return new SyncRequest(
                StorageLocation.parse(parameters.getString(EXPORT)),
                new ArrayList<>(List.of(parameters.getString(TAGS).split(","))),
                ttl == null || ttl.equals(COUNTER_TAGS) ? null : Long.valueOf(ttl),
                SyncMode.parse(parameters.getString(MODE)),
                IdentifierSource.parse(parameters.getString(IDENTIFIER)),
                output == null ? null : StorageLocation.parse(output));
    }

    /** A short description for logs and summaries: the export and the tag settings. */
    public String describe() {
        return export.uri() + " tags=" + String.join(",", tags)
                + (ttlSeconds == null ? " (counter tags)" : " ttl=" + ttlSeconds + "s")
                + " mode=" + mode.text() + " identifier=" + identifierSource.text();
    }
}
