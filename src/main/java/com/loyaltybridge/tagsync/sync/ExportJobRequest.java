package com.loyaltybridge.tagsync.sync;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.parameters.JobParameters;

import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * What the launcher needs of a run of any job that reads one export (the tag sync's
 * {@link SyncRequest}, the offers job's request): which job, its parameters, and what its
 * lock and its audience are. Each job's request stays the one typed boundary to its own
 * job parameters; the export is the one parameter they all share, under one name.
 */
public interface ExportJobRequest {

    /** The job parameter naming the export folder, in every job that reads one. */
    String EXPORT_PARAMETER = "export";

    /** The export of the run that has {@code parameters}, whichever job it is. */
    static StorageLocation exportOf(JobParameters parameters) {
        return StorageLocation.parse(parameters.getString(EXPORT_PARAMETER));
    }

    /** The job that runs this request. */
    String jobName();

    /** The job of its dry run, in a job instance of its own. */
    String dryRunJobName();

    JobParameters toJobParameters();

    StorageLocation export();

    IdentifierSource identifierSource();

    /**
     * The name of the audience the run belongs to, as {@code sync_audience} records it;
     * null without one. Two runs of one audience never run at once.
     */
    @Nullable String audienceName();

    /**
     * When the export was requested (the EPOCH of its Braze folder name); empty outside
     * Braze's layout.
     */
    Optional<Instant> exportRequestedAt();

    /**
     * Whether the run ignores what the audience's state says (and so may run an export
     * older than its last one).
     */
    boolean full();

    /** A short description for logs and summaries. */
    String describe();

    /**
     * Which of the request's settings make it another run of the same export, for a
     * message: "tag settings (tags, ...)".
     */
    String identifyingSettings();

}
