package com.loyaltybridge.tagsync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's table, in Markdown: one row per figure, with the runs it took; figures are medians. */
final class ResultTable {

    private final List<String[]> rows = new ArrayList<>();

    void add(String issueItem, String measurement, String setting, int runs, String median, String detail) {
        String[] row = {issueItem, measurement, setting, Integer.toString(runs), median, detail};
        rows.add(row);
        System.out.println("| " + String.join(" | ", row) + " |");
    }

    String format() {
        StringBuilder text = new StringBuilder("| # | measurement | setting | runs | median | detail |\n| --- | --- | --- | --- | --- | --- |\n");
        for (String[] row : rows) {
            text.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return text.toString();
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** 12,345 */
    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }
}
