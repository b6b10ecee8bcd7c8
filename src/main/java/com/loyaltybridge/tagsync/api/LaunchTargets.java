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
import com.loyaltybridge.tagsync.sync.InvalidSyncRequestException;
import com.loyaltybridge.tagsync.sync.SyncMode;
import com.loyaltybridge.tagsync.launch.SyncPreconditions;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.text.UntrustedText;

/**
 * Turns a {@link LaunchRequest} into the sync it asks for, or a 400 naming the field at
 * fault. The export must be an export folder directly under one of
 * {@code scan.export-roots}, and in a {@code file:} root its real path must stay inside
 * the root: no caller can point a sync at another bucket, another prefix, a URL or,
 * through a symbolic link, another directory.
 */
@Component
@ConditionalOnWebApplication
public class LaunchTargets {

    private final ScanSettings settings;

    private final ExportDiscovery discovery;

    private final SyncPreconditions preconditions;

    private final ObjectStore store;

    LaunchTargets(ScanSettings settings, ExportDiscovery discovery, SyncPreconditions preconditions,
            ObjectStore store) {
        this.settings = settings;
        this.discovery = discovery;
        this.preconditions = preconditions;
        this.store = store;
    }

    public SyncRequest resolve(LaunchRequest launch) {
        if (launch.tags() == null && (launch.ttl() != null || launch.mode() != null || launch.identifier() != null)) {
            throw ApiProblem.invalid("tags",
                    "ttl, mode and identifier go with tags; leave all out to use the segment's mapping");
        }
        if (launch.segment() != null) {
            SegmentMapping.problemWithSegmentId(launch.segment()).ifPresent(problem -> {
                throw ApiProblem.invalid("segment", problem);
            });
        }
        SegmentExport export = launch.export() != null ? exportAt(launch.export()) : newestOf(launch.segment());
        if (launch.segment() != null && !launch.segment().equals(export.segmentId())) {
            throw ApiProblem.invalid("segment", "the export belongs to segment " + export.segmentId() + ", not "
                    + UntrustedText.quote(launch.segment()));
        }
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

    private SegmentExport newestOf(String segmentId) {
        if (segmentId == null) {
            throw ApiProblem.invalid("export", "give export (an export folder) or segment (a configured segment id)");
        }
        if (settings.segment(segmentId).isEmpty()) {
            throw ApiProblem.invalid("segment", "segment " + UntrustedText.quote(segmentId) + " is not configured");
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
