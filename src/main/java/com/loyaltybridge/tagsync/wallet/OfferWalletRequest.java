package com.loyaltybridge.tagsync.wallet;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import com.loyaltybridge.tagsync.brazeexport.BrazeExportFolder;
import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.sync.ExportJobRequest;
import com.loyaltybridge.tagsync.sync.InvalidSyncRequestException;
import com.loyaltybridge.tagsync.sync.SyncRequest;

/**
 * One run of the offers job: the offer wallets of an export's members, read from SessionM
 * Connect and written to their Braze profiles where they changed. The export with the
 * identifier source (and the culture and audience, when given) identifies the job
 * instance, so the same command run again resumes or reports the same run.
 * <p>
 * The one boundary every way of launching it goes through (command line, segment
 * mappings, REST): what cannot become the job's parameters is refused here with an
 * {@link InvalidSyncRequestException} naming the field.
 *
 * @param identifierSource where the member's SessionM {@code user_id} is:
 * {@code custom_attribute:NAME} or {@code alias:LABEL} ({@code get_user_offers} takes no
 * external id)
 * @param culture the culture of a member without a language in the export; null for
 * {@code sessionm.connect.culture}
 * @param audience the audience named explicitly; null for the export's Braze segment, and
 * so when it names that segment
 * @param full write every member's wallet, whether it changed or not
 */
public record OfferWalletRequest(StorageLocation export, IdentifierSource identifierSource, @Nullable String culture,
        @Nullable String audience, boolean full) implements ExportJobRequest {

    static final String IDENTIFIER = "identifier";
    static final String CULTURE = "culture";
    static final String AUDIENCE = "audience";
    static final String FULL = "full";

    /**
     * What an audience of this job is named in {@code sync_audience}, before the segment
     * (or the name given): see {@link SyncRequest#WALLET_AUDIENCE_PREFIX}.
     */
    public static final String AUDIENCE_PREFIX = SyncRequest.WALLET_AUDIENCE_PREFIX;

    /**
     * A culture as SessionM's example writes one ({@code en-US}), or a bare language
     * ({@code fr}).
     */
    private static final Pattern CULTURE_PATTERN = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");

    /** The export's wallets, in its own audience, writing only what changed. */
    public OfferWalletRequest(StorageLocation export, IdentifierSource identifierSource) {
        this(export, identifierSource, null, null, false);
    }

    public OfferWalletRequest {
        Objects.requireNonNull(export, "export");
        Objects.requireNonNull(identifierSource, "identifierSource");
        if (!identifierSource.isSessionmUserId()) {
            throw new InvalidSyncRequestException(IDENTIFIER,
                    "get_user_offers takes the SessionM user_id, not an external"
                            + " id: give custom_attribute:NAME or alias:LABEL, where the export holds it");
        }
        problemWithCulture(culture).ifPresent(problem -> {
            throw new InvalidSyncRequestException(CULTURE, problem);
        });
        if (audience != null) {
            String problem = SyncRequest.problemWithAudience(audience).orElse(null);
            if (problem == null
                    && AUDIENCE_PREFIX.length() + audience.length() > SyncRequest.MAX_AUDIENCE_NAME_LENGTH) {
                problem = "an audience of offer wallets is named in at most "
                        + (SyncRequest.MAX_AUDIENCE_NAME_LENGTH - AUDIENCE_PREFIX.length()) + " characters";
            }
            if (problem != null) {
                throw new InvalidSyncRequestException(AUDIENCE, problem);
            }
            if (audience.equals(SyncRequest.segmentIdOf(export))) {
                audience = null;
            }
        }
        if (export.uri().length() > SyncRequest.MAX_PARAMETER_LENGTH) {
            throw new InvalidSyncRequestException(EXPORT_PARAMETER, "takes " + export.uri().length()
                    + " characters; a job parameter holds at most " + SyncRequest.MAX_PARAMETER_LENGTH);
        }
    }

    /**
     * Why {@code culture} cannot be sent as a wallet read's {@code culture}; empty when
     * it can (or is null).
     */
    public static Optional<String> problemWithCulture(@Nullable String culture) {
        return culture != null && (culture.length() > 35 || !CULTURE_PATTERN.matcher(culture).matches())
                ? Optional.of("not a culture such as en-US or fr-CA") : Optional.empty();
    }

    @Override
    public String jobName() {
        return OfferWalletJobConfiguration.JOB_NAME;
    }

    @Override
    public String dryRunJobName() {
        return OfferWalletJobConfiguration.DRY_RUN_JOB_NAME;
    }

    @Override
    public String identifyingSettings() {
        return "settings (identifier, culture or audience)";
    }

    /** The Braze segment id when the export sits in Braze's layout, else null. */
    public @Nullable String segmentId() {
        return SyncRequest.segmentIdOf(export);
    }

    /**
     * The audience of this run in {@code sync_audience}: {@value #AUDIENCE_PREFIX} and
     * the name given, else the export's Braze segment; null for an export outside Braze's
     * layout with none named, whose every wallet is written.
     */
    @Override
    public @Nullable String audienceName() {
        String name = audience != null ? audience : segmentId();
        return name == null ? null : AUDIENCE_PREFIX + name;
    }

    @Override
    public Optional<Instant> exportRequestedAt() {
        return BrazeExportFolder.of(export).map(BrazeExportFolder::requestedAt);
    }

    /**
     * All identifying; {@code culture}, {@code audience} and {@code full} only when
     * given.
     */
    @Override
    public JobParameters toJobParameters() {
        JobParametersBuilder builder = new JobParametersBuilder();
        parameterTexts().forEach((name, value) -> builder.addString(name, value, true));
        return builder.toJobParameters();
    }

    private Map<String, String> parameterTexts() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(EXPORT_PARAMETER, export.uri());
        parameters.put(IDENTIFIER, identifierSource.text());
        if (culture != null) {
            parameters.put(CULTURE, culture);
        }
        if (audience != null) {
            parameters.put(AUDIENCE, audience);
        }
        if (full) {
            parameters.put(FULL, "true");
        }
        return parameters;
    }

    public static OfferWalletRequest fromJobParameters(JobParameters parameters) {
        return new OfferWalletRequest(ExportJobRequest.exportOf(parameters),
                IdentifierSource.parse(parameters.getString(IDENTIFIER)), parameters.getString(CULTURE),
                parameters.getString(AUDIENCE), "true".equals(parameters.getString(FULL)));
    }

    /** A short description for logs and summaries. */
    @Override
    public String describe() {
        return export.uri() + " offer wallets, identifier=" + identifierSource.text()
                + (culture == null ? "" : " culture=" + culture) + (audience == null ? "" : " audience=" + audience)
                + (full ? " full" : "");
    }
}
