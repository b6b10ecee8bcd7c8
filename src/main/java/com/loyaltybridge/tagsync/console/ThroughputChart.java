package com.loyaltybridge.tagsync.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.loyaltybridge.tagsync.api.ExecutionQueries;

/**
 * The throughput of one run as bars of an SVG drawn on the server
 * ({@code execution.html}): no script, nothing to allow in the Content-Security-Policy,
 * and every label escaped like any other text. Coordinates are in the SVG's own units
 * ({@value #WIDTH} by {@value #HEIGHT}), which the page scales to its width.
 *
 * @param bars one per interval, left to right
 * @param peakLabel the top of the scale, in users (members) per second
 * @param description the whole chart in words, for screen readers and for the page
 * without it
 */
record ThroughputChart(List<Bar> bars, String peakLabel, String startLabel, String endLabel, String intervalLabel,
        String description, boolean empty) {

    static final int WIDTH = 600;
    static final int HEIGHT = 160;

    private static final int TOP = 12;

    /** A bar: its box, and what it says when pointed at. */
    record Bar(String x, String y, String width, String height, String title) {
    }

    static ThroughputChart of(ExecutionQueries.Throughput throughput) {
        return of(throughput, "users");
    }

    /**
     * The chart of a run whose ledger counts {@code unit}: a tag sync's users, an offers
     * run's members.
     */
    static ThroughputChart of(ExecutionQueries.Throughput throughput, String unit) {
        long[] users = throughput.users();
        double seconds = throughput.intervalMillis() / 1000.0;
        long peak = 0;
        long total = 0;
        for (long count : users) {
            peak = Math.max(peak, count);
            total += count;
        }
        double slot = (double) WIDTH / users.length;
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < users.length; i++) {
            double height = peak == 0 ? 0 : (HEIGHT - TOP) * (double) users[i] / peak;
            String from = Formats.duration(Duration.ofMillis(i * throughput.intervalMillis()));
            bars.add(new Bar(number(i * slot + slot * 0.1), number(HEIGHT - height), number(slot * 0.8), number(height),
                    from + " into the run: " + Formats.count(users[i]) + " " + unit + " ("
                            + Formats.decimal(users[i] / seconds) + "/s)"));
        }
        String interval = seconds >= 60 ? Formats.duration(Duration.ofMillis(throughput.intervalMillis()))
                : Formats.decimal(seconds) + " s";
        String runLength = Formats.duration(Duration.ofMillis(users.length * throughput.intervalMillis()));
        String source = "bulk_file_parts".equals(throughput.source()) ? unit + " written to bulk file parts"
                : unit + " done";
        String description = Formats.count(total) + " " + source + " over " + runLength + ", in intervals of "
                + interval + "; the busiest interval reached " + Formats.decimal(peak / seconds) + " " + unit + "/s";
        return new ThroughputChart(bars, Formats.decimal(peak / seconds) + " " + unit + "/s", "0:00:00", runLength,
                interval, description, total == 0);
    }

    private static String number(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }
}
