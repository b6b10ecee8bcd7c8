package com.loyaltybridge.tagsync.sessionm.simulator;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which fault strikes the next request: first one scripted for its identifier, then
 * (POSTs only) the global script, then a random one drawn at the configured rates.
 * Lock-free: the hot path polls queues and counts.
 */
final class FaultPlan {

    private final Queue<Fault> postScript = new ConcurrentLinkedQueue<>();

    private final ConcurrentMap<String, Queue<Fault>> postFaultsById = new ConcurrentHashMap<>();

    private final ConcurrentMap<String, Queue<Fault>> readFaultsById = new ConcurrentHashMap<>();

    private final AtomicLong randomDraws = new AtomicLong();

    private volatile RandomFaults random = new RandomFaults(0, List.of());

    void enqueuePosts(Fault... faults) {
        postScript.addAll(List.of(faults));
    }

    void forPosts(String identifier, Fault... faults) {
        postFaultsById.computeIfAbsent(identifier, id -> new ConcurrentLinkedQueue<>()).addAll(List.of(faults));
    }

    void forReads(String identifier, Fault... faults) {
        readFaultsById.computeIfAbsent(identifier, id -> new ConcurrentLinkedQueue<>()).addAll(List.of(faults));
    }

    void rates(long seed, List<FaultRate> rates) {
        double total = rates.stream().mapToDouble(FaultRate::probability).sum();
        if (total > 1) {
            throw new IllegalArgumentException("fault probabilities add up to more than 1: " + total);
        }
        random = new RandomFaults(seed, List.copyOf(rates));
        randomDraws.set(0);
    }

    Fault next(boolean post, String identifier) {
        Queue<Fault> scripted = (post ? postFaultsById : readFaultsById).get(identifier);
        Fault fault = scripted == null ? null : scripted.poll();
        if (fault == null && post) {
            fault = postScript.poll();
        }
        return fault != null ? fault : random.draw(randomDraws.getAndIncrement());
    }

    void clear() {
        postScript.clear();
        postFaultsById.clear();
        readFaultsById.clear();
        rates(0, List.of());
    }

    /**
     * Draw number {@code n} depends only on the seed and {@code n} (SplitMix64), so a
     * seeded run strikes the same request numbers every time without a shared random
     * generator.
     */
    private record RandomFaults(long seed, List<FaultRate> rates) {

        Fault draw(long n) {
            if (rates.isEmpty()) {
                return Fault.none();
            }
            double roll = (mix(seed + n * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
            for (FaultRate rate : rates) {
                roll -= rate.probability();
                if (roll < 0) {
                    return rate.fault();
                }
            }
            return Fault.none();
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

}
