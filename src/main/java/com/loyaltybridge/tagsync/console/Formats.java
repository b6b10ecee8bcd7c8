package com.loyaltybridge.tagsync.console;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Numbers, times and durations as the console shows them: English separators, UTC times,
 * durations as h:mm:ss.
 */
final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);

    private Formats() {
    }

    static String count(long value) {
        return String.format(Locale.ENGLISH, "%,d", value);
    }

    static String decimal(double value) {
        return String.format(Locale.ENGLISH, "%,.1f", value);
    }

    /**
     * A time Spring Batch recorded (a local date-time of the JVM that ran the job), in
     * UTC; empty when there is none.
     */
    static String time(LocalDateTime local) {
        return local == null ? ""
                : TIME.format(local.atZone(ZoneId.systemDefault()).withZoneSameInstant(ZoneOffset.UTC));
    }

    /** {@code 0:00:42}, {@code 1:38:40}, {@code 3 d 4:05:06}. */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long days = seconds / 86_400;
        String clock = String.format(Locale.ROOT, "%d:%02d:%02d", (seconds % 86_400) / 3600, (seconds % 3600) / 60,
                seconds % 60);
        return days > 0 ? days + " d " + clock : clock;
    }

    /**
     * From {@code start} to {@code end}, or to now while it runs; empty before it
     * started.
     */
    static String duration(LocalDateTime start, LocalDateTime end) {
        return start == null ? "" : duration(Duration.between(start, end == null ? LocalDateTime.now() : end));
    }

}
