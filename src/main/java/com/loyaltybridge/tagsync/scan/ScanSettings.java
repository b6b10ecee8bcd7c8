package com.loyaltybridge.tagsync.scan;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import com.loyaltybridge.tagsync.storage.ExportRoots;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * Which exports a scan (and the REST API) may sync, and when: the segment mappings,
 * usually from the file mounted from the ConfigMap ({@code spring.config.import}).
 *
 * @param exportRoots where Braze writes exports: {@code s3://bucket/} (or
 * {@code file:/dir/}), each holding {@code segment-export/SEGMENT_ID/DATE/UUID-EPOCH/};
 * nothing outside them is ever read, not even through a symbolic link in a {@code file:}
 * one
 * @param settleTime an export counts as complete once its newest object is this old
 * (Braze writes no marker), or as soon as its completion callback came
 * @param maxAttempts executions of one sync a scan makes before it leaves a failing sync
 * to a person
 * @param segments the segment mappings; a segment has at most one of each kind
 */
@ConfigurationProperties("scan")
public record ScanSettings(@DefaultValue List<String> exportRoots, @DefaultValue("10m") Duration settleTime,
        @DefaultValue("3") int maxAttempts, @DefaultValue List<SegmentMapping> segments) implements ExportRoots {

    public ScanSettings {
        exportRoots.forEach(StorageLocation::parse);
        if (settleTime.isNegative()) {
            throw new IllegalArgumentException("scan.settle-time must not be negative");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("scan.max-attempts must be at least 1");
        }
        Set<String> ids = new HashSet<>();
        for (SegmentMapping segment : segments) {
            if (!ids.add(segment.segmentId() + "|" + segment.mappingKind())) {
                throw new IllegalArgumentException("segment " + segment.segmentId() + " is mapped twice"
                        + (segment.mappingKind() == SegmentMapping.Kind.OFFERS ? " for offers" : ""));
            }
        }
    }

    @Override
    public List<StorageLocation> roots() {
        return exportRoots.stream().map(StorageLocation::parse).toList();
    }

    /**
     * The segment's mapping of kind {@code tags}: the one the REST API and Braze's
     * callback launch.
     */
    public Optional<SegmentMapping> segment(String segmentId) {
        return segment(segmentId, SegmentMapping.Kind.TAGS);
    }

    /** The segment's mapping of {@code kind}. */
    public Optional<SegmentMapping> segment(String segmentId, SegmentMapping.Kind kind) {
        return segments.stream().filter(s -> s.segmentId().equals(segmentId) && s.mappingKind() == kind).findFirst();
    }

    /** The segment's mappings, tags first. */
    public List<SegmentMapping> mappingsOf(String segmentId) {
        return segments.stream()
            .filter(s -> s.segmentId().equals(segmentId))
            .sorted(java.util.Comparator.comparing(SegmentMapping::mappingKind))
            .toList();
    }
}
