package com.loyaltybridge.tagsync.sync;

import java.time.Instant;
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

import com.loyaltybridge.tagsync.brazeexport.BrazeExportFolder;
import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.text.UntrustedText;

/**
 * One sync: which export, which tags, how. The export with its tag settings (tags, TTL,
 * mode, identifier) identifies the job instance, so the same command run again resumes or
 * reports the same instance; {@code output} does not.
 * <p>
 * The one boundary every way of launching a sync goes through (command line, segment
 * mappings, REST): what cannot become the job's parameters is refused here with an
 * {@link InvalidSyncRequestException} naming the field, before anything is written.
 *
 * @param tags tag names, sorted and without repeats (their order means nothing to
 * SessionM)
 * @param ttlSeconds time to live of the tags in seconds; null for counter tags
 * @param output where a CSV bulk file goes; null when none was given
 * @param audience the audience named explicitly ({@code --audience}); null for the
 * export's Braze segment, and so when it names that segment
 * @param full send every member whatever the audience's state ({@code --full}): its own
 * sync of the export
 */
public record SyncRequest(StorageLocation export, List<String> tags, Long ttlSeconds, SyncMode mode,
        IdentifierSource identifierSource, StorageLocation output, String audience,
        boolean full) implements ExportJobRequest {

    static final String EXPORT = EXPORT_PARAMETER;
    static final String TAGS = "tags";
    static final String TTL = "ttl";
    static final String MODE = "mode";
    static final String IDENTIFIER = "identifier";
    static final String OUTPUT = "output";
    static final String AUDIENCE = "audience";
    static final String FULL = "full";

    private static final String COUNTER_TAGS = "none";

    /** Tags of one sync: each user gets them in one call, and one bulk file row each. */
    public static final int MAX_TAGS = 100;

    /**
     * Spring Batch keeps each job parameter in
     * {@code batch_job_execution_params.parameter_value}, a varchar(2500). A longer one
     * fails its insert after the job instance row was written, so it is refused before.
     */
    public static final int MAX_PARAMETER_LENGTH = 2500;

    /** As a Braze segment id: {@code sync_audience.name}. */
    public static final int MAX_AUDIENCE_NAME_LENGTH = 256;

    /**
     * What the audiences of the offers job are named with, before their segment or given
     * name: a segment whose tags and wallets are both synced is two audiences, each with
     * its own state. No audience given by a caller starts with it, or a tag sync could
     * take a wallet audience's state for its own.
     */
    public static final String WALLET_AUDIENCE_PREFIX = "offers:";

    /**
     * A sync of the export's own audience (its Braze segment, if any), sending what
     * changed.
     */
    public SyncRequest(StorageLocation export, List<String> tags, Long ttlSeconds, SyncMode mode,
            IdentifierSource identifierSource, StorageLocation output) {
        this(export, tags, ttlSeconds, mode, identifierSource, output, null, false);
    }

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
        if (audience != null) {
            String problem = problemWithAudience(audience).orElse(null);
            if (problem != null) {
                throw new InvalidSyncRequestException(AUDIENCE, problem);
            }
            if (audience.equals(segmentIdOf(export))) {
                audience = null;
            }
        }
        Map<String, String> parameters = parameterTexts(export, tags, ttlSeconds, mode, identifierSource, output,
                audience, full);
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (parameter.getValue().length() > MAX_PARAMETER_LENGTH) {
                throw new InvalidSyncRequestException(parameter.getKey(), "takes " + parameter.getValue().length()
                        + " characters; a job parameter holds at most " + MAX_PARAMETER_LENGTH);
            }
        }
    }

    /**
     * Why {@code tags} cannot be the tags of one sync, in one line; empty when they can:
     * each must be a usable tag name, at most {@value #MAX_TAGS} distinct ones, and
     * together (with their commas) one job parameter.
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
            return Optional.of("the tags take " + length
                    + " characters with their commas; a job parameter holds at most " + MAX_PARAMETER_LENGTH);
        }
        return Optional.empty();
    }

    /** Why {@code name} cannot name an audience, in one line; empty when it can. */
    public static Optional<String> problemWithAudience(String name) {
        if (name.isBlank()) {
            return Optional.of("an empty audience name");
        }
        if (name.length() > MAX_AUDIENCE_NAME_LENGTH) {
            return Optional.of(UntrustedText.quote(name) + " is not an audience name: longer than "
                    + MAX_AUDIENCE_NAME_LENGTH + " characters");
        }
        if (name.startsWith(WALLET_AUDIENCE_PREFIX)) {
            return Optional.of(UntrustedText.quote(name) + " is not an audience name: names starting with "
                    + WALLET_AUDIENCE_PREFIX + " are those of the offers job's audiences");
        }
        return UntrustedText.forbiddenCharacterIn(name)
            .map(character -> UntrustedText.quote(name) + " is not an audience name: it holds " + character);
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
        return BrazeExportFolder.of(export).map(BrazeExportFolder::segmentId).orElseGet(() -> {
            String[] segments = export.lastSegments(4).split("/");
            return segments.length == 4 && segments[0].equals("segment-export") ? segments[1] : null;
        });
    }

    @Override
    public String jobName() {
        return SegmentSyncJobConfiguration.JOB_NAME;
    }

    @Override
    public String dryRunJobName() {
        return SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME;
    }

    @Override
    public String identifyingSettings() {
        return "tag settings (tags, ttl, mode or identifier)";
    }

    /**
     * The name of the audience this sync belongs to: the one named explicitly, else the
     * export's Braze segment; null for an export outside Braze's layout with none named,
     * which is synced in full.
     */
    @Override
    public String audienceName() {
        return audience != null ? audience : segmentId();
    }

    /**
     * When the export was requested (the EPOCH of its Braze folder name); empty outside
     * Braze's layout.
     */
    @Override
    public Optional<Instant> exportRequestedAt() {
        return BrazeExportFolder.of(export).map(BrazeExportFolder::requestedAt);
    }

    /** The same sync sending every member whatever the audience's state. */
    public SyncRequest withFull(boolean full) {
        return new SyncRequest(export, tags, ttlSeconds, mode, identifierSource, output, audience, full);
    }

    /** The same sync in the audience named {@code name} (null: the export's own). */
    public SyncRequest withAudience(String name) {
        return new SyncRequest(export, tags, ttlSeconds, mode, identifierSource, output, name, full);
    }

    @Override
    public JobParameters toJobParameters() {
        JobParametersBuilder builder = new JobParametersBuilder();
        parameterTexts(export, tags, ttlSeconds, mode, identifierSource, output, audience, full)
            .forEach((name, value) -> builder.addString(name, value, !name.equals(OUTPUT)));
        return builder.toJobParameters();
    }

    /**
     * The job parameters as text, in order; all identifying but {@code output}, which is
     * left out when absent, as are {@code audience} and {@code full} unless given: the
     * syncs from before audiences keep their job instances.
     */
    private static Map<String, String> parameterTexts(StorageLocation export, List<String> tags, Long ttlSeconds,
            SyncMode mode, IdentifierSource identifierSource, StorageLocation output, String audience, boolean full) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(EXPORT, export.uri());
        parameters.put(TAGS, String.join(",", tags));
        parameters.put(TTL, ttlSeconds == null ? COUNTER_TAGS : ttlSeconds.toString());
        parameters.put(MODE, mode.text());
        parameters.put(IDENTIFIER, identifierSource.text());
        if (output != null) {
            parameters.put(OUTPUT, output.uri());
        }
        if (audience != null) {
            parameters.put(AUDIENCE, audience);
        }
        if (full) {
            parameters.put(FULL, "true");
        }
        return parameters;
    }

    public static SyncRequest fromJobParameters(JobParameters parameters) {
        String ttl = parameters.getString(TTL);
        String output = parameters.getString(OUTPUT);
        return new SyncRequest(StorageLocation.parse(parameters.getString(EXPORT)),
                new ArrayList<>(List.of(parameters.getString(TAGS).split(","))),
                ttl == null || ttl.equals(COUNTER_TAGS) ? null : Long.valueOf(ttl),
                SyncMode.parse(parameters.getString(MODE)), IdentifierSource.parse(parameters.getString(IDENTIFIER)),
                output == null ? null : StorageLocation.parse(output), parameters.getString(AUDIENCE),
                "true".equals(parameters.getString(FULL)));
    }

    /** A short description for logs and summaries: the export and the tag settings. */
    @Override
    public String describe() {
        return export.uri() + " tags=" + String.join(",", tags)
                + (ttlSeconds == null ? " (counter tags)" : " ttl=" + ttlSeconds + "s") + " mode=" + mode.text()
                + " identifier=" + identifierSource.text() + (audience == null ? "" : " audience=" + audience)
                + (full ? " full" : "");
    }
}
