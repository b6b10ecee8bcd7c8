package com.loyaltybridge.tagsync.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} or {@code --name=value} options of the benchmark tools; a bare {@code --flag} is "true". */
final class BenchOptions {

    private final Map<String, String> values;
    private final List<String> arguments;

    private BenchOptions(Map<String, String> values, List<String> arguments) {
        this.values = values;
        this.arguments = arguments;
    }

    static BenchOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "': options are --name value");
            }
            String option = args[i].substring(2);
            int equals = option.indexOf('=');
            if (equals >= 0) {
                values.put(option.substring(0, equals), option.substring(equals + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(option, args[++i]);
            } else {
                values.put(option, "true");
            }
        }
        return new BenchOptions(values, List.of(args));
    }

    /** The arguments as given. */
    List<String> arguments() {
        return arguments;
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    int intValue(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name).replace("_", "")) : fallback;
    }

    long longValue(String name, long fallback) {
        return values.containsKey(name) ? Long.parseLong(values.get(name).replace("_", "")) : fallback;
    }

    double doubleValue(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }
}
