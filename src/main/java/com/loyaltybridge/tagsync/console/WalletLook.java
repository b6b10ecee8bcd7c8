package com.loyaltybridge.tagsync.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.loyaltybridge.tagsync.api.WalletExecutionView;

/**
 * A run of offer wallets as its page shows it, from the API's
 * {@link WalletExecutionView}: its members by what became of their wallet, the leavers,
 * SessionM Connect's and Braze's traffic, and for a dry run what the real run would
 * write. A dry run wrote nothing, so it shows no written, refused or Braze figures: its
 * estimate says what a run would do instead.
 *
 * @param members the members' figures, each with a key (its CSS hook)
 * @param rejectedByCode members SessionM rejected, by its code
 * @param refusedByMessage members whose attributes Braze refused, by its message
 * @param skippedByReason lines of the export skipped, by reason
 * @param leavers members who left the segment, by what became of them; empty for a dry
 * run (its estimate counts them) and without an audience
 * @param traffic SessionM Connect's and Braze's requests while this execution ran; empty
 * when it read no wallet
 * @param estimate what the real run would write; null unless a dry run
 */
record WalletLook(List<Figure> members, List<Breakdown> rejectedByCode, List<Breakdown> refusedByMessage,
        List<Breakdown> skippedByReason, List<Figure> leavers, List<Traffic> traffic, Estimate estimate) {

    record Figure(String key, String label, String value) {
    }

    record Breakdown(String label, String count) {
    }

    /**
     * @param rate requests per second this execution made
     * @param configured the configured limit and the share of it reached, or that there
     * is none
     */
    record Traffic(String key, String service, String requests, String rate, String configured, String p50,
            String p99) {
    }

    /**
     * @param wallets wallets the real run would write
     * @param firstChanged the first of them, by identifier, in export order
     * @param moreChanged whether there are more than those listed
     */
    record Estimate(String wallets, String brazeRequests, List<String> firstChanged, boolean moreChanged,
            String leavers, String clearingRequests, List<String> firstLeavers, boolean moreLeavers) {
    }

    static WalletLook of(WalletExecutionView view) {
        WalletExecutionView.Counts counts = view.counts();
        boolean dryRun = view.dryRun();
        List<Figure> members = new ArrayList<>();
        members.add(figure("members", "Members", counts.members()));
        members.add(figure("wallets-read", "Wallets read", counts.walletsRead()));
        members.add(figure("changed", dryRun ? "Changed (would be written)" : "Changed", counts.changed()));
        if (!dryRun) {
            members.add(figure("written", "Written", counts.written()));
        }
        members.add(figure("unchanged", "Unchanged (nothing sent)", counts.unchanged()));
        members.add(figure("rejected", "Rejected by SessionM", counts.rejected()));
        if (!dryRun) {
            members.add(figure("refused", "Refused by Braze", counts.refused()));
        }
        members.add(figure("not-yet-done", "Not yet done", counts.notYetDone()));
        members.add(figure("skipped-lines", "Skipped lines", counts.skippedLines()));
        if (!dryRun) {
            members.add(figure("braze-requests", "Braze requests", counts.brazeRequests()));
            members.add(figure("written-again", "Written again", counts.writtenAgain()));
        }
        List<Figure> leavers = new ArrayList<>();
        if (!dryRun && view.audience() != null) {
            WalletExecutionView.Leavers left = view.leavers();
            leavers.add(figure("left", "Left the segment", left.total()));
            leavers.add(figure("cleared", "Cleared", left.cleared()));
            leavers.add(figure("leavers-refused", "Refused by Braze", left.refused()));
            leavers.add(figure("kept", "Kept as they are", left.keptAsTheyAre()));
            leavers.add(figure("not-yet-cleared", "Not yet cleared", left.notYetCleared()));
            leavers.add(figure("clearing-requests", "Clearing requests", left.clearingRequests()));
        }
        List<Traffic> traffic = new ArrayList<>();
        if (view.connect() != null) {
            traffic.add(traffic("connect", "SessionM Connect (wallet reads)", view.connect()));
        }
        if (view.braze() != null) {
            traffic.add(traffic("braze", "Braze (/users/track)", view.braze()));
        }
        Estimate estimate = null;
        WalletExecutionView.DryRunEstimate dry = view.dryRunEstimate();
        if (dry != null) {
            estimate = new Estimate(Formats.count(dry.changed()), Formats.count(dry.brazeRequests()),
                    dry.firstChanged(), dry.changed() > dry.firstChanged().size(), Formats.count(dry.leavers()),
                    Formats.count(dry.clearingRequests()), dry.firstLeavers(),
                    dry.leavers() > dry.firstLeavers().size());
        }
        return new WalletLook(members, breakdown(view.rejectedByCode()), breakdown(view.refusedByMessage()),
                breakdown(view.skippedByReason()), leavers, traffic, estimate);
    }

    private static Figure figure(String key, String label, long value) {
        return new Figure(key, label, Formats.count(value));
    }

    private static Traffic traffic(String key, String service, WalletExecutionView.Traffic traffic) {
        double configured = traffic.configuredRequestsPerSecond();
        String limit = configured <= 0 ? "no limit configured" : Formats.decimal(configured) + "/s ("
                + Math.round(100 * traffic.requestsPerSecond() / configured) + "% of it reached)";
        return new Traffic(key, service, Formats.count(traffic.requests()),
                Formats.decimal(traffic.requestsPerSecond()) + "/s", limit, millis(traffic.latencyP50Millis()),
                millis(traffic.latencyP99Millis()));
    }

    private static String millis(Long millis) {
        return millis == null ? ExecutionRowView.NOT_COUNTED : Formats.count(millis) + " ms";
    }

    private static List<Breakdown> breakdown(Map<String, Long> counts) {
        return counts == null ? List.of()
                : counts.entrySet()
                    .stream()
                    .map(entry -> new Breakdown(entry.getKey(), Formats.count(entry.getValue())))
                    .toList();
    }

}
