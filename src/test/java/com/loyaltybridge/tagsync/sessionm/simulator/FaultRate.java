package com.loyaltybridge.tagsync.sessionm.simulator;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * {@code KIND=P,...} as the simulator's command line takes them: KIND is an HTTP
     * status ({@code 429} with {@code Retry-After: 1}, {@code 500}, {@code 503}, ...),
     * {@code reset} (before applying), {@code reset-after-apply}, or {@code error-body}
     * (HTTP 200 with {@code internal_server_error}).
     */
    public static List<FaultRate> parseAll(String text) {
        List<FaultRate> rates = new ArrayList<>();
        for (String item : text.split(",")) {
            String[] kindAndRate = item.trim().split("=", 2);
            if (kindAndRate.length != 2) {
                throw new IllegalArgumentException("fault rates are KIND=PROBABILITY: '" + item + "'");
            }
            rates.add(of(fault(kindAndRate[0].trim()), Double.parseDouble(kindAndRate[1].trim())));
        }
        return rates;
    }

    private static Fault fault(String kind) {
        return switch (kind) {
            case "reset" -> Fault.resetBeforeApply();
            case "reset-after-apply" -> Fault.resetAfterApply();
            case "error-body" -> Fault.errorBody("internal_server_error");
            default -> Fault.status(Integer.parseInt(kind));
        };
    }
}
