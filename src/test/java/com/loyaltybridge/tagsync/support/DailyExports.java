package com.loyaltybridge.tagsync.support;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * A segment exported day after day, as Braze lays the exports out in a bucket: day N is
 * requested N days after day 0.
 */
public final class DailyExports {

    private static final long DAY = 86_400L;

    private static final long DAY_ZERO = 1_764_000_000L;

    private DailyExports() {
    }

    /**
     * Writes the export of {@code segment} of {@code day} into {@code bucket}: one user
     * per identifier, then {@code extraLines}.
     */
    public static StorageLocation write(S3TestServer s3, String bucket, String segment, int day,
            List<String> identifiers, String... extraLines) {
        ExportFolder folder = new ExportFolder(segment, LocalDate.of(2026, 11, 1).plusDays(day), UUID.randomUUID(),
                DAY_ZERO + day * DAY);
        List<String> all = new ArrayList<>(identifiers.stream().map(ExportFixtures::user).toList());
        all.addAll(List.of(extraLines));
        return folder.writeTo(s3, bucket, Map.of("part.zip", zip(lines(all.toArray(String[]::new)))));
    }

    /** {@code C-from} to {@code C-to}. */
    public static List<String> ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "C-" + i).toList();
    }

    /** The identifiers of {@code lists}, in order. */
    @SafeVarargs
    public static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

}
