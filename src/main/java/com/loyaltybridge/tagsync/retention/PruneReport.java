package com.loyaltybridge.tagsync.retention;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one prune did: the runs it pruned (tag syncs, offers runs, their dry runs), and
 * those past the retention it kept and why.
 *
 * @param elsewhere another process was pruning: this one did nothing
 * @param endedBefore the runs considered ended before this (now minus the retention)
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
     * A run whose rows were pruned.
     *
     * @param kind what the run is, named before its job instance ("dry run", "offer
     * wallets run"); empty for a tag sync
     * @param usersPruned its {@code sync_user} rows deleted
     * @param usersKept its users refused or in doubt, whose rows stay
     * @param leftPruned its rows of members who left deleted ({@code sync_left_user}, or
     * an offers run's {@code sync_wallet_leaver})
     * @param membersForgotten rows of its audience's state deleted: members it found
     * gone, still gone since
     * @param transactions the transactions it took, each deleting at most
     * {@code sync.prune-batch-size} rows
     */
    public record PrunedSync(long jobInstanceId, String kind, String export, LocalDateTime endedAt, long usersPruned,
            long usersKept, long leftPruned, long membersForgotten, int transactions) {

        String describe() {
            return run(kind, jobInstanceId) + " (" + export + ", ended " + TIME.format(endedAt) + "): "
                    + number(usersPruned) + " users' rows, " + number(leftPruned) + " of members who left and "
                    + number(membersForgotten) + " of the audience's state for members gone" + " since, in "
                    + transactions + " transactions; " + number(usersKept) + " refused or in doubt kept";
        }
    }

    /**
     * A run past the retention that keeps its rows, and why.
     *
     * @param kind what the run is, as for {@link PrunedSync}
     */
    public record KeptSync(long jobInstanceId, String kind, String export, String why) {
    }

    private static String run(String kind, long jobInstanceId) {
        return (kind.isEmpty() ? "" : kind + ", ") + "job instance " + jobInstanceId;
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
            .add("prune: kept " + run(sync.kind(), sync.jobInstanceId()) + " (" + sync.export() + "): " + sync.why()));
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
