package com.loyaltybridge.tagsync.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.ledger.MemberTagStatus;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository.Member;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberWalletRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository.Audience;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.sync.SyncSettings;
import com.loyaltybridge.tagsync.wallet.OfferWalletRequest;

/**
 * The audiences and their members as the API and the console show them, read through the
 * ledger's repositories; an unknown id is a 404.
 */
@Component
@ConditionalOnWebApplication
public class Audiences {

    private final SyncAudienceRepository audiences;

    private final SyncAudienceMemberTagRepository memberTags;

    private final JobRepository jobRepository;

    private final SyncSettings settings;

    private final SyncAudienceMemberWalletRepository memberWallets;

    Audiences(SyncAudienceRepository audiences, SyncAudienceMemberTagRepository memberTags, JobRepository jobRepository,
            SyncSettings settings, SyncAudienceMemberWalletRepository memberWallets) {
        this.memberWallets = memberWallets;
        this.audiences = audiences;
        this.memberTags = memberTags;
        this.jobRepository = jobRepository;
        this.settings = settings;
    }

    /** Every audience, by name. */
    public List<AudienceView> all() {
        return audiences.all().stream().map(this::view).toList();
    }

    /**
     * The audience of that name whose identifiers come from {@code identifierSource}, if
     * it exists.
     */
    public Optional<AudienceView> find(String name, String identifierSource) {
        return audiences.find(name, identifierSource).map(this::view);
    }

    ApiPage<AudienceView> list(int page, int size) {
        return new ApiPage<>(audiences.page(size, (long) page * size).stream().map(this::view).toList(), page, size,
                audiences.count());
    }

    AudienceView view(long id) {
        return view(get(id));
    }

    ApiPage<Member> members(long id, MemberTagStatus state, int page, int size) {
        Audience audience = get(id);
        if (isOfWallets(audience)) {
            throw ApiProblem.conflict("audience " + id + " is one of offer wallets: its members hold no tags;"
                    + " its runs are listed by /api/executions?kind=offers");
        }
        long audienceId = audience.id();
        return new ApiPage<>(memberTags.members(audienceId, state, size, (long) page * size), page, size,
                memberTags.memberCount(audienceId, state));
    }

    private Audience get(long id) {
        return audiences.byId(id).orElseThrow(() -> ApiProblem.notFound("no audience " + id));
    }

    /**
     * Whether {@code audience} is one of the offers job: the job names its audiences so,
     * apart from the tag audience of the same segment.
     */
    private static boolean isOfWallets(Audience audience) {
        return audience.name().startsWith(OfferWalletRequest.AUDIENCE_PREFIX);
    }

    private AudienceView view(Audience audience) {
        if (isOfWallets(audience)) {
            return new AudienceView(audience.id(), audience.name(), audience.segmentId(), audience.identifierSource(),
                    List.of(), null, memberWallets.memberCount(audience.id()), audience.lastExport(),
                    audience.lastExportRequestedAt(), audience.lastJobInstanceId(),
                    lastExecutionOf(audience.lastJobInstanceId()).map(JobExecution::getId).orElse(null),
                    audience.lastSyncedAt(), null, 0, null, SegmentMapping.Kind.OFFERS.text());
        }
        Long refreshBefore = settings.refreshBeforeSeconds(audience.lastTtlSeconds());
        Instant nextRefresh = refreshBefore == null ? null
                : memberTags.firstExpiry(audience.id()).map(expiry -> expiry.minusSeconds(refreshBefore)).orElse(null);
        long refreshDue = refreshBefore == null ? 0
                : memberTags.refreshDueCount(audience.id(), Instant.now().plusSeconds(refreshBefore));
        return new AudienceView(audience.id(), audience.name(), audience.segmentId(), audience.identifierSource(),
                audience.lastTags() == null ? List.of() : List.of(audience.lastTags().split(",")),
                audience.lastTtlSeconds(), memberTags.memberCount(audience.id()), audience.lastExport(),
                audience.lastExportRequestedAt(), audience.lastJobInstanceId(),
                lastExecutionOf(audience.lastJobInstanceId()).map(JobExecution::getId).orElse(null),
                audience.lastSyncedAt(), nextRefresh, refreshDue, audience.seededFromJobInstanceId(),
                SegmentMapping.Kind.TAGS.text());
    }

    private Optional<JobExecution> lastExecutionOf(Long jobInstanceId) {
        if (jobInstanceId == null) {
            return Optional.empty();
        }
        JobInstance instance = jobRepository.getJobInstance(jobInstanceId);
        return instance == null ? Optional.empty() : Optional.ofNullable(jobRepository.getLastJobExecution(instance));
    }

}
