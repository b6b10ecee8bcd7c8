package com.loyaltybridge.tagsync.console;

import java.time.Duration;

import com.loyaltybridge.tagsync.api.ExecutionView;

/**
 * The live progress of one execution, from the API's {@link ExecutionView}: share done,
 * this run's rate and the time left at that rate. A running one is asked for again every
 * {@code refreshSeconds}, without reloading the page.
 *
 * @param percent the share of the export's users done, 0 to 100
 * @param summary one line: done of total, rate, ETA (or what the run does while its users
 * are not known yet)
 */
record ProgressView(long executionId, boolean running, double percent, String percentText, String summary,
        StatusLook status, long refreshSeconds) {

    static ProgressView of(ExecutionView view, long refreshSeconds) {
        boolean running = "STARTING".equals(view.status()) || "STARTED".equals(view.status())
                || "STOPPING".equals(view.status());
        ExecutionView.Counts counts = view.counts();
        String summary;
        if (counts.users() == 0) {
            summary = running ? "reading the export: " + Formats.count(counts.linesRead()) + " lines so far"
                    : "no users";
        }
        else {
            long done = Math.round(counts.users() * view.progressPercent() / 100);
            StringBuilder line = new StringBuilder(
                    Formats.count(done) + " of " + Formats.count(counts.users()) + " users done");
            if (view.usersPerSecond() > 0) {
                line.append(", ").append(Formats.decimal(view.usersPerSecond())).append(" users/s");
                long left = counts.users() - done;
                if (running && left > 0) {
                    line.append(", about ")
                        .append(Formats.duration(Duration.ofSeconds((long) Math.ceil(left / view.usersPerSecond()))))
                        .append(" left");
                }
            }
            summary = line.toString();
        }
        boolean needsALook = counts.rejected() + counts.inDoubt() + counts.skippedLines() > 0;
        return new ProgressView(view.id(), running, view.progressPercent(),
                Formats.decimal(view.progressPercent()) + "%", summary, StatusLook.of(view.status(), needsALook),
                refreshSeconds);
    }
}
