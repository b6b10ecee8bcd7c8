package com.loyaltybridge.tagsync.sessionm.simulator;

/** How often a random {@link Fault} strikes a request, for soak tests and benchmarks. */
public record FaultRate(Fault fault, double probability) {

    public FaultRate {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be between 0 and 1: " + probability);
        }
    }

    public static FaultRate of(Fault fault, double probability) {
        return new FaultRate(fault, probability);
    }
}
