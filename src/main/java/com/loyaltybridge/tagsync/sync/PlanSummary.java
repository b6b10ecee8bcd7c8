package com.loyaltybridge.tagsync.sync;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.loyaltybridge.tagsync.ledger.PlanReason;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.Counts;

/**
 * The plan of a sync as its summary tells it: why it sends whom, and how many users of
 * each kind.
 *
 * @param audience the audience's name; null without one
 * @param counts the counts; null before the plan is made
 * @param firstIdentifiers for a dry run, the first identifiers of each group (entering,
 * refresh, retry, full, unchanged, leaving), in export order; empty otherwise
 * @param estimate for a dry run, what the real run would cost; null otherwise
 */
public record PlanSummary(@Nullable String audience, PlanReason why, @Nullable Counts counts, boolean dryRun,
        Map<String, List<String>> firstIdentifiers, @Nullable Estimate estimate) {

    /** How many identifiers of each group a dry run lists. */
    public static final int FIRST_IDENTIFIERS = 20;

    /**
     * What the real run would cost.
     *
     * @param mode {@code api} or {@code csv}, as the real run would choose
     * @param calls calls to SessionM (api), or rows of the bulk file (csv)
     * @param rate requests per second it could reach: the configured rate, or what
     * SessionM's latency in the audience's last run allows within the in-flight bound,
     * whichever is lower; 0 for csv or without any limit or latency to go by
     * @param duration how long the calls would take at that rate; null when it cannot be
     * told
     * @param lastLatencyMillis SessionM's median latency in the audience's last run; null
     * when there was none
     */
    public record Estimate(String mode, long calls, double rate, @Nullable Duration duration,
            @Nullable Long lastLatencyMillis) {
    }
}
