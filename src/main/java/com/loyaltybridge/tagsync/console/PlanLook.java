package com.loyaltybridge.tagsync.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.loyaltybridge.tagsync.api.ExecutionView;

/**
 * A sync's plan as the console shows it: why it sends whom, one line per group of users
 * with its count and, for a dry run, the first identifiers of the group (data from the
 * export, shown as text); and what the real run would cost.
 *
 * @param why the reason, in words
 * @param planned false until the plan is made (its counts are unknown)
 * @param groups entering, refresh due, retried, sent in full, unchanged, left: those that
 * apply
 * @param calls what the real run would send, in words; null without an estimate
 * @param time how long at the rate limit, in words; null without an estimate
 */
record PlanLook(String why, boolean planned, List<Group> groups, String calls, String time) {

    /**
     * @param key the group's key in the API's plan ({@code entering}, {@code refresh},
     * …), also its CSS hook
     */
    record Group(String key, String label, String count, List<String> firstIdentifiers, boolean more) {
    }

    static PlanLook of(ExecutionView.PlanView plan, int firstIdentifiersShown) {
        if (plan.entering() == null) {
            return new PlanLook(plan.description(), false, List.of(), null, null);
        }
        Map<String, List<String>> firsts = plan.firstIdentifiers() == null ? Map.of() : plan.firstIdentifiers();
        List<Group> groups = new ArrayList<>();
        add(groups, "entering", "Entering", plan.entering(), firsts, firstIdentifiersShown);
        add(groups, "refresh", "Refresh due", plan.refresh(), firsts, firstIdentifiersShown);
        add(groups, "retry", "Retried", plan.retry(), firsts, firstIdentifiersShown);
        add(groups, "full", "Sent in full", plan.full(), firsts, firstIdentifiersShown);
        add(groups, "unchanged", "Unchanged (sent nothing)", plan.unchanged(), firsts, firstIdentifiersShown);
        add(groups, "leaving", "Left the audience", plan.leaving(), firsts, firstIdentifiersShown);
        ExecutionView.EstimateView estimate = plan.estimate();
        String calls = null;
        String time = null;
        if (estimate != null) {
            calls = estimate.rows() != null ? Formats.count(estimate.rows()) + " bulk file rows (csv mode)"
                    : Formats.count(estimate.calls()) + " calls to SessionM (api mode)";
            if (estimate.durationSeconds() != null) {
                time = "about " + Formats.duration(Duration.ofSeconds(estimate.durationSeconds())) + " at "
                        + Formats.decimal(estimate.requestsPerSecond()) + " requests/s"
                        + (estimate.lastLatencyMillis() == null ? "" : " (SessionM answered in "
                                + estimate.lastLatencyMillis() + " ms in the audience's last run)");
            }
            else if (estimate.rows() == null) {
                time = "not known: no rate limit (sessionm.requests-per-second) and no earlier run to go by";
            }
        }
        return new PlanLook(plan.description(), true, groups, calls, time);
    }

    private static void add(List<Group> groups, String key, String label, Long count, Map<String, List<String>> firsts,
            int shown) {
        if (count == null) {
            return;
        }
        List<String> identifiers = firsts.getOrDefault(key, List.of());
        List<String> listed = identifiers.subList(0, Math.min(shown, identifiers.size()));
        groups.add(new Group(key, label, Formats.count(count), listed, count > listed.size()));
    }
}
