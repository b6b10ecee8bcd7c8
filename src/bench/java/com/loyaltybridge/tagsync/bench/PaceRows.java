package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * Row 6 of the benchmark: the api mode with default settings (the adaptive in-flight limit up to
 * {@code sessionm.max-in-flight} 512) against a SessionM simulator that answers after a set latency and enforces the
 * configured rate (429 beyond it), at 100 and 1,000 requests/s configured; and a run whose latency rises five-fold
 * mid-run, then comes back. Each run's SessionM POSTs are counted by polling the simulator every 100 ms: the rate
 * "while sending" is POSTs over the time from the first to the last, the rate "over the step" POSTs over the tagging
 * step's duration (which adds the final latency and the step's own start and end).
 */
final class PaceRows {

    private static final int[] RATES = {100, 1_000};
    private static final int[] LATENCIES_MS = {5, 50, 300, 1_000};
    private static final int BOUND = 512;
    private static final Pattern LATENCY = Pattern.compile("SessionM latency\\s+p50 (\\d+) ms, p99 (\\d+) ms");
    private static final Pattern LIMIT = Pattern.compile("in-flight limit\\s+(\\d+) of at most \\d+ at the end");
    private static final Pattern HELD_BACK = Pattern.compile("(?m)^\\s+held back by\\s{2,}(.+)$");
    private static final Pattern PROGRESS = Pattern.compile("SessionM: ([\\d.,]+) of [\\d,]+ requests/s configured \\(\\d+%\\), "
            + "latency (?:p50 (\\d+) ms, p99 \\d+ ms|none answered), in-flight limit (\\d+) of at most \\d+, held back by (.+)");

    private final Path work;
    private final BenchDatabase database;
    private final ResultTable table;
    private final List<String> notes;
    private final LongFunction<StorageLocation> exports;
    private final int runs;
    private final int seconds;

    /** @param seconds how long each row sends at its configured rate: users = rate x seconds */
    PaceRows(Path work, BenchDatabase database, ResultTable table, List<String> notes, LongFunction<StorageLocation> exports,
            int runs, int seconds) {
        this.work = work;
        this.database = database;
        this.table = table;
        this.notes = notes;
        this.exports = exports;
        this.runs = runs;
        this.seconds = seconds;
    }

    void run() {
        for (int rate : RATES) {
            for (int latency : LATENCIES_MS) {
                row(rate, latency);
            }
        }
        fiveFold();
        notes.add("- Row 6: default settings (sessionm.max-in-flight 512, the in-flight limit starting at 8), the configured"
                + " rate also enforced by the simulator (429 with Retry-After beyond it, bursts of one second). \"While sending\":"
                + " POSTs over the time from the first to the last (polled every 100 ms); \"over the step\": over the tagging"
                + " step's duration, which adds SessionM's last latency and the step's start and end. The bound allows 512 /"
                + " latency requests/s: 512 at 1,000 ms.");
    }

    private void row(int rate, int latencyMs) {
        long users = (long) rate * seconds;
        StorageLocation export = exports.apply(users);
        String load = MachineDescription.load();
        List<Double> sending = new ArrayList<>();
        List<Double> overStep = new ArrayList<>();
        List<Double> throttledShare = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        Summary last = null;
        for (int run = 1; run <= runs; run++) {
            String name = "pace-" + rate + "-" + latencyMs + "ms-" + run;
            try (SimulatorProcess simulator = SimulatorProcess.start(work.resolve("logs").resolve(name + "-simulator.log"),
                    "--latency-ms", Integer.toString(latencyMs), "--rate-limit", Integer.toString(rate))) {
                Measured measured = measure(simulator, new SyncRun(work, database).export(export).mode("api").sessionm(simulator)
                        .property("sessionm.requests-per-second", rate), name);
                sending.add(measured.sendingRate());
                overStep.add(measured.posts() / seconds(measured.result()));
                throttledShare.add(100.0 * measured.throttled() / measured.posts());
                rss.add((double) measured.result().peakRssMb());
                last = Summary.read(measured.result().log());
            }
        }
        double ideal = Math.min(rate, BOUND * 1000.0 / latencyMs);
        double achieved = ResultTable.median(sending);
        table.add("6", "api, SessionM " + ResultTable.count(latencyMs) + " ms, " + ResultTable.count(rate) + " req/s configured and"
                + " enforced", "defaults, " + ResultTable.count(users) + " users", runs,
                String.format(Locale.ROOT, "%.1f%% of %s req/s", 100 * achieved / rate, ResultTable.count(rate)),
                String.format(Locale.ROOT, "%s req/s while sending (%.0f%% of the %s the bound allows), %s over the step;"
                        + " 429s %.2f%% of POSTs; latency %s; in-flight limit at the end %s; held back by %s; peak RSS %.0f MB;"
                        + " load %s", ResultTable.count(achieved), 100 * achieved / ideal, ResultTable.count(ideal),
                        ResultTable.count(ResultTable.median(overStep)), ResultTable.median(throttledShare), last.latency,
                        last.limit, last.heldBack, ResultTable.median(rss), load));
    }

    /** 100 requests/s at 300 ms; from 10 s after the first request until 30 s, 1,500 ms. */
    private void fiveFold() {
        int rate = 100;
        long users = 4_000;
        String load = MachineDescription.load();
        String name = "pace-five-fold";
        try (SimulatorProcess simulator = SimulatorProcess.start(work.resolve("logs").resolve(name + "-simulator.log"),
                "--latency-ms", "300", "--latency-steps", "10s=1500,30s=300", "--rate-limit", Integer.toString(rate))) {
            Measured measured = measure(simulator, new SyncRun(work, database).export(exports.apply(users)).mode("api")
                    .sessionm(simulator).property("sessionm.requests-per-second", rate)
                    .property("monitoring.progress-interval", "2s"), name);
            List<String[]> timeline = new ArrayList<>();
            for (String line : lines(measured.result().log())) {
                Matcher progress = PROGRESS.matcher(line);
                if (progress.find()) {
                    timeline.add(new String[] {progress.group(1), progress.group(2), progress.group(3), progress.group(4)});
                }
            }
            Phases phases = Phases.of(timeline);
            Summary summary = Summary.read(measured.result().log());
            table.add("6", "api, latency five-fold mid-run", "100 req/s configured and enforced; 300 ms, 1,500 ms from 10 s"
                    + " to 30 s after the first request, then 300 ms; " + ResultTable.count(users) + " users", 1,
                    String.format(Locale.ROOT, "%s / %s / %s req/s", phases.rateBefore, phases.rateDuring, phases.rateAfter),
                    String.format(Locale.ROOT, "requests/s before / while / after SessionM was slow (medians of 2 s progress"
                            + " lines); in-flight limit %s before, down to %s, %s after; 429s %d of %d POSTs; held back by %s;"
                            + " load %s", phases.limitBefore, phases.lowestLimit, phases.limitAfter, measured.throttled(),
                            measured.posts(), summary.heldBack, load));
            StringBuilder note = new StringBuilder("- Row 6, latency five-fold mid-run, the sync's progress lines (one every"
                    + " 2 s of tagging: SessionM requests/s over the 2 s, latency p50, in-flight limit, what held calls back):");
            for (int i = 0; i < timeline.size(); i++) {
                String[] point = timeline.get(i);
                note.append(String.format(Locale.ROOT, "%n  - %2d s: %s req/s, p50 %s ms, limit %s, %s", 2 * (i + 1), point[0],
                        point[1] == null ? "-" : point[1], point[2], point[3]));
            }
            notes.add(note.toString());
        }
    }

    private Measured measure(SimulatorProcess simulator, SyncRun sync, String name) {
        SimulatorProcess.Stats before = simulator.stats();
        List<long[]> polls = new CopyOnWriteArrayList<>();
        Thread poller = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                polls.add(new long[] {System.nanoTime(), simulator.stats().posts() - before.posts()});
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-poller");
        poller.setDaemon(true);
        poller.start();
        SyncRun.Result result;
        try {
            result = sync.run(name);
        } finally {
            poller.interrupt();
        }
        SimulatorProcess.Stats after = simulator.stats();
        long posts = after.posts() - before.posts();
        long throttled = after.answered("429") - before.answered("429");
        long first = polls.stream().filter(poll -> poll[1] > 0).mapToLong(poll -> poll[0]).min().orElseThrow();
        long last = polls.stream().filter(poll -> poll[1] >= posts).mapToLong(poll -> poll[0]).min().orElse(System.nanoTime());
        return new Measured(result, posts, throttled, posts / Math.max(1e-3, (last - first) / 1e9));
    }

    private static double seconds(SyncRun.Result result) {
        return result.job().step("tagUsers").duration().toNanos() / 1e9;
    }

    private record Measured(SyncRun.Result result, long posts, long throttled, double sendingRate) {
    }

    /** What the sync's summary said about SessionM. */
    private record Summary(String latency, String limit, String heldBack) {

        static Summary read(Path log) {
            String text = String.join("\n", lines(log));
            return new Summary(find(LATENCY, text, "p50 %s ms, p99 %s ms"), find(LIMIT, text, "%s"), find(HELD_BACK, text, "%s"));
        }

        private static String find(Pattern pattern, String text, String format) {
            Matcher matcher = pattern.matcher(text);
            if (!matcher.find()) {
                return "?";
            }
            Object[] groups = new Object[matcher.groupCount()];
            for (int i = 0; i < groups.length; i++) {
                groups[i] = matcher.group(i + 1).strip();
            }
            return String.format(Locale.ROOT, format, groups);
        }
    }

    /** The progress lines split where SessionM's median latency was 600 ms or more (twice the 300 ms it starts at). */
    private record Phases(String rateBefore, String rateDuring, String rateAfter, String limitBefore, String lowestLimit,
            String limitAfter) {

        static Phases of(List<String[]> timeline) {
            int firstSlow = -1;
            int lastSlow = -1;
            for (int i = 0; i < timeline.size(); i++) {
                String p50 = timeline.get(i)[1];
                if (p50 != null && Integer.parseInt(p50) >= 600) {
                    firstSlow = firstSlow < 0 ? i : firstSlow;
                    lastSlow = i;
                }
            }
            if (firstSlow < 0) {
                return new Phases("?", "?", "?", "?", "?", "?");
            }
            // The first line holds the start (the limit growing), the last the run's tail: neither is a phase's pace.
            List<String[]> before = timeline.subList(Math.min(1, firstSlow), firstSlow);
            List<String[]> during = timeline.subList(firstSlow, lastSlow + 1);
            List<String[]> after = timeline.subList(lastSlow + 1, Math.max(lastSlow + 1, timeline.size() - 1));
            return new Phases(median(before, 0), median(during, 0), median(after, 0), median(before, 2),
                    ResultTable.count(during.stream().mapToDouble(point -> Double.parseDouble(point[2])).min().orElse(Double.NaN)),
                    median(after, 2));
        }

        private static String median(List<String[]> points, int field) {
            List<Double> values = points.stream().map(point -> Double.parseDouble(point[field].replace(",", ""))).toList();
            return values.isEmpty() ? "-" : ResultTable.count(ResultTable.median(values));
        }
    }

    private static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
