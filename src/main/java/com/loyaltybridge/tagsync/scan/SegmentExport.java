package com.loyaltybridge.tagsync.scan;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            .thenComparing(SegmentExport::date).thenComparing(SegmentExport::name);

    private static final Pattern NAME = Pattern.compile("[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}-(\\d{1,12})");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /** Whether {@code name} is the name of an export folder in Braze's layout, {@code UUID-EPOCH}. */
    public static boolean isExportName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The export named {@code name} in the date folder {@code date}; empty when the names are not Braze's. */
    static Optional<SegmentExport> of(StorageLocation root, String segmentId, String date, String name) {
        Matcher matcher = NAME.matcher(name);
        if (!DATE.matcher(date).matches() || !matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SegmentExport(root, segmentId, LocalDate.parse(date), name,
                    Instant.ofEpochSecond(Long.parseLong(matcher.group(1)))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The export {@code folder} is, when it is an export folder directly under one of {@code roots}; empty for
     * any other location (another bucket, another prefix, another layout).
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
