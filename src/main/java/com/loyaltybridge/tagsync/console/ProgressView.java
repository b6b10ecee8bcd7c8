package com.loyaltybridge.tagsync.console;

import java.time.Duration;

import com.loyaltybridge.tagsync.api.ExecutionDetails;
import com.loyaltybridge.tagsync.api.ExecutionView;
import com.loyaltybridge.tagsync.api.WalletExecutionView;

/**
 * The live progress of one execution, from the API's view of it (a tag sync's
 * {@link ExecutionView}, a run of offer wallets' {@link WalletExecutionView}): share
 * done, this run's rate and the time left at that rate. A running one is asked for again
 * every {@code refreshSeconds}, without reloading the page.
 *
 * @param percent the share of the export's users (members) done, 0 to 100
 * @param summary one line: done of total, rate, ETA (or what the run does while its users
 * are not known yet)
 */
record ProgressView(long executionId, boolean running, double percent, String percentText, String summary,
        StatusLook status, long refreshSeconds) {

    static ProgressView of(ExecutionDetails details, long refreshSeconds) {
        if (details instanceof WalletExecutionView wallets) {
            return of(wallets, refreshSeconds);
        }
        return of((ExecutionView) details, refreshSeconds);
    }

    static ProgressView of(ExecutionView view, long refreshSeconds) {
        ExecutionView.Counts counts = view.counts();
        boolean running = isRunning(view.status());
        String staging = running ? "reading the export: " + Formats.count(counts.linesRead()) + " lines so far"
                : "no users";
        boolean needsALook = counts.rejected() + counts.inDoubt() + counts.skippedLines() > 0;
        return of(view.id(), view.status(), running, view.progressPercent(), counts.users(), "users",
                view.usersPerSecond(), staging, needsALook, refreshSeconds);
    }

    /**
     * A run of offer wallets: its members whose wallet is read (and written where it
     * changed) out of the export's members.
     */
    static ProgressView of(WalletExecutionView view, long refreshSeconds) {
        WalletExecutionView.Counts counts = view.counts();
        boolean running = isRunning(view.status());
        String staging = running ? "reading the export and staging its members" : "no members";
        boolean needsALook = counts.rejected() + counts.refused() + counts.skippedLines() > 0;
        return of(view.id(), view.status(), running, view.progressPercent(), counts.members(), "members",
                view.membersPerSecond(), staging, needsALook, refreshSeconds);
    }

    private static ProgressView of(long id, String status, boolean running, double percent, long total, String unit,
            double perSecond, String staging, boolean needsALook, long refreshSeconds) {
        String summary;
        if (total == 0) {
            summary = staging;
        }
        else {
            long done = Math.round(total * percent / 100);
            StringBuilder line = new StringBuilder(
                    Formats.count(done) + " of " + Formats.count(total) + " " + unit + " done");
            if (perSecond > 0) {
                line.append(", ").append(Formats.decimal(perSecond)).append(" ").append(unit).append("/s");
                long left = total - done;
                if (running && left > 0) {
                    line.append(", about ")
                        .append(Formats.duration(Duration.ofSeconds((long) Math.ceil(left / perSecond))))
                        .append(" left");
                }
            }
            summary = line.toString();
        }
        return new ProgressView(id, running, percent, Formats.decimal(percent) + "%", summary,
                StatusLook.of(status, needsALook), refreshSeconds);
    }

    private static boolean isRunning(String status) {
        return "STARTING".equals(status) || "STARTED".equals(status) || "STOPPING".equals(status);
    }
}
