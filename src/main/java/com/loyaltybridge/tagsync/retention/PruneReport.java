package com.loyaltybridge.tagsync.retention;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one prune did: the syncs it pruned, and those past the retention it kept and why.
 *
 * @param elsewhere another process was pruning: this one did nothing
 * @param endedBefore the syncs considered ended before this (now minus the retention)
 * @param took how long the prune took
 */
public record PruneReport(boolean elsewhere, LocalDateTime endedBefore, Duration retention, List<PrunedSync> pruned,
        List<KeptSync> kept, Duration took) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public PruneReport {
        pruned = List.copyOf(pruned);
        kept = List.copyOf(kept);
    }

    static PruneReport elsewhere(LocalDateTime endedBefore, Duration retention) {
        return new PruneReport(true, endedBefore, retention, List.of(), List.of(), Duration.ZERO);
    }

    /**
     * A sync whose rows were pruned.
     *
     * @param usersPruned its {@code sync_user} rows deleted
     * @param usersKept its users refused or in doubt, whose rows stay
     * @param leftPruned its {@code sync_left_user} rows deleted
     * @param membersForgotten rows of its audience's state deleted: members it found
     * gone, still gone since
     * @param transactions the transactions it took, each deleting at most
     * {@code sync.prune-batch-size} rows
     */
    public record PrunedSync(long jobInstanceId, boolean dryRun, String export, LocalDateTime endedAt, long usersPruned,
            long usersKept, long leftPruned, long membersForgotten, int transactions) {

        String describe() {
            return (dryRun ? "dry run, job instance " : "job instance ") + jobInstanceId + " (" + export + ", ended "
                    + TIME.format(endedAt) + "): " + number(usersPruned) + " users' rows, " + number(leftPruned)
                    + " of members who left and " + number(membersForgotten)
                    + " of the audience's state for members gone" + " since, in " + transactions + " transactions; "
                    + number(usersKept) + " refused or in doubt kept";
        }
    }

    /** A sync past the retention that keeps its rows, and why. */
    public record KeptSync(long jobInstanceId, String export, String why) {
    }

    public long usersPruned() {
        return pruned.stream().mapToLong(PrunedSync::usersPruned).sum();
    }

    /** One line per sync pruned or kept, then a total. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (elsewhere) {
            lines.add("prune: another process is pruning right now; nothing was done");
            return lines;
        }
        pruned.forEach(sync -> lines.add("prune: pruned " + sync.describe()));
        kept.forEach(sync -> lines
            .add("prune: kept job instance " + sync.jobInstanceId() + " (" + sync.export() + "): " + sync.why()));
        lines.add("prune: " + pruned.size() + (pruned.size() == 1 ? " sync" : " syncs") + " pruned ("
                + number(usersPruned()) + " users' rows), " + kept.size() + " kept, of those that ended before "
                + TIME.format(endedBefore) + " (sync.ledger-retention " + text(retention) + "), in "
                + String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0));
        return lines;
    }

    private static String text(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 86_400 == 0 ? seconds / 86_400 + "d"
                : seconds % 3_600 == 0 ? seconds / 3_600 + "h" : seconds + "s";
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
