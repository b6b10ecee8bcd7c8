package com.loyaltybridge.tagsync.scan;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Optional;

import com.loyaltybridge.tagsync.brazeexport.BrazeExportFolder;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * One export folder of a segment, in Braze's layout under an export root:
 * {@code ROOT/segment-export/SEGMENT_ID/YYYY-MM-dd/UUID-EPOCH/}.
 *
 * @param requestedAt the EPOCH of the folder name: when the export was requested
 */
public record SegmentExport(StorageLocation root, String segmentId, LocalDate date, String name, Instant requestedAt) {

    /** Oldest request first; the date folder and the name only break ties. */
    public static final Comparator<SegmentExport> OLDEST_FIRST = Comparator.comparing(SegmentExport::requestedAt)
        .thenComparing(SegmentExport::date)
        .thenComparing(SegmentExport::name);

    /**
     * Whether {@code name} is the name of an export folder in Braze's layout,
     * {@code UUID-EPOCH}.
     */
    public static boolean isExportName(String name) {
        return BrazeExportFolder.isExportName(name);
    }

    /**
     * The export named {@code name} in the date folder {@code date}; empty when the names
     * are not Braze's.
     */
    static Optional<SegmentExport> of(StorageLocation root, String segmentId, String date, String name) {
        return BrazeExportFolder.of(segmentId, date, name)
            .map(folder -> new SegmentExport(root, segmentId, folder.date(), name, folder.requestedAt()));
    }

    /**
     * The export {@code folder} is, when it is an export folder directly under one of
     * {@code roots}; empty for any other location (another bucket, another prefix,
     * another layout).
     */
    public static Optional<SegmentExport> locate(StorageLocation folder, Iterable<StorageLocation> roots) {
        for (StorageLocation root : roots) {
            String rootUri = root.uri();
            String uri = folder.uri();
            if (!uri.startsWith(rootUri)) {
                continue;
            }
            String[] segments = uri.substring(rootUri.length()).split("/");
            if (segments.length == 4 && segments[0].equals("segment-export")) {
                Optional<SegmentExport> export = of(root, segments[1], segments[2], segments[3]);
                if (export.isPresent()) {
                    return export;
                }
            }
        }
        return Optional.empty();
    }

    static StorageLocation segmentFolder(StorageLocation root, String segmentId) {
        return root.resolve("segment-export/" + segmentId);
    }

    public StorageLocation folder() {
        return segmentFolder(root, segmentId).resolve(date + "/" + name);
    }
}
