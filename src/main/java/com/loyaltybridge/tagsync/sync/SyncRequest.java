package com.loyaltybridge.tagsync.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * <p>
 * The one boundary every way of launching a sync goes through (command line, segment mappings, REST): what cannot
 * become the job's parameters is refused here with an {@link InvalidSyncRequestException} naming the field, before
 * anything is written.
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

    /** Tags of one sync: each user gets them in one call, and one bulk file row each. */
    public static final int MAX_TAGS = 100;
    /**
     * Spring Batch keeps each job parameter in {@code batch_job_execution_params.parameter_value}, a varchar(2500).
     * A longer one fails its insert after the job instance row was written, so it is refused before.
     */
    public static final int MAX_PARAMETER_LENGTH = 2500;

    public SyncRequest {
        Objects.requireNonNull(export, "export");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(identifierSource, "identifierSource");
        Objects.requireNonNull(tags, "tags");
        String tagProblem = problemWithTags(tags).orElse(null);
        if (tagProblem != null) {
            throw new InvalidSyncRequestException(TAGS, tagProblem);
        }
        tags = List.copyOf(new TreeSet<>(tags));
        if (ttlSeconds != null && ttlSeconds <= 0) {
            throw new InvalidSyncRequestException(TTL, "the TTL must be a positive number of seconds");
        }
        Map<String, String> parameters = parameterTexts(export, tags, ttlSeconds, mode, identifierSource, output);
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (parameter.getValue().length() > MAX_PARAMETER_LENGTH) {
                throw new InvalidSyncRequestException(parameter.getKey(), "takes " + parameter.getValue().length()
                        + " characters; a job parameter holds at most " + MAX_PARAMETER_LENGTH);
            }
        }
    }

    /**
     * Why {@code tags} cannot be the tags of one sync, in one line; empty when they can: each must be a usable tag
     * name, at most {@value #MAX_TAGS} distinct ones, and together (with their commas) one job parameter.
     */
    public static Optional<String> problemWithTags(Collection<String> tags) {
        if (tags.isEmpty()) {
            return Optional.of("at least one tag is needed");
        }
        for (String tag : tags) {
            Optional<String> problem = TagNames.problemWith(tag);
            if (problem.isPresent()) {
                return problem;
            }
        }
        Set<String> distinct = new TreeSet<>(tags);
        if (distinct.size() > MAX_TAGS) {
            return Optional.of(distinct.size() + " tags: a sync takes at most " + MAX_TAGS);
        }
        int length = String.join(",", distinct).length();
        if (length > MAX_PARAMETER_LENGTH) {
            return Optional.of("the tags take " + length + " characters with their commas; a job parameter holds at most "
                    + MAX_PARAMETER_LENGTH);
        }
        return Optional.empty();
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
        JobParametersBuilder builder = new JobParametersBuilder();
        parameterTexts(export, tags, ttlSeconds, mode, identifierSource, output)
                .forEach((name, value) -> builder.addString(name, value, !name.equals(OUTPUT)));
        return builder.toJobParameters();
    }

    /** The job parameters as text, in order; all identifying but {@code output}, which is left out when absent. */
    private static Map<String, String> parameterTexts(StorageLocation export, List<String> tags, Long ttlSeconds, SyncMode mode,
            IdentifierSource identifierSource, StorageLocation output) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(EXPORT, export.uri());
        parameters.put(TAGS, String.join(",", tags));
        parameters.put(TTL, ttlSeconds == null ? COUNTER_TAGS : ttlSeconds.toString());
        parameters.put(MODE, mode.text());
        parameters.put(IDENTIFIER, identifierSource.text());
        if (output != null) {
            parameters.put(OUTPUT, output.uri());
        }
        return parameters;
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
