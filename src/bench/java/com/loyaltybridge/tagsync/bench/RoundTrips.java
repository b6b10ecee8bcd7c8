package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The round trips {@link CountingDriver} counted in one sync process: statement text to count, and to the milliseconds
 * spent waiting for them.
 */
record RoundTrips(Map<String, Long> bySql, Map<String, Double> millisBySql) {

    static RoundTrips read(Path report) {
        Map<String, Long> bySql = new LinkedHashMap<>();
        Map<String, Double> millisBySql = new LinkedHashMap<>();
        if (!Files.exists(report)) {
            return new RoundTrips(bySql, millisBySql);
        }
        try {
            for (String line : Files.readAllLines(report)) {
                String[] fields = line.split("\t", 3);
                if (fields.length == 3) {
                    bySql.merge(fields[2], Long.parseLong(fields[0]), Long::sum);
                    millisBySql.merge(fields[2], Double.parseDouble(fields[1]), Double::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RoundTrips(bySql, millisBySql);
    }

    /** Milliseconds spent waiting for the statements {@code sql} accepts. */
    double millis(Predicate<String> sql) {
        return millisBySql.entrySet().stream().filter(entry -> sql.test(entry.getKey())).mapToDouble(Map.Entry::getValue).sum();
    }

    long count(Predicate<String> sql) {
        return bySql.entrySet().stream().filter(entry -> sql.test(entry.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    long total() {
        return count(sql -> true);
    }
}
