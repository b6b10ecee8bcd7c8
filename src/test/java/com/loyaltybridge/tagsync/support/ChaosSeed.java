package com.loyaltybridge.tagsync.support;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed of a randomized test: {@code -Dchaos.seed=N} replays a run, otherwise a fresh
 * one is drawn. It is printed either way, so that a failure in CI can be replayed.
 */
public final class ChaosSeed {

    public static final String PROPERTY = "chaos.seed";

    private ChaosSeed() {
    }

    public static long forTest(String test) {
        String given = System.getProperty(PROPERTY);
        long seed = given == null || given.isBlank() ? ThreadLocalRandom.current().nextLong()
                : Long.parseLong(given.trim());
        System.out.println(test + ": chaos seed " + seed + " (replay with -D" + PROPERTY + "=" + seed + ")");
        return seed;
    }

}
