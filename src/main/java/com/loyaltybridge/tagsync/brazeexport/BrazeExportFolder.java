package com.loyaltybridge.tagsync.brazeexport;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * The names of Braze's layout of a segment export,
 * {@code .../segment-export/SEGMENT_ID/YYYY-MM-dd/UUID-EPOCH/}: the date is when Braze's
 * callback fired, the EPOCH when the export was requested, which is what orders a
 * segment's exports (never the listing's order).
 *
 * @param requestedAt the EPOCH of the folder name
 */
public record BrazeExportFolder(String segmentId, LocalDate date, String name, Instant requestedAt) {

    private static final Pattern NAME = Pattern
        .compile("[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}-(\\d{1,12})");

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /**
     * Whether {@code name} is the name of an export folder in Braze's layout,
     * {@code UUID-EPOCH}.
     */
    public static boolean isExportName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * The export named {@code name} in the date folder {@code date} of {@code segmentId};
     * empty when the names are not Braze's.
     */
    public static Optional<BrazeExportFolder> of(String segmentId, String date, String name) {
        Matcher matcher = NAME.matcher(name);
        if (!DATE.matcher(date).matches() || !matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BrazeExportFolder(segmentId, LocalDate.parse(date), name,
                    Instant.ofEpochSecond(Long.parseLong(matcher.group(1)))));
        }
        catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The export {@code folder} is, when its last four segments are Braze's layout; empty
     * otherwise.
     */
    public static Optional<BrazeExportFolder> of(StorageLocation folder) {
        String[] segments = folder.lastSegments(4).split("/");
        if (segments.length != 4 || !segments[0].equals("segment-export")) {
            return Optional.empty();
        }
        return of(segments[1], segments[2], segments[3]);
    }
}
