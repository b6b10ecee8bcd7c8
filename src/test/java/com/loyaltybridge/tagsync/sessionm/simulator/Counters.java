package com.loyaltybridge.tagsync.sessionm.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Request counts and concurrency, updated lock-free on every request. */
final class Counters {

    private final LongAdder total = new LongAdder();

    private final LongAdder posts = new LongAdder();

    private final ConcurrentMap<String, LongAdder> byStatus = new ConcurrentHashMap<>();

    private final AtomicInteger inFlight = new AtomicInteger();

    private final AtomicInteger maxInFlight = new AtomicInteger();

    void started() {
        total.increment();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
    }

    void post() {
        posts.increment();
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    void answered(String status) {
        byStatus.computeIfAbsent(status, key -> new LongAdder()).increment();
    }

    long total() {
        return total.sum();
    }

    long posts() {
        return posts.sum();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    Map<String, Long> byStatus() {
        Map<String, Long> counts = new TreeMap<>();
        byStatus.forEach((status, count) -> counts.put(status, count.sum()));
        return counts;
    }

    void clear() {
        total.reset();
        posts.reset();
        byStatus.clear();
        maxInFlight.set(inFlight.get());
    }

}
