package com.loyaltybridge.tagsync.api;

import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.scan.ExportDiscovery;
import com.loyaltybridge.tagsync.scan.ScanSettings;
import com.loyaltybridge.tagsync.scan.SegmentExport;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.ObjectUnavailableException;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.sync.ExportJobRequest;
import com.loyaltybridge.tagsync.sync.InvalidSyncRequestException;
import com.loyaltybridge.tagsync.sync.SyncMode;
import com.loyaltybridge.tagsync.launch.SyncPreconditions;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.text.UntrustedText;
import com.loyaltybridge.tagsync.wallet.OfferWalletPreconditions;
import com.loyaltybridge.tagsync.wallet.OfferWalletRequest;

/**
 * Turns a {@link LaunchRequest} into the run it asks for (a tag sync, or the offers job),
 * or a 400 naming the field at fault. The export must be an export folder directly under
 * one of {@code scan.export-roots}, and in a {@code file:} root its real path must stay
 * inside the root: no caller can point a sync at another bucket, another prefix, a URL
 * or, through a symbolic link, another directory.
 */
@Component
@ConditionalOnWebApplication
public class LaunchTargets {

    private final ScanSettings settings;

    private final ExportDiscovery discovery;

    private final SyncPreconditions preconditions;

    private final ObjectStore store;

    private final OfferWalletPreconditions walletPreconditions;

    LaunchTargets(ScanSettings settings, ExportDiscovery discovery, SyncPreconditions preconditions, ObjectStore store,
            OfferWalletPreconditions walletPreconditions) {
        this.walletPreconditions = walletPreconditions;
        this.settings = settings;
        this.discovery = discovery;
        this.preconditions = preconditions;
        this.store = store;
    }

    /**
     * The run {@code launch} asks for: a tag sync ({@link SyncRequest}) or, with
     * {@code kind} {@code offers}, the offers job ({@link OfferWalletRequest}).
     */
    public ExportJobRequest resolve(LaunchRequest launch) {
        SegmentMapping.Kind kind = parse("kind",
                () -> launch.kind() == null ? SegmentMapping.Kind.TAGS : SegmentMapping.Kind.parse(launch.kind()));
        return kind == SegmentMapping.Kind.OFFERS ? resolveOffers(launch) : resolveSync(launch);
    }

    /** The tag sync {@code launch} asks for (its {@code kind} is {@code tags}). */
    public SyncRequest resolveSync(LaunchRequest launch) {
        if (launch.culture() != null) {
            throw ApiProblem.invalid("culture", "culture goes with kind offers");
        }
        if (launch.tags() == null && (launch.ttl() != null || launch.mode() != null || launch.identifier() != null)) {
            throw ApiProblem.invalid("tags",
                    "ttl, mode and identifier go with tags; leave all out to use the segment's mapping");
        }
        if (launch.segment() != null) {
            SegmentMapping.problemWithSegmentId(launch.segment()).ifPresent(problem -> {
                throw ApiProblem.invalid("segment", problem);
            });
        }
        SegmentExport export = exportOf(launch, SegmentMapping.Kind.TAGS);
        Optional<SegmentMapping> mapping = settings.segment(export.segmentId());
        SyncRequest request;
        try {
            request = launch.tags() != null ? explicit(launch, export, mapping) : mapping
                .map(m -> m.requestFor(export.folder()))
                .orElseThrow(() -> ApiProblem.invalid("tags",
                        "segment " + export.segmentId() + " has no mapping: give tags (and ttl, mode, identifier)"));
            if (launch.audience() != null) {
                request = request.withAudience(launch.audience());
            }
            if (launch.full() != null) {
                request = request.withFull(launch.full());
            }
        }
        catch (InvalidSyncRequestException e) {
            throw ApiProblem.invalid(e.field(), e.reason());
        }
        if (!isDryRun(launch)) {
            // A dry run calls no one and writes no bulk file: it needs neither
            // credentials nor an output.
            preconditions.problemWith(request).ifPresent(problem -> {
                throw ApiProblem.invalid("mode", problem);
            });
        }
        return request;
    }

    /**
     * The offers job {@code launch} asks for: the segment's mapping of kind
     * {@code offers}, or the identifier (and culture) given.
     */
    private OfferWalletRequest resolveOffers(LaunchRequest launch) {
        if (launch.tags() != null || launch.ttl() != null || launch.mode() != null) {
            throw ApiProblem.invalid(launch.tags() != null ? "tags" : launch.ttl() != null ? "ttl" : "mode",
                    "tags, ttl and mode go with kind tags, not offers");
        }
        if (launch.identifier() == null && launch.culture() != null) {
            throw ApiProblem.invalid("culture",
                    "culture goes with identifier; leave both out to use the segment's offers mapping");
        }
        if (launch.segment() != null) {
            SegmentMapping.problemWithSegmentId(launch.segment()).ifPresent(problem -> {
                throw ApiProblem.invalid("segment", problem);
            });
        }
        SegmentExport export = exportOf(launch, SegmentMapping.Kind.OFFERS);
        OfferWalletRequest request;
        try {
            if (launch.identifier() != null) {
                IdentifierSource identifier = parse("identifier", () -> IdentifierSource.parse(launch.identifier()));
                request = new OfferWalletRequest(export.folder(), identifier, launch.culture(), launch.audience(),
                        Boolean.TRUE.equals(launch.full()));
            }
            else {
                OfferWalletRequest mapped = (OfferWalletRequest) settings
                    .segment(export.segmentId(), SegmentMapping.Kind.OFFERS)
                    .orElseThrow(() -> ApiProblem.invalid("identifier",
                            "segment " + export.segmentId()
                                    + " has no offers mapping: give identifier (custom_attribute:NAME or alias:LABEL)"))
                    .jobRequestFor(export.folder());
                request = new OfferWalletRequest(mapped.export(), mapped.identifierSource(), mapped.culture(),
                        launch.audience(), launch.full() != null ? launch.full() : mapped.full());
            }
        }
        catch (InvalidSyncRequestException e) {
            throw ApiProblem.invalid(e.field(), e.reason());
        }
        walletPreconditions.problemWith(isDryRun(launch)).ifPresent(problem -> {
            throw ApiProblem.invalid("kind", problem);
        });
        return request;
    }

    /**
     * The export {@code launch} names, or the newest complete one of its segment, which
     * must have a mapping of {@code kind}.
     */
    private SegmentExport exportOf(LaunchRequest launch, SegmentMapping.Kind kind) {
        SegmentExport export = launch.export() != null ? exportAt(launch.export()) : newestOf(launch.segment(), kind);
        if (launch.segment() != null && !launch.segment().equals(export.segmentId())) {
            throw ApiProblem.invalid("segment", "the export belongs to segment " + export.segmentId() + ", not "
                    + UntrustedText.quote(launch.segment()));
        }
        return export;
    }

    static boolean isDryRun(LaunchRequest launch) {
        return Boolean.TRUE.equals(launch.dryRun());
    }

    /**
     * The export at {@code location}, when it is one under an export root that can be
     * read there.
     */
    public SegmentExport exportAt(String location) {
        StorageLocation folder;
        try {
            folder = StorageLocation.parse(location);
        }
        catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("export", e.getMessage());
        }
        SegmentExport export = SegmentExport.locate(folder, settings.roots())
            .orElseThrow(() -> ApiProblem.invalid("export",
                    UntrustedText.quote(folder.uri(), StorageLocation.MAX_LENGTH) + " is not an export folder"
                            + " (ROOT/segment-export/SEGMENT_ID/YYYY-MM-dd/UUID-EPOCH/) under the export roots "
                            + settings.exportRoots()));
        try {
            store.checkConfined(export.folder());
        }
        catch (ObjectUnavailableException e) {
            throw ApiProblem.invalid("export", e.getMessage());
        }
        return export;
    }

    private SegmentExport newestOf(String segmentId, SegmentMapping.Kind kind) {
        if (segmentId == null) {
            throw ApiProblem.invalid("export", "give export (an export folder) or segment (a configured segment id)");
        }
        if (settings.segment(segmentId, kind).isEmpty()) {
            throw ApiProblem.invalid("segment", "segment " + UntrustedText.quote(segmentId) + " is not configured"
                    + (kind == SegmentMapping.Kind.OFFERS ? " for offers" : ""));
        }
        return discovery.newestComplete(segmentId)
            .orElseThrow(() -> ApiProblem.notFound("segment " + segmentId + " has no complete export yet"));
    }

    private static SyncRequest explicit(LaunchRequest launch, SegmentExport export, Optional<SegmentMapping> mapping) {
        if (launch.ttl() != null && (launch.ttl() < 1 || launch.ttl() > Integer.MAX_VALUE)) {
            throw ApiProblem.invalid("ttl", "not a number of seconds between 1 and " + Integer.MAX_VALUE);
        }
        SyncMode mode = parse("mode", () -> launch.mode() == null ? SyncMode.AUTO : SyncMode.parse(launch.mode()));
        IdentifierSource identifier = parse("identifier", () -> launch.identifier() == null
                ? IdentifierSource.EXTERNAL_ID : IdentifierSource.parse(launch.identifier()));
        StorageLocation output = mapping.map(SegmentMapping::output).map(StorageLocation::parse).orElse(null);
        return new SyncRequest(export.folder(), launch.tags(), launch.ttl(), mode, identifier, output);
    }

    private static <T> T parse(String field, Supplier<T> parser) {
        try {
            return parser.get();
        }
        catch (IllegalArgumentException e) {
            throw ApiProblem.invalid(field, e.getMessage());
        }
    }

}
