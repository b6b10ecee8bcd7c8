package com.loyaltybridge.tagsync.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.api.AudienceView;
import com.loyaltybridge.tagsync.api.Audiences;
import com.loyaltybridge.tagsync.api.ExecutionQueries;
import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.scan.ExportScanner;
import com.loyaltybridge.tagsync.scan.ExportScanner.Standing;
import com.loyaltybridge.tagsync.scan.ExportScanner.SurveyedExport;
import com.loyaltybridge.tagsync.scan.ScanSettings;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.wallet.OfferWalletRequest;

/**
 * The Audiences page from three sources, each the one the rest of the product uses: the
 * audiences as the REST API shows them ({@link Audiences}), the exports of each mapped
 * segment as a scan judges them ({@link ExportScanner#survey}), and the newest execution
 * of each segment ({@link ExecutionQueries#executions}).
 */
@Component
@ConditionalOnWebApplication
class AudiencesOverview {

    private static final Logger log = LoggerFactory.getLogger(AudiencesOverview.class);

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
        .withZone(ZoneOffset.UTC);

    private final ScanSettings settings;

    private final ExportScanner scanner;

    private final Audiences audiences;

    private final ExecutionQueries queries;

    /**
     * An audience of offer wallets has no refresh waves: every run reads every wallet.
     */
    private static final String WALLETS_REFRESH = "none: every run reads every wallet";

    AudiencesOverview(ScanSettings settings, ExportScanner scanner, Audiences audiences, ExecutionQueries queries) {
        this.settings = settings;
        this.scanner = scanner;
        this.audiences = audiences;
        this.queries = queries;
    }

    AudiencesView view() {
        Map<String, AudienceView> known = audiences.all()
            .stream()
            .collect(Collectors.toMap(AudiencesOverview::key, Function.identity(), (a, b) -> a));
        List<AudiencesView.Audience> rows = new ArrayList<>();
        // Mappings of kind offers feed the offers job: their audiences' members hold
        // wallets, not tags.
        for (SegmentMapping mapping : settings.segments()) {
            String identifier = IdentifierSource.parse(mapping.identifier()).text();
            rows.add(mapping.mappingKind() == SegmentMapping.Kind.TAGS ? audience(mapping, known.remove(key(mapping)))
                    : walletAudience(mapping, identifier, known
                        .remove(OfferWalletRequest.AUDIENCE_PREFIX + mapping.segmentId() + "\n" + identifier)));
        }
        for (AudienceView audience : known.values()) {
            rows.add(audience(null, audience));
        }
        rows.sort(Comparator.comparing(AudiencesView.Audience::name).thenComparing(AudiencesView.Audience::identifier));
        return new AudiencesView(rows, String.join(", ", settings.exportRoots()));
    }

    /**
     * A mapped segment with its audience and exports; empty for a segment that is not
     * mapped.
     */
    Optional<AudiencesView.Audience> mapped(String segmentId) {
        return mapped(segmentId, SegmentMapping.Kind.TAGS);
    }

    /**
     * A segment's mapping of {@code kind} with its audience and exports; empty when the
     * segment has none of that kind. An offers mapping's audience is
     * {@code offers:SEGMENT}, and its settings are the offers job's; its members hold
     * wallets, not tags, so no member count nor TTL refresh is shown for it.
     */
    Optional<AudiencesView.Audience> mapped(String segmentId, SegmentMapping.Kind kind) {
        return settings.segment(segmentId, kind).map(mapping -> {
            String identifier = IdentifierSource.parse(mapping.identifier()).text();
            if (kind == SegmentMapping.Kind.TAGS) {
                return audience(mapping, audiences.find(mapping.segmentId(), identifier).orElse(null));
            }
            return walletAudience(mapping, identifier,
                    audiences.find(OfferWalletRequest.AUDIENCE_PREFIX + mapping.segmentId(), identifier).orElse(null));
        });
    }

    private AudiencesView.Audience walletAudience(SegmentMapping mapping, String identifier, AudienceView audience) {
        Exports exports = exportsOf(mapping);
        List<AudiencesView.Setting> settings = new ArrayList<>();
        settings.add(new AudiencesView.Setting("Identifier", identifier));
        settings.add(new AudiencesView.Setting("Culture",
                mapping.culture() == null ? "sessionm.connect.culture" : mapping.culture()));
        if (mapping.full()) {
            settings.add(new AudiencesView.Setting("Full", "every wallet is written, changed or not"));
        }
        return new AudiencesView.Audience(OfferWalletRequest.AUDIENCE_PREFIX + mapping.segmentId(), mapping.segmentId(),
                identifier, audience == null ? null : audience.id(), true, settings,
                audience == null ? "none yet" : Formats.count(audience.members()),
                audience == null || audience.lastExport() == null ? null : exportName(audience.lastExport()),
                audience == null ? null : audience.lastExecutionId(),
                audience == null || audience.lastSyncedAt() == null ? null : MINUTE.format(audience.lastSyncedAt()),
                lastRun(mapping.segmentId(), SegmentMapping.Kind.OFFERS), WALLETS_REFRESH, "0", exports.exports(),
                exports.problem());
    }

    /**
     * A mapped segment's exports, newest first, as a scan judges them.
     *
     * @param problem why they could not be listed; null when they were
     */
    private record Exports(List<AudiencesView.Export> exports, String problem) {
    }

    private Exports exportsOf(SegmentMapping mapping) {
        List<AudiencesView.Export> exports = new ArrayList<>();
        try {
            List<SurveyedExport> surveyed = new ArrayList<>(scanner.survey(mapping));
            Collections.reverse(surveyed);
            surveyed.forEach(export -> exports.add(export(export)));
            return new Exports(exports, null);
        }
        catch (RuntimeException e) {
            // One unreadable root or segment must not hide the others.
            log.warn("Could not list the exports of segment {}: {}", mapping.segmentId(), e.getMessage());
            return new Exports(exports, "its exports could not be listed: " + e.getMessage());
        }
    }

    /**
     * An audience is its name and where its identifiers come from; a mapping's is its
     * segment's, by default.
     */
    private static String key(AudienceView audience) {
        return audience.name() + "\n" + audience.identifier();
    }

    private static String key(SegmentMapping mapping) {
        return mapping.segmentId() + "\n" + IdentifierSource.parse(mapping.identifier()).text();
    }

    private AudiencesView.Audience audience(SegmentMapping mapping, AudienceView audience) {
        if (mapping == null && SegmentMapping.Kind.OFFERS.text().equals(audience.kind())) {
            return new AudiencesView.Audience(audience.name(), audience.segmentId(), audience.identifier(),
                    audience.id(), false, List.of(new AudiencesView.Setting("Kind", "offer wallets")),
                    Formats.count(audience.members()),
                    audience.lastExport() == null ? null : exportName(audience.lastExport()),
                    audience.lastExecutionId(),
                    audience.lastSyncedAt() == null ? null : MINUTE.format(audience.lastSyncedAt()),
                    audience.segmentId() == null ? null : lastRun(audience.segmentId(), SegmentMapping.Kind.OFFERS),
                    WALLETS_REFRESH, "0", List.of(), null);
        }
        String name = audience != null ? audience.name() : mapping.segmentId();
        String segmentId = audience != null ? audience.segmentId() : mapping.segmentId();
        String identifier = audience != null ? audience.identifier()
                : IdentifierSource.parse(mapping.identifier()).text();
        Exports exports = mapping == null ? new Exports(List.of(), null) : exportsOf(mapping);
        Long ttl = mapping != null ? mapping.ttl() : audience.ttl();
        List<AudiencesView.Setting> settings = new ArrayList<>();
        settings.add(new AudiencesView.Setting("Tags",
                String.join(", ", mapping != null ? mapping.tags() : audience.tags())));
        settings.add(new AudiencesView.Setting("TTL", ttl == null ? "none (counter tags)" : Formats.count(ttl) + " s"));
        settings.add(new AudiencesView.Setting("Identifier", identifier));
        if (mapping != null) {
            settings.add(new AudiencesView.Setting("Mode", mapping.mode()));
            settings.add(new AudiencesView.Setting("Bulk file output",
                    mapping.output() == null ? "bulk-file.output" : mapping.output()));
            if (mapping.full()) {
                settings.add(new AudiencesView.Setting("Full",
                        "every export is sent to every member (counter tags go up for all)"));
            }
        }
        String nextRefresh;
        if (audience == null) {
            nextRefresh = "none yet: no member";
        }
        else if (ttl == null) {
            nextRefresh = "none: counter tags are never refreshed";
        }
        else if (audience.ttl() == null) {
            // Its members' expiries count from the TTL of its last completed sync.
            nextRefresh = "not known until a sync of it completes";
        }
        else if (audience.nextRefreshAt() == null) {
            nextRefresh = "none: no member holds an expiring tag";
        }
        else {
            nextRefresh = MINUTE.format(audience.nextRefreshAt())
                    + (audience.nextRefreshAt().isBefore(Instant.now()) ? " (due)" : "");
        }
        return new AudiencesView.Audience(name, segmentId, identifier, audience == null ? null : audience.id(),
                mapping != null, settings, audience == null ? "none yet" : Formats.count(audience.members()),
                audience == null || audience.lastExport() == null ? null : exportName(audience.lastExport()),
                audience == null ? null : audience.lastExecutionId(),
                audience == null || audience.lastSyncedAt() == null ? null : MINUTE.format(audience.lastSyncedAt()),
                segmentId == null ? null : lastRun(segmentId, SegmentMapping.Kind.TAGS), nextRefresh,
                audience == null ? "0" : Formats.count(audience.refreshDue()), exports.exports(), exports.problem());
    }

    /** The newest execution of the segment's runs of {@code kind}. */
    private AudiencesView.LastRun lastRun(String segmentId, SegmentMapping.Kind kind) {
        return queries.executions(new ExecutionQueries.ExecutionFilter(segmentId, null, null, null, kind), 0, 1)
            .items()
            .stream()
            .findFirst()
            .map(row -> new AudiencesView.LastRun(row.id(), StatusLook.of(row.status(), false),
                    row.dryRun() ? "dry run" : row.offers() ? "run of offer wallets" : "sync",
                    Formats.time(row.startTime() != null ? row.startTime() : row.createTime())))
            .orElse(null);
    }

    /** {@code 2026-11-28/UUID-EPOCH} of an export folder's location. */
    private static String exportName(String location) {
        String[] parts = location.replaceAll("/+$", "").split("/");
        return parts.length < 2 ? location : parts[parts.length - 2] + " " + parts[parts.length - 1];
    }

    private static AudiencesView.Export export(SurveyedExport surveyed) {
        JobExecution last = surveyed.last();
        StatusLook standing = switch (surveyed.standing()) {
            case SYNCED -> new StatusLook("synced", "✓", "status-completed");
            case NEXT -> new StatusLook("next to sync", "→", "status-running");
            case SUPERSEDED -> new StatusLook("superseded", "⊘", "status-abandoned");
            case NOT_COMPLETE -> new StatusLook("not complete", "…", "status-none");
        };
        StatusLook sync = last == null ? new StatusLook("not synced", "·", "status-none")
                : StatusLook.of(last.getStatus().name(), false);
        return new AudiencesView.Export(surveyed.export().name(), surveyed.export().date().toString(),
                MINUTE.format(surveyed.export().requestedAt()), surveyed.export().folder().uri(), standing,
                surveyed.standing() == Standing.SUPERSEDED || surveyed.standing() == Standing.NOT_COMPLETE
                        ? surveyed.detail() : null,
                sync, last == null ? null : last.getId());
    }

}
