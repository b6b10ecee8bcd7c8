package com.loyaltybridge.tagsync.console;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.api.ExecutionQueries;
import com.loyaltybridge.tagsync.scan.ExportDiscovery;
import com.loyaltybridge.tagsync.scan.ScanSettings;
import com.loyaltybridge.tagsync.scan.SegmentExport;
import com.loyaltybridge.tagsync.scan.SegmentMapping;

/**
 * The Segments page from the segment mappings: each mapping's settings, the exports found under the export roots
 * (newest first) with whether each is complete, as a scan judges it ({@link ExportDiscovery}), and what its sync with
 * the mapping's settings did ({@link ExecutionQueries#latestExecutionOf}).
 */
@Component
@ConditionalOnWebApplication
class SegmentMappingsOverview {

    private static final Logger log = LoggerFactory.getLogger(SegmentMappingsOverview.class);
    private static final DateTimeFormatter REQUESTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final ScanSettings settings;
    private final ExportDiscovery discovery;
    private final ExecutionQueries queries;

    SegmentMappingsOverview(ScanSettings settings, ExportDiscovery discovery, ExecutionQueries queries) {
        this.settings = settings;
        this.discovery = discovery;
        this.queries = queries;
    }

    SegmentsView view() {
        List<SegmentsView.Segment> segments = new ArrayList<>();
        for (SegmentMapping mapping : settings.segments()) {
            segments.add(segment(mapping));
        }
        return new SegmentsView(segments, String.join(", ", settings.exportRoots()));
    }

    /** The exports of one mapped segment, newest first; empty for a segment that is not mapped. */
    Optional<SegmentsView.Segment> segment(String segmentId) {
        return settings.segment(segmentId).map(this::segment);
    }

    private SegmentsView.Segment segment(SegmentMapping mapping) {
        List<SegmentsView.Export> exports = new ArrayList<>();
        String problem = null;
        try {
            List<SegmentExport> found = new ArrayList<>(discovery.exportsOf(mapping.segmentId()));
            found.sort(SegmentExport.OLDEST_FIRST.reversed());
            for (SegmentExport export : found) {
                exports.add(export(mapping, export));
            }
        } catch (RuntimeException e) {
            // One unreadable root or segment must not hide the others.
            log.warn("Could not list the exports of segment {}: {}", mapping.segmentId(), e.getMessage());
            problem = "its exports could not be listed: " + e.getMessage();
        }
        SegmentsView.Export lastSynced = exports.stream().filter(export -> export.sync().css().equals("status-completed"))
                .findFirst().orElse(null);
        return new SegmentsView.Segment(mapping.segmentId(), mapping.tags(),
                mapping.ttl() == null ? "none (counter tags)" : Formats.count(mapping.ttl()) + " s",
                mapping.mode(), mapping.identifier(), mapping.output() == null ? "bulk-file.output" : mapping.output(), exports,
                lastSynced, problem);
    }

    private SegmentsView.Export export(SegmentMapping mapping, SegmentExport export) {
        Optional<JobExecution> latest = queries.latestExecutionOf(mapping.requestFor(export.folder()));
        String complete;
        if (latest.isPresent()) {
            complete = "complete";
        } else {
            ExportDiscovery.Completeness completeness = discovery.completenessOf(export);
            complete = completeness.complete() ? "complete" : completeness.newestObject() == null ? "not complete: no object yet"
                    : "not complete yet: newest object written " + REQUESTED.format(completeness.newestObject().truncatedTo(ChronoUnit.MINUTES));
        }
        StatusLook sync = latest.map(execution -> StatusLook.of(execution.getStatus().name(), false))
                .orElse(new StatusLook("not synced", "·", "status-none"));
        return new SegmentsView.Export(export.name(), export.date().toString(), REQUESTED.format(export.requestedAt()),
                export.folder().uri(), complete, sync, latest.map(JobExecution::getId).orElse(null));
    }
}
