package com.loyaltybridge.tagsync.sessionm.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the simulator waits before answering, and how that changes while it runs: a
 * latency from the start, and later ones that take over at set times after the first tags
 * request (SessionM slowing down mid-run, then recovering). Immutable: the simulator
 * swaps in a new plan.
 */
record LatencyPlan(List<Step> steps) {

    /**
     * From {@code after} (since the first request) on, answers take between {@code min}
     * and {@code max}.
     */
    record Step(Duration after, Duration min, Duration max) {

        Step {
            if (after.isNegative() || min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("latency must satisfy 0 <= min <= max, from a time >= 0: " + min
                        + ", " + max + " after " + after);
            }
        }
    }

    static final LatencyPlan NONE = constant(Duration.ZERO, Duration.ZERO);

    static LatencyPlan constant(Duration min, Duration max) {
        return new LatencyPlan(List.of(new Step(Duration.ZERO, min, max)));
    }

    /**
     * This plan with {@code step} added; a step at the same time replaces the earlier
     * one.
     */
    LatencyPlan with(Step step) {
        List<Step> changed = new ArrayList<>(steps.stream().filter(s -> !s.after().equals(step.after())).toList());
        changed.add(step);
        changed.sort(Comparator.comparing(Step::after));
        return new LatencyPlan(List.copyOf(changed));
    }

    /**
     * The latency of an answer {@code sinceFirstRequest} after the first request, drawn
     * uniformly in its step.
     */
    Duration latency(Duration sinceFirstRequest) {
        Step current = steps.get(0);
        for (Step step : steps) {
            if (step.after().compareTo(sinceFirstRequest) <= 0) {
                current = step;
            }
        }
        long spreadNanos = current.max().minus(current.min()).toNanos();
        return spreadNanos <= 0 ? current.min()
                : current.min().plusNanos(ThreadLocalRandom.current().nextLong(spreadNanos + 1));
    }

    /**
     * {@code AFTER=MS,...} as the simulator's command line takes them, e.g.
     * {@code 10s=1500,30s=300}: 1,500 ms from 10 s after the first request, 300 ms from
     * 30 s; {@code MS} may be a range {@code MIN..MAX}.
     */
    static List<Step> parseSteps(String text) {
        List<Step> parsed = new ArrayList<>();
        for (String item : text.split(",")) {
            String[] afterAndLatency = item.trim().split("=", 2);
            if (afterAndLatency.length != 2) {
                throw new IllegalArgumentException("latency steps are AFTER=MS, e.g. 10s=1500: '" + item + "'");
            }
            Duration after = Duration.parse("PT" + afterAndLatency[0].trim().toUpperCase());
            String[] range = afterAndLatency[1].trim().split("\\.\\.");
            parsed.add(new Step(after, Duration.ofMillis(Long.parseLong(range[0])),
                    Duration.ofMillis(Long.parseLong(range[range.length - 1]))));
        }
        return parsed;
    }
}
