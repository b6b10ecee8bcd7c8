package com.loyaltybridge.tagsync.wallet;

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
import com.loyaltybridge.tagsync.ledger.PlanReason;
import com.loyaltybridge.tagsync.sync.ExportJobSummary;

/**
 * What a run of the offers job did, counted from PostgreSQL: the counts cover the whole
 * job instance (every execution of it), the timing and pace the execution this summary is
 * about.
 *
 * @param audience the audience's name ({@code offers:...}); null without one
 * @param why the plan's reason; null before the plan was made
 * @param members distinct members staged
 * @param membersByState members by state ({@code sync_user.state})
 * @param rejectedByCode members whose wallet SessionM refused, by its code
 * @param refusedByMessage members whose attributes Braze did not take, by its message
 * @param leaversByState members who left the segment, by state
 * ({@code sync_wallet_leaver.state})
 * @param brazeRequests {@code /users/track} requests that wrote wallets, in every
 * execution
 * @param clearingRequests {@code /users/track} requests that cleared leavers, in every
 * execution
 * @param writtenAgain members and leavers whose attributes were written while an earlier
 * request carrying them may have landed: Braze got them twice
 * @param batchSize attribute objects per request, for a dry run's estimate
 * @param membersThisExecution wallets this execution read, for its throughput
 * @param pace this execution's Connect and Braze figures while it read wallets; null if
 * it read none
 * @param clearingPace the same while it cleared leavers; null if it cleared none
 * @param firstChanged a dry run's first changed members (by identifier), in export order;
 * empty otherwise
 * @param firstLeavers a dry run's first leavers, by identifier; empty otherwise
 */
public record OfferWalletSummary(long jobInstanceId, long jobExecutionId, OfferWalletRequest request, boolean dryRun,
        BatchStatus status, List<String> failures, @Nullable String audience, @Nullable PlanReason why, long members,
        Map<LedgerState, Long> membersByState, Map<String, Long> rejectedByCode, Map<String, Long> refusedByMessage,
        Map<String, Long> skippedByReason, Map<LedgerState, Long> leaversByState, long brazeRequests,
        long clearingRequests, long writtenAgain, int batchSize, LocalDateTime startTime, LocalDateTime endTime,
        long membersThisExecution, @Nullable WalletPace pace, @Nullable WalletPace clearingPace,
        List<String> firstChanged, List<String> firstLeavers) implements ExportJobSummary {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public long count(LedgerState state) {
        return membersByState.getOrDefault(state, 0L);
    }

    public long leavers(LedgerState state) {
        return leaversByState.getOrDefault(state, 0L);
    }

    /** Wallets read and compared: every member with an outcome past the read. */
    public long walletsRead() {
        return count(LedgerState.WRITTEN) + count(LedgerState.UNCHANGED) + count(LedgerState.CHANGED)
                + count(LedgerState.REFUSED);
    }

    /**
     * Wallets that differ from the one last written (or that a run writes whatever they
     * are).
     */
    public long changed() {
        return count(LedgerState.WRITTEN) + count(LedgerState.CHANGED) + count(LedgerState.REFUSED);
    }

    public long rejected() {
        return count(LedgerState.REJECTED);
    }

    public long refused() {
        return count(LedgerState.REFUSED) + leavers(LedgerState.REFUSED);
    }

    /** Members whose wallet is still to be read or written: the run must go on. */
    public long pending() {
        return count(LedgerState.STAGED) + count(LedgerState.SENDING);
    }

    public long leaversTotal() {
        return leaversByState.values().stream().mapToLong(Long::longValue).sum();
    }

    public long skipped() {
        return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Members SessionM or Braze refused, or lines skipped: a person should look. */
    @Override
    public boolean needsAttention() {
        return rejected() > 0 || refused() > 0 || skipped() > 0;
    }

    public Duration duration() {
        if (startTime == null) {
            return Duration.ZERO;
        }
        return Duration.between(startTime, endTime == null ? LocalDateTime.now() : endTime);
    }

    /** Requests a dry run's changes and leavers would take. */
    public long requestsNeeded(long objects) {
        return (objects + batchSize - 1) / batchSize;
    }

    /**
     * {@code offer wallets: members N}, what was written (or, for a dry run, would be),
     * rejected and refused, the leavers, the skipped lines and the failures.
     */
    @Override
    public String scanCounts() {
        StringBuilder line = new StringBuilder("offer wallets: members ").append(members);
        if (dryRun) {
            line.append(", changed ").append(changed());
        }
        else {
            line.append(", written ")
                .append(count(LedgerState.WRITTEN))
                .append(" in ")
                .append(brazeRequests)
                .append(" Braze requests");
        }
        line.append(", unchanged ")
            .append(count(LedgerState.UNCHANGED))
            .append(", rejected ")
            .append(rejected())
            .append(", refused ")
            .append(count(LedgerState.REFUSED));
        if (audience != null) {
            line.append(", left the segment ").append(leaversTotal());
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
        text.append(dryRun ? "Dry run of offer wallets " : "Offer wallets ")
            .append(status)
            .append(": ")
            .append(request.describe())
            .append('\n');
        line(text, "job instance", jobInstanceId + ", execution " + jobExecutionId + (startTime == null ? ""
                : ", " + TIME.format(startTime) + " to " + (endTime == null ? "now" : TIME.format(endTime))));
        line(text, "members", number(members));
        if (why != null) {
            line(text, "plan", (audience == null ? "" : "audience " + audience + ": ") + WalletPlans.describe(why));
        }
        line(text, "wallets read", number(walletsRead()));
        line(text, "changed", number(changed()) + firsts(firstChanged));
        if (dryRun) {
            line(text, "would write", number(count(LedgerState.CHANGED)) + " wallets in "
                    + number(requestsNeeded(count(LedgerState.CHANGED))) + " Braze requests");
        }
        else {
            line(text, "written",
                    number(count(LedgerState.WRITTEN)) + " in " + number(brazeRequests) + " Braze requests");
        }
        line(text, "unchanged", number(count(LedgerState.UNCHANGED))
                + (count(LedgerState.UNCHANGED) > 0 ? "  (the wallet last written: nothing sent)" : ""));
        line(text, "rejected by SessionM", number(rejected()) + breakdown(rejectedByCode));
        line(text, "refused by Braze", number(count(LedgerState.REFUSED)) + breakdown(refusedByMessage));
        if (audience != null) {
            leavers(text);
        }
        if (!dryRun) {
            line(text, "written again", number(writtenAgain) + (writtenAgain > 0
                    ? "  (in requests under way when a run stopped: Braze got the same attributes twice)" : ""));
        }
        if (pending() > 0) {
            line(text, "not yet done", number(pending()) + "  (run the same command again to resume)");
        }
        line(text, "skipped lines", number(skipped()) + breakdown(skippedByReason));
        line(text, "duration", String.format(Locale.ROOT, "%.1f s", duration().toMillis() / 1000.0));
        long millis = duration().toMillis();
        line(text, "throughput", String.format(Locale.ROOT, "%,.1f members/s",
                millis == 0 ? 0 : membersThisExecution * 1000.0 / millis));
        if (pace != null) {
            line(text, "SessionM pace", pace.connectText());
            if (!dryRun) {
                line(text, "Braze pace", pace.brazeText());
            }
        }
        failures.forEach(failure -> line(text, "failure", failure));
        return text.toString();
    }

    private void leavers(StringBuilder text) {
        long left = leaversTotal();
        if (dryRun) {
            line(text, "left the segment", number(left) + firsts(firstLeavers) + (left > 0
                    ? "  (a run would clear them in " + number(requestsNeeded(left)) + " Braze requests)" : ""));
            return;
        }
        StringBuilder detail = new StringBuilder(number(left));
        if (left > 0) {
            detail.append(": cleared ")
                .append(number(leavers(LedgerState.WRITTEN)))
                .append(" in ")
                .append(number(clearingRequests))
                .append(" Braze requests");
            if (leavers(LedgerState.REFUSED) > 0) {
                detail.append(", refused by Braze ").append(number(leavers(LedgerState.REFUSED)));
            }
            if (leavers(LedgerState.UNCHANGED) > 0) {
                detail.append(", left as they are ")
                    .append(number(leavers(LedgerState.UNCHANGED)))
                    .append(" (offers.clear-leavers is off)");
            }
            long pendingLeavers = leavers(LedgerState.STAGED) + leavers(LedgerState.SENDING);
            if (pendingLeavers > 0) {
                detail.append(", not yet cleared ").append(number(pendingLeavers));
            }
        }
        line(text, "left the segment", detail.toString());
    }

    private static String firsts(List<String> identifiers) {
        return identifiers.isEmpty() ? "" : "  (" + String.join(", ", identifiers)
                + (identifiers.size() == OfferWalletSummaries.FIRST_IDENTIFIERS ? ", ..." : "") + ")";
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
