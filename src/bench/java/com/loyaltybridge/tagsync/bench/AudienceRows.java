package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import com.loyaltybridge.tagsync.cli.Main;
import com.loyaltybridge.tagsync.storage.LocalObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.sync.SyncStep;

/**
 * Row 7 of the benchmark ({@code --only audience}): a segment exported day after day, each export synced against its
 * audience's state. A 1,000,000-member audience with a counter tag: day 1 (every member entering), then day 2 with 2%
 * of the members leaving and 2% entering, in csv and in api mode (api against the simulator with no rate limit: at
 * the default 100 requests/s, day 1 would take 2.8 hours); what planning the difference costs beyond staging (step
 * {@code planAudience}, and where its time goes: the plan's statements as PostgreSQL ran them, from a dry run of day 2
 * made with {@code EXPLAIN ANALYZE}); the heap under the CronJob's {@code -Xmx256m}; calls and rows of day 2; day 2
 * against day 1. Then 30 daily exports of a 1,000,000-member audience, 2% churn a day, each synced (csv) and followed by
 * {@code prune} as a scan would, with the default 14-day retention: PostgreSQL's database size day after day. Days pass
 * by moving the times Spring Batch recorded of every sync one day back after each day; nothing else is moved.
 */
final class AudienceRows {

    private static final String SEGMENT = "bench-audience";
    private static final String THIRTY_DAYS_SEGMENT = "bench-audience-30-days";
    private static final String TAG = "vip";
    private static final double CHURN = 0.02;
    private static final int DAYS = 30;
    private static final List<Integer> SIZE_DAYS = List.of(1, 14, 30);
    /** The plan's statements (SyncUserRepository, SyncLeftUserRepository), as they begin. */
    private static final List<String> PLAN_STATEMENTS = List.of("CREATE TEMPORARY TABLE audience_plan",
            "UPDATE sync_user AS u SET send_reason", "CREATE TEMPORARY TABLE left_member");

    private final Path work;
    private final BenchDatabase database;
    private final ResultTable table;
    private final List<String> notes;
    private final int runs;
    private final int apiRuns;
    private final long members;
    private final long churn;
    private final int latencyMs;
    private final int days;

    AudienceRows(Path work, BenchDatabase database, ResultTable table, List<String> notes, BenchOptions options, int runs,
            int latencyMs) {
        this.work = work;
        this.database = database;
        this.table = table;
        this.notes = notes;
        this.runs = runs;
        this.apiRuns = options.intValue("audience-api-runs", 1);
        this.members = options.longValue("audience-members", options.flag("quick") ? 20_000 : 1_000_000);
        this.churn = Math.round(members * CHURN);
        this.latencyMs = latencyMs;
        this.days = options.intValue("audience-days", DAYS);
    }

    void run() {
        csvDays();
        apiDays();
        thirtyDays();
    }

    // ---- day 1 and day 2, csv

    private void csvDays() {
        StorageLocation day1 = export(SEGMENT, 1, 1);
        StorageLocation day2 = export(SEGMENT, 2, 1 + churn);
        String load = MachineDescription.load();
        List<Day> firsts = new ArrayList<>();
        List<Day> seconds = new ArrayList<>();
        Path explain = work.resolve("logs").resolve("audience-csv-day-2-explain.txt");
        for (int run = 1; run <= runs; run++) {
            database.empty();
            firsts.add(csvDay(day1, "audience-csv-day-1-" + run));
            if (run == 1) {
                explainPlan(day2, explain);
            }
            seconds.add(csvDay(day2, "audience-csv-day-2-" + run));
        }
        Day first = Day.median(firsts);
        Day second = Day.median(seconds);
        String setting = ResultTable.count(members) + " members, 1 counter tag, " + SyncRun.JVM_LABEL;
        table.add("7", "audience day 2, csv: the plan beyond staging", setting + "; day 2: " + ResultTable.count(churn)
                + " leaving, " + ResultTable.count(churn) + " entering", runs, seconds(second.plan) + " s",
                String.format(Locale.ROOT, "step planAudience %.2f s: %s; staging %.1f s, removing duplicates %.1f s; "
                        + "target 2 s; load %s", second.plan, second.planStatements, second.staging, second.duplicates, load));
        table.add("7", "audience day 2, csv: rows", setting, runs, ResultTable.count(second.output) + " rows",
                String.format(Locale.ROOT, "%s entering members x 1 tag; day 1 wrote %s rows", ResultTable.count(churn),
                        ResultTable.count(first.output)));
        table.add("7", "audience day 2, csv: memory", setting, runs, String.format(Locale.ROOT, "heap max live %.0f MB",
                second.live), String.format(Locale.ROOT, "heap peak %.0f MB, max live after GC %.0f MB, peak RSS %.0f MB;"
                        + " day 1: heap peak %.0f MB, max live %.0f MB, peak RSS %.0f MB", second.heap, second.live, second.rss,
                        first.heap, first.live, first.rss));
        table.add("7", "audience day 2 / day 1, csv", setting, runs, String.format(Locale.ROOT, "%.1f%% of the rows, %.0f%% of the"
                + " time", 100.0 * second.output / first.output, 100 * second.job / first.job), String.format(Locale.ROOT,
                "job %.1f s (day 2) / %.1f s (day 1); the process, JVM start included, %.1f s / %.1f s; day 2 still reads,"
                        + " stages and compares all %s members", second.job, first.job, second.wall, first.wall,
                        ResultTable.count(members)));
        notes.add("- Row 7, the plan's statements as PostgreSQL ran them (EXPLAIN (ANALYZE, BUFFERS), a dry run of day 2 against"
                + " the state day 1 left, csv run 1; `" + explain.getFileName() + "`):\n\n" + indent(Benchmark.read(explain)));
    }

    private Day csvDay(StorageLocation export, String name) {
        SyncRun.Result result = new SyncRun(work, database).export(export).mode("csv").counterTags(TAG).next(name);
        long rows = database.number("""
                SELECT coalesce(sum(row_count), 0) FROM sync_bulk_file_part
                WHERE job_instance_id = (SELECT max(job_instance_id) FROM batch_job_instance WHERE job_name = 'segmentTagSync')""");
        return Day.of(result, rows);
    }

    /** A dry run of {@code export} whose plan statements run as EXPLAIN ANALYZE, their plans written to {@code report}. */
    private void explainPlan(StorageLocation export, Path report) {
        try {
            Files.deleteIfExists(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new SyncRun(work, database).export(export).mode("csv").counterTags(TAG).option("--dry-run")
                .jvmOption("-D" + CountingDriver.EXPLAIN_PROPERTY + "=" + String.join("|", PLAN_STATEMENTS))
                .jvmOption("-D" + CountingDriver.EXPLAIN_REPORT_PROPERTY + "=" + report.toAbsolutePath())
                .next("audience-csv-day-2-dry-run-explained");
    }

    // ---- day 1 and day 2, api

    private void apiDays() {
        StorageLocation day1 = export(SEGMENT, 1, 1);
        StorageLocation day2 = export(SEGMENT, 2, 1 + churn);
        String load = MachineDescription.load();
        List<Day> firsts = new ArrayList<>();
        List<Day> seconds = new ArrayList<>();
        for (int run = 1; run <= apiRuns; run++) {
            // A simulator of its own each run, with room for a million customers' tags.
            try (SimulatorProcess simulator = SimulatorProcess.start(work.resolve("logs").resolve("simulator-audience-" + run + ".log"),
                    List.of("-Xmx2g"), "--latency-ms", Integer.toString(latencyMs))) {
                database.empty();
                firsts.add(apiDay(simulator, day1, "audience-api-day-1-" + run));
                seconds.add(apiDay(simulator, day2, "audience-api-day-2-" + run));
            }
        }
        Day first = Day.median(firsts);
        Day second = Day.median(seconds);
        String setting = ResultTable.count(members) + " members, 1 counter tag, SessionM " + latencyMs + " ms, no rate limit"
                + " (sessionm.requests-per-second=0, max-in-flight 512), " + SyncRun.JVM_LABEL;
        table.add("7", "audience day 2, api: calls", setting, apiRuns, ResultTable.count(second.output) + " POSTs",
                String.format(Locale.ROOT, "%s entering members; requests of any kind %s; day 1: %s POSTs", ResultTable.count(churn),
                        ResultTable.count(second.requests), ResultTable.count(first.output)));
        table.add("7", "audience day 2, api: the plan beyond staging", setting, apiRuns, seconds(second.plan) + " s",
                String.format(Locale.ROOT, "step planAudience %.2f s: %s; staging %.1f s; load %s", second.plan, second.planStatements,
                        second.staging, load));
        table.add("7", "audience day 2, api: memory", setting, apiRuns, String.format(Locale.ROOT, "heap max live %.0f MB",
                second.live), String.format(Locale.ROOT, "heap peak %.0f MB, max live after GC %.0f MB, peak RSS %.0f MB;"
                        + " day 1: heap peak %.0f MB, max live %.0f MB, peak RSS %.0f MB", second.heap, second.live, second.rss,
                        first.heap, first.live, first.rss));
        double atTheDefaultRate = members / 100.0;
        table.add("7", "audience day 2 / day 1, api", setting, apiRuns, String.format(Locale.ROOT, "%.1f%% of the calls, %.1f%% of"
                + " the time", 100.0 * second.output / first.output, 100 * second.job / first.job), String.format(Locale.ROOT,
                "job %.1f s (day 2; tagging %.1f s) / %.1f s (day 1; tagging %.1f s, %s req/s). At the default 100 requests/s"
                        + " (computed, not run): day 1 %.1f h of calls, day 2 %.0f s of calls plus its %.0f s of reading and"
                        + " planning, %.1f%% of day 1", second.job, second.tagging, first.job, first.tagging,
                        ResultTable.count(first.output / first.tagging), atTheDefaultRate / 3600, churn / 100.0,
                        second.job - second.tagging, 100 * (churn / 100.0 + second.job - second.tagging)
                                / (atTheDefaultRate + first.job - first.tagging)));
    }

    private Day apiDay(SimulatorProcess simulator, StorageLocation export, String name) {
        SimulatorProcess.Stats before = simulator.stats();
        SyncRun.Result result = new SyncRun(work, database).export(export).mode("api").counterTags(TAG)
                .sessionm(simulator).property("sessionm.requests-per-second", 0).timeout(Duration.ofMinutes(90)).next(name);
        SimulatorProcess.Stats after = simulator.stats();
        Day day = Day.of(result, after.posts() - before.posts());
        day.requests = after.requests() - before.requests();
        return day;
    }

    // ---- 30 days with the retention

    private void thirtyDays() {
        database.empty();
        String load = MachineDescription.load();
        List<String> lines = new ArrayList<>();
        lines.add("| day | database | sync_user | sync_audience_member_tag | sync_left_user | job | planAudience | prune (its process) |"
                + " users' rows pruned |");
        lines.add("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        List<Long> sizes = new ArrayList<>();
        for (int day = 1; day <= days; day++) {
            StorageLocation export = generate(THIRTY_DAYS_SEGMENT, day, 1 + (day - 1) * churn, work.resolve("exports").resolve("day"));
            Day synced = csvDay(export, "audience-30-days-day-" + day);
            Prune prune = prune("audience-30-days-prune-" + day);
            long size = database.number("SELECT pg_database_size(current_database())");
            sizes.add(size);
            lines.add(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %.1f s | %.2f s | %.1f s (%.1f s) | %s |", day,
                    megabytes(size), megabytes(tableSize("sync_user")), megabytes(tableSize("sync_audience_member_tag")),
                    megabytes(tableSize("sync_left_user")), synced.job, synced.plan, prune.seconds, prune.process,
                    ResultTable.count(prune.usersPruned)));
            // The next day: every time Spring Batch recorded, a day earlier.
            database.execute("""
                    UPDATE batch_job_execution SET create_time = create_time - interval '1 day',
                        start_time = start_time - interval '1 day', end_time = end_time - interval '1 day',
                        last_updated = last_updated - interval '1 day'""");
            database.execute("""
                    UPDATE batch_step_execution SET create_time = create_time - interval '1 day',
                        start_time = start_time - interval '1 day', end_time = end_time - interval '1 day',
                        last_updated = last_updated - interval '1 day'""");
            Benchmark.deleteTree(work.resolve("exports").resolve("day"));
        }
        String setting = ResultTable.count(members) + " members, " + ResultTable.count(churn) + " leaving and "
                + ResultTable.count(churn) + " entering a day, csv, sync.ledger-retention 14d, prune after each day";
        StringBuilder atDays = new StringBuilder();
        for (int day : SIZE_DAYS) {
            if (day <= days) {
                atDays.append(atDays.isEmpty() ? "" : ", ").append("day ").append(day).append(' ').append(megabytes(sizes.get(day - 1)));
            }
        }
        int last = Math.min(days, 30);
        int middle = Math.min(days, 14);
        table.add("7", "audience, " + days + " daily exports: database size", setting, 1, String.format(Locale.ROOT,
                "day %d / day %d: %.2f", last, middle, (double) sizes.get(last - 1) / sizes.get(middle - 1)),
                atDays + "; target day 30 at most 2 x day 14; load " + load);
        notes.add("- Row 7, " + days + " daily exports: each day's export synced (csv, its own JVM), then `prune` (its own JVM, as"
                + " a scan does at its end), then PostgreSQL's sizes (`pg_database_size`, `pg_total_relation_size`: tables with"
                + " their indexes), then every time in batch_job_execution and batch_step_execution moved a day back."
                + " The audience's own times (tagged_at, changed_at) are not moved: the prune goes by the syncs' end times.\n\n"
                + String.join("\n", lines) + "\n");
    }

    private long tableSize(String table) {
        return database.number("SELECT pg_total_relation_size(?::regclass)", table);
    }

    /** @param seconds the prune's own time, as it reports it; {@code process} its process's, JVM start included */
    private record Prune(double seconds, double process, long usersPruned) {
    }

    /** {@code prune} in a JVM of its own, with the CronJob's JVM options, against the benchmark database. */
    private Prune prune(String name) {
        List<String> args = new ArrayList<>(List.of("prune"));
        database.springProperties().forEach((property, value) -> args.add("--" + property + "=" + value));
        JavaProcess process = JavaProcess.start(SyncRun.JVM_OPTIONS, Main.class.getName(), args,
                work.resolve("logs").resolve(name + ".log"));
        if (process.await(Duration.ofMinutes(30)) != 0) {
            throw new IllegalStateException("prune failed: see " + process.log());
        }
        String total = process.output().lines().filter(line -> line.startsWith("prune: ") && line.contains(" pruned ("))
                .reduce((first, second) -> second).orElseThrow(() -> new IllegalStateException("no total in " + process.log()));
        long users = Long.parseLong(total.replaceFirst(".* pruned \\(([\\d,]+) users' rows\\).*", "$1").replace(",", ""));
        double seconds = Double.parseDouble(total.replaceFirst(".*, in ([\\d.]+) s$", "$1"));
        return new Prune(seconds, process.elapsed().toNanos() / 1e9, users);
    }

    // ---- exports

    /** The export of {@code segment} of {@code day}, users from {@code firstUser}: generated once into target/bench/exports. */
    private StorageLocation export(String segment, int day, long firstUser) {
        Path root = work.resolve("exports").resolve(segment + "-" + members + "-day-" + day).toAbsolutePath();
        Path done = root.resolve("generated");
        if (!Files.exists(done)) {
            Benchmark.deleteTree(root);
            StorageLocation folder = generate(segment, day, firstUser, root);
            Benchmark.write(done, folder.uri());
        }
        return StorageLocation.parse(Benchmark.read(done));
    }

    private StorageLocation generate(String segment, int day, long firstUser, Path root) {
        return new ExportGenerator(new LocalObjectStore()).write(StorageLocation.directory(root.toAbsolutePath()),
                ExportGenerator.Spec.of(members).of(segment, day, firstUser));
    }

    // ---- figures

    /** One day's sync: seconds, heap and RSS in MB, and what it sent or wrote. */
    private static final class Day {
        double job;
        double wall;
        double staging;
        double duplicates;
        double plan;
        double tagging;
        String planStatements;
        double heap;
        double live;
        double rss;
        long output;
        long requests;

        static Day of(SyncRun.Result result, long output) {
            Day day = new Day();
            day.job = seconds(result.job().duration());
            day.wall = seconds(result.wall());
            day.staging = seconds(result.job().step(SyncStep.STAGE_USERS.stepName()).duration());
            day.duplicates = seconds(result.job().step(SyncStep.REMOVE_DUPLICATE_USERS.stepName()).duration());
            day.plan = seconds(result.job().step(SyncStep.PLAN_AUDIENCE.stepName()).duration());
            BenchDatabase.StepTimes tagging = result.job().steps().get(SyncStep.TAG_USERS.stepName());
            day.tagging = tagging == null ? 0 : seconds(tagging.duration());
            day.planStatements = planStatements(result.roundTrips());
            day.heap = result.heapMb()[0];
            day.live = result.heapMb()[1];
            day.rss = result.peakRssMb();
            day.output = output;
            return day;
        }

        /** The run of the median plan time; its other figures with it. */
        static Day median(List<Day> days) {
            List<Day> sorted = days.stream().sorted(Comparator.comparingDouble(day -> day.plan)).toList();
            return sorted.get((sorted.size() - 1) / 2);
        }

        private static String planStatements(RoundTrips roundTrips) {
            List<String> parts = new ArrayList<>();
            parts.add(String.format(Locale.ROOT, "ANALYZE sync_user %.2f s (%d times in the run: before this step and the"
                    + " sending one)", roundTrips.millis(sql -> sql.startsWith("ANALYZE sync_user")) / 1000,
                    roundTrips.count(sql -> sql.startsWith("ANALYZE sync_user"))));
            parts.add(part(roundTrips, "the decisions (audience_plan)", sql -> sql.startsWith(PLAN_STATEMENTS.get(0))));
            parts.add(part(roundTrips, "writing them to sync_user", sql -> sql.startsWith(PLAN_STATEMENTS.get(1))));
            parts.add(part(roundTrips, "the leavers (left_member)", sql -> sql.startsWith(PLAN_STATEMENTS.get(2))));
            parts.add(part(roundTrips, "recording them", sql -> sql.startsWith("INSERT INTO sync_left_user")));
            return String.join(", ", parts);
        }

        private static String part(RoundTrips roundTrips, String what, Predicate<String> sql) {
            return String.format(Locale.ROOT, "%s %.2f s", what, roundTrips.millis(sql) / 1000);
        }
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,.0f MB", bytes / 1e6);
    }

    private static String indent(String text) {
        return text.lines().map(line -> "      " + line).reduce((first, second) -> first + "\n" + second).orElse("");
    }
}
