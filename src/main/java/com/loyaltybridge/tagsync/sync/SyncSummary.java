package com.loyaltybridge.tagsync.sync;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;

import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.sessionm.SessionmPace;

/**
 * What a sync did, counted from PostgreSQL: the counts cover the whole job instance
 * (every execution of it), the timing covers the execution this summary is about.
 *
 * @param usersThisExecution users handled by this execution alone, for its throughput
 * @param sessionm SessionM's traffic while this execution tagged users (all syncs of the
 * process: they share the rate); null if it tagged nobody
 */
public record SyncSummary(long jobInstanceId, long jobExecutionId, SyncRequest request, BatchStatus status,
        List<String> failures, String resolvedMode, long users, Map<LedgerState, Long> usersByState,
        Map<String, Long> rejectedByCode, Map<String, Long> skippedByReason, long bulkFileParts, long bulkFileRows,
        String bulkFileFolder, LocalDateTime startTime, LocalDateTime endTime, long usersThisExecution,
        @Nullable SessionmPace sessionm, @Nullable PlanSummary plan) implements ExportJobSummary {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public long skipped() {
        return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Non-blank lines read from the export: users plus skipped lines. */
    public long linesRead() {
        return users + skipped();
    }

    public long count(LedgerState state) {
        return usersByState.getOrDefault(state, 0L);
    }

    public long rejected() {
        return count(LedgerState.REJECTED);
    }

    public long inDoubt() {
        return count(LedgerState.IN_DOUBT);
    }

    public Duration duration() {
        if (startTime == null) {
            return Duration.ZERO;
        }
        return Duration.between(startTime, endTime == null ? LocalDateTime.now() : endTime);
    }

    public double usersPerSecond() {
        long millis = duration().toMillis();
        return millis == 0 ? 0 : usersThisExecution * 1000.0 / millis;
    }

    /**
     * Users that need a person's look: refused by SessionM, in doubt, or lines skipped.
     */
    @Override
    public boolean needsAttention() {
        return rejected() > 0 || inDoubt() > 0 || skipped() > 0;
    }

    public boolean usedApi() {
        return SyncMode.API.text().equals(resolvedMode);
    }

    /**
     * {@code users N}, then what was tagged (api) or written (csv), the skipped lines and
     * the failures.
     */
    @Override
    public String scanCounts() {
        StringBuilder line = new StringBuilder("users ").append(users);
        if (usedApi()) {
            line.append(", tagged ")
                .append(count(LedgerState.TAGGED) + count(LedgerState.ALREADY_TAGGED))
                .append(", in doubt ")
                .append(inDoubt())
                .append(", rejected ")
                .append(rejected());
        }
        else if (bulkFileParts > 0) {
            line.append(", bulk file rows ").append(bulkFileRows);
        }
        line.append(", skipped lines ").append(skipped());
        if (!failures.isEmpty()) {
            line.append(": ").append(String.join("; ", failures));
        }
        return line.toString();
    }

    @Override
    public String format() {
        StringBuilder text = new StringBuilder();
        text.append(plan != null && plan.dryRun() ? "Dry run " : "Segment tag sync ")
            .append(status)
            .append(": ")
            .append(request.describe());
        if (resolvedMode != null && request.mode() == SyncMode.AUTO) {
            text.append(" (auto chose ").append(resolvedMode).append(")");
        }
        text.append('\n');
        line(text, "job instance", jobInstanceId + ", execution " + jobExecutionId + (startTime == null ? ""
                : ", " + TIME.format(startTime) + " to " + (endTime == null ? "now" : TIME.format(endTime))));
        line(text, "lines read", number(linesRead()));
        line(text, "users", number(users));
        if (plan != null) {
            plan(text);
        }
        if (usedApi()) {
            line(text, "tagged", number(count(LedgerState.TAGGED)));
            line(text, "already tagged", number(count(LedgerState.ALREADY_TAGGED)));
            line(text, "in doubt",
                    number(inDoubt()) + (inDoubt() > 0 ? "  (counter tags after an unanswered call; see README)" : ""));
            line(text, "rejected by SessionM", number(rejected()) + breakdown(rejectedByCode));
            long pending = count(LedgerState.STAGED) + count(LedgerState.SENDING);
            if (pending > 0) {
                line(text, "not yet tagged", number(pending) + "  (run the same command again to resume)");
            }
        }
        else if (SyncMode.CSV.text().equals(resolvedMode)) {
            line(text, "bulk file", number(bulkFileParts) + " parts, " + number(bulkFileRows) + " rows"
                    + (bulkFileFolder == null ? "" : " in " + bulkFileFolder));
        }
        line(text, "skipped lines", number(skipped()) + breakdown(skippedByReason));
        line(text, "duration", String.format(Locale.ROOT, "%.1f s", duration().toMillis() / 1000.0));
        line(text, "throughput", String.format(Locale.ROOT, "%,.1f users/s", usersPerSecond()));
        if (sessionm != null) {
            line(text, "SessionM rate", sessionm.rateText());
            line(text, "SessionM latency", sessionm.latencyText());
            if (sessionm.throttled() + sessionm.errors() > 0) {
                line(text, "SessionM strain", number(sessionm.throttled()) + " answered 429, "
                        + number(sessionm.errors()) + " 5xx, timeouts or lost connections");
            }
            line(text, "in-flight limit", sessionm.inFlightText() + " at the end");
            line(text, "held back by", sessionm.heldBackText());
        }
        failures.forEach(failure -> line(text, "failure", failure));
        return text.toString();
    }

    /**
     * The plan's lines: why, and the users by kind; for a dry run, the first identifiers
     * and the cost.
     */
    private void plan(StringBuilder text) {
        line(text, "plan",
                (plan.audience() == null ? "" : "audience " + plan.audience() + ": ") + plan.why().description());
        if (plan.counts() == null) {
            return;
        }
        var counts = plan.counts();
        boolean difference = plan.why().kind() == com.loyaltybridge.tagsync.ledger.PlanKind.DIFFERENCE;
        if (difference || counts.entering() > 0) {
            line(text, "entering", number(counts.entering()) + firsts("entering"));
        }
        if (difference) {
            line(text, "refresh due", number(counts.refresh()) + firsts("refresh"));
            line(text, "retried", number(counts.retry()) + firsts("retry"));
            line(text, "unchanged", number(counts.unchanged()) + firsts("unchanged"));
        }
        if (counts.full() > 0) {
            line(text, "sent in full", number(counts.full()) + firsts("full"));
        }
        if (plan.audience() != null) {
            line(text, "left", number(counts.leaving()) + firsts("leaving") + (counts.leaving() > 0
                    ? "  (their tags stay in SessionM: an expiring tag runs out; see README)" : ""));
        }
        PlanSummary.Estimate estimate = plan.estimate();
        if (estimate != null) {
            if (estimate.mode().equals(SyncMode.CSV.text())) {
                line(text, "would write", number(estimate.calls()) + " bulk file rows");
            }
            else {
                line(text, "would call SessionM", number(estimate.calls()) + " times" + (estimate
                    .duration() == null ? "" : String.format(Locale.ROOT, ", about %s at %,.0f requests/s%s",
                            humane(estimate.duration()), estimate.rate(), estimate.lastLatencyMillis() == null ? ""
                                    : " (SessionM answered in " + estimate.lastLatencyMillis() + " ms last time)")));
            }
        }
    }

    private String firsts(String group) {
        List<String> identifiers = plan.firstIdentifiers().getOrDefault(group, List.of());
        return identifiers.isEmpty() ? "" : "  (" + String.join(", ", identifiers)
                + (identifiers.size() == PlanSummary.FIRST_IDENTIFIERS ? ", ..." : "") + ")";
    }

    private static String humane(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 120 ? seconds + " s"
                : seconds < 7200 ? (seconds / 60) + " min" : String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "  %-22s %s%n", label, value));
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String breakdown(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "";
        }
        return "  (" + counts.entrySet()
            .stream()
            .map(e -> e.getKey() + ": " + number(e.getValue()))
            .collect(Collectors.joining(", ")) + ")";
    }
}
