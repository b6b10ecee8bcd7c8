package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

import com.loyaltybridge.tagsync.storage.LocalObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.sync.SyncStep;

/**
 * The benchmark: runs the sync (each run in a JVM of its own, with the CronJob's JVM options) against
 * PostgreSQL and the SessionM simulator (a JVM of its own), prints a table and writes it, with a description of the
 * machine, to {@code bench/results/}. Every figure is the median of the runs the row names. Run it with
 * {@code bench/run}.
 *
 * <p>Options: {@code --runs N} (3), {@code --csv-users N} (1,000,000), {@code --api-users N} (100,000),
 * {@code --latency-ms N} (20), {@code --in-flight 1,16,64,256} (the api rows; the rate-limited row only with all of them),
 * {@code --serial-users N} (users at in-flight 1: 1,000), {@code --only simulator,csv,api,naive,ledger,restart,pace,serve,offers},
 * {@code --pace-seconds N} (the pace rows send N seconds' worth of users at their rate: 30),
 * {@code --serve-users N} (users of each of the two syncs under load: 20,000), {@code --serve-seconds N} (300),
 * {@code --serve-reads N} (reads per second: 50), {@code --offers-users N} (members of the offers rows at SessionM 20 ms:
 * 100,000), {@code --offers-heap-users N} (1,000,000), {@code --offers-braze-rate N} (requests/s configured in the
 * Braze pace row: 20), {@code --offers-braze-seconds N} (its length at that rate: 30), {@code --offers-rows
 * latency,pace,heap} (which of the offers rows: all),
 * {@code --only audience} (row 7, not in the default run: about 45 minutes;
 * {@code --audience-members N} (1,000,000), {@code --audience-days N} (30), {@code --audience-api-runs N} (1)),
 * {@code --quick} (small numbers, one run:
 * checks the harness, measures nothing worth keeping), {@code --results DIR} (bench/results).
 */
public final class Benchmark {

    private static final String IN_FLIGHT = "1,16,64,256";
    private static final int RATE_LIMIT = 1_000;
    private static final int NAIVE_USERS = 1_000;

    private final BenchOptions options;
    private final int runs;
    private final long csvUsers;
    private final long apiUsers;
    private final long serialUsers;
    private final int[] inFlights;
    private final boolean everyInFlight;
    private final int latencyMs;
    private final Set<String> only;
    private final Path work = Path.of("target", "bench");
    private final BenchDatabase database = new BenchDatabase();
    private final ResultTable table = new ResultTable();
    private final List<String> notes = new ArrayList<>();
    private double bestApiRate;

    private Benchmark(BenchOptions options) {
        this.options = options;
        boolean quick = options.flag("quick");
        this.runs = options.intValue("runs", quick ? 1 : 3);
        this.csvUsers = options.longValue("csv-users", quick ? 20_000 : 1_000_000);
        this.apiUsers = options.longValue("api-users", quick ? 2_000 : 100_000);
        this.serialUsers = options.longValue("serial-users", Math.min(apiUsers, NAIVE_USERS));
        String inFlight = options.text("in-flight", IN_FLIGHT);
        this.inFlights = Arrays.stream(inFlight.split(",")).mapToInt(Integer::parseInt).toArray();
        this.everyInFlight = inFlight.equals(IN_FLIGHT);
        this.latencyMs = options.intValue("latency-ms", 20);
        this.only = Set.of(options.text("only", "simulator,csv,api,naive,ledger,restart,pace,serve,offers").split(","));
    }

    public static void main(String[] args) {
        Benchmark benchmark = new Benchmark(BenchOptions.parse(args));
        benchmark.run();
    }

    private void run() {
        MachineDescription machine = MachineDescription.read(database);
        System.out.println(machine.format());
        if (only.contains("simulator")) {
            simulator();
        }
        if (only.contains("csv")) {
            csv();
        }
        if (only.contains("api") || only.contains("naive") || only.contains("ledger")) {
            api();
        }
        if (only.contains("naive")) {
            naive();
        }
        if (only.contains("restart")) {
            restart();
        }
        if (only.contains("pace")) {
            new PaceRows(work, database, table, notes, this::export, runs, options.intValue("pace-seconds", 30)).run();
        }
        if (only.contains("serve")) {
            serveUnderLoad();
        }
        if (only.contains("offers")) {
            boolean quick = options.flag("quick");
            new OffersRows(work, database, table, notes, runs, options.longValue("offers-users", quick ? 5_000 : 100_000),
                    options.longValue("offers-heap-users", quick ? 20_000 : 1_000_000),
                    options.intValue("offers-braze-rate", 20), options.intValue("offers-braze-seconds", quick ? 5 : 30))
                    .run(Set.of(options.text("offers-rows", "latency,pace,heap").split(",")));
        }
        if (only.contains("audience")) {
            new AudienceRows(work, database, table, notes, options, runs, latencyMs).run();
        }
        String loadAtEnd = MachineDescription.load();
        String report = machine.format() + "\n" + table.format() + "\nLoad at the end: " + loadAtEnd + "\n\n"
                + String.join("\n", notes) + "\n";
        System.out.println(table.format());
        System.out.println("Load at the end: " + loadAtEnd);
        write(report);
    }

    // ---- the simulator alone: what it serves when nothing else is measured

    private void simulator() {
        int requests = (int) Math.min(100_000, Math.max(20_000, apiUsers));
        String load = MachineDescription.load();
        List<Double> rates = new ArrayList<>();
        List<Double> micros = new ArrayList<>();
        try (SimulatorProcess simulator = SimulatorProcess.start(work.resolve("logs").resolve("simulator-alone.log"))) {
            SimulatorLoad.drive(simulator, 64, requests / 4);
            for (int run = 1; run <= runs; run++) {
                SimulatorLoad.Result result = SimulatorLoad.drive(simulator, 64, requests);
                if (result.failures() > 0) {
                    throw new IllegalStateException(result.failures() + " requests to the simulator failed");
                }
                rates.add(result.requestsPerSecond());
                micros.add(result.simulatorMicrosPerRequest());
            }
        }
        double perRequest = ResultTable.median(micros);
        table.add("2", "simulator alone, no latency", "64 in flight from the JDK HTTP client, " + ResultTable.count(requests)
                + " POSTs, after " + ResultTable.count(requests / 4) + " to warm up", runs, ResultTable.count(ResultTable.median(rates))
                + " req/s", String.format(Locale.ROOT, "simulator CPU %.0f µs per request: %s req/s per core it is given; "
                        + "load %s", perRequest, ResultTable.count(1e6 / perRequest), load));
    }

    // ---- 1. csv mode against the raw parse floor

    private void csv() {
        StorageLocation export = export(csvUsers);
        String load = MachineDescription.load();
        List<Double> rates = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        List<Double> staging = new ArrayList<>();
        List<Double> duplicates = new ArrayList<>();
        List<Double> bulkFile = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> live = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            SyncRun.Result result = new SyncRun(work, database).export(export).mode("csv").run("csv-" + run);
            double duration = seconds(result.job().duration());
            seconds.add(duration);
            rates.add(csvUsers / duration);
            staging.add(seconds(result.job().step(SyncStep.STAGE_USERS.stepName()).duration()));
            duplicates.add(seconds(result.job().step(SyncStep.REMOVE_DUPLICATE_USERS.stepName()).duration()));
            bulkFile.add(seconds(result.job().step(SyncStep.WRITE_BULK_FILE.stepName()).duration()));
            rss.add((double) result.peakRssMb());
            heap.add((double) result.heapMb()[0]);
            live.add((double) result.heapMb()[1]);
        }
        List<Double> floorRates = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            JavaProcess floor = JavaProcess.start(SyncRun.JVM_OPTIONS, RawParseFloor.class.getName(),
                    List.of(export.directory().toString()), work.resolve("logs").resolve("raw-floor-" + run + ".log"));
            if (floor.await(Duration.ofMinutes(10)) != 0) {
                throw new IllegalStateException("the raw parse failed: " + floor.output());
            }
            String[] fields = floor.output().strip().split("\t");
            floorRates.add(Long.parseLong(fields[0]) / Double.parseDouble(fields[1]));
        }
        double ours = ResultTable.median(rates);
        double floor = ResultTable.median(floorRates);
        String users = ResultTable.count(csvUsers);
        table.add("1", "csv end to end", users + " users, gz, " + SyncRun.JVM_LABEL, runs, ResultTable.count(ours) + " users/s",
                String.format(Locale.ROOT, "job %.1f s (staging %.1f s, removing duplicates %.1f s, bulk file %.1f s); peak RSS"
                        + " %.0f MB; heap peak %.0f MB, max live after GC %.0f MB; load %s", ResultTable.median(seconds),
                        ResultTable.median(staging), ResultTable.median(duplicates), ResultTable.median(bulkFile),
                        ResultTable.median(rss), ResultTable.median(heap), ResultTable.median(live), load));
        table.add("1", "raw floor: gunzip + Jackson only", users + " users, 1 thread, " + SyncRun.JVM_LABEL, runs,
                ResultTable.count(floor) + " users/s", "RawParseFloor: no line splitting, checks, database or output");
        table.add("1", "ours / raw floor", "", runs, String.format(Locale.ROOT, "%.2f", ours / floor),
                String.format(Locale.ROOT, "raw floor is %.1fx faster", floor / ours));
    }

    // ---- 2. api mode at several in-flight limits, then against a server rate limit; 4. ledger on and off

    private void api() {
        try (SimulatorProcess simulator = SimulatorProcess.start(work.resolve("logs").resolve("simulator-latency.log"),
                "--latency-ms", Integer.toString(latencyMs))) {
            ApiRun best = null;
            List<ApiRun> withLedger = new ArrayList<>();
            for (int inFlight : inFlights) {
                if (!only.contains("api") && inFlight != 64) {
                    continue;
                }
                ApiRun run = apiRuns(simulator, inFlight, apiUsersAt(inFlight), false);
                withLedger.add(run);
                double ideal = inFlight * 1000.0 / latencyMs;
                table.add("2", "api, latency " + latencyMs + " ms", "in-flight " + inFlight + ", " + ResultTable.count(run.users)
                        + " users", runs, ResultTable.count(run.rate) + " req/s", String.format(Locale.ROOT,
                        "efficiency %.0f%% of %s req/s; CPU over the sync process's life: sync %.0f%%, simulator %.0f%% (%.0f µs per request); load %s",
                        100 * run.rate / ideal, ResultTable.count(ideal), run.syncCpuPercent, run.simulatorCpuPercent,
                        run.simulatorMicrosPerRequest, run.load));
                if (best == null || run.rate > best.rate) {
                    best = run;
                }
            }
            bestApiRate = best.rate;
            if (only.contains("ledger")) {
                ledger(simulator, withLedger);
            }
        }
        if (only.contains("api") && everyInFlight) {
            rateLimited();
        }
    }

    private void ledger(SimulatorProcess simulator, List<ApiRun> withLedger) {
        for (ApiRun on : withLedger) {
            if (on.inFlight < 64) {
                continue;
            }
            ApiRun off = apiRuns(simulator, on.inFlight, on.users, true);
            table.add("4", "ledger on / off", "in-flight " + on.inFlight + ", " + ResultTable.count(on.users) + " users", runs,
                    String.format(Locale.ROOT, "%s / %s req/s", ResultTable.count(on.rate), ResultTable.count(off.rate)),
                    String.format(Locale.ROOT, "ledger costs %.1f%% of the throughput; load %s", 100 * (1 - on.rate / off.rate),
                            off.load));
            double extra = (on.roundTrips - off.roundTrips) / on.chunks;
            table.add("4", "ledger round trips per chunk", "in-flight " + on.inFlight + ", chunks of "
                    + ResultTable.count(10_000) + " users (no rate limit)", runs, String.format(Locale.ROOT, "%.1f", extra),
                    String.format(Locale.ROOT, "%d chunks; %.1f UPDATE sync_user per chunk; all round trips per chunk "
                            + "%.1f (ledger on) vs %.1f (off)", (long) on.chunks, on.ledgerUpdates / on.chunks,
                            on.roundTrips / on.chunks, off.roundTrips / on.chunks));
        }
        notes.add("- Ledger round trips per chunk: round trips of the run with the ledger minus those without it, over"
                + " the tagging step's chunks: one intent update, one outcome update and one commit per intent batch"
                + " (sync.intent-batch-size, at least the in-flight limit), so a constant per chunk whatever the users.");
    }

    private void rateLimited() {
        long users = Math.min(apiUsers, 30_000);
        try (SimulatorProcess simulator = SimulatorProcess.start(work.resolve("logs").resolve("simulator-rate-limit.log"),
                "--latency-ms", Integer.toString(latencyMs), "--rate-limit", Integer.toString(RATE_LIMIT))) {
            List<Double> share = new ArrayList<>();
            List<Double> throttled = new ArrayList<>();
            List<Double> throttledShare = new ArrayList<>();
            String load = MachineDescription.load();
            for (int run = 1; run <= runs; run++) {
                SimulatorProcess.Stats before = simulator.stats();
                SyncRun.Result result = new SyncRun(work, database).export(export(users)).mode("api")
                        .sessionm(simulator, 64).property("sessionm.requests-per-second", RATE_LIMIT)
                        .run("rate-limit-" + run);
                SimulatorProcess.Stats after = simulator.stats();
                double seconds = seconds(result.job().step(SyncStep.TAG_USERS.stepName()).duration());
                long posts = after.posts() - before.posts();
                long tooMany = after.answered("429") - before.answered("429");
                share.add((posts - tooMany) / seconds / RATE_LIMIT);
                throttled.add((double) tooMany);
                throttledShare.add(100.0 * tooMany / posts);
            }
            table.add("2", "api against a server limit of " + ResultTable.count(RATE_LIMIT) + " req/s",
                    "in-flight 64, client limit " + ResultTable.count(RATE_LIMIT) + " req/s, " + ResultTable.count(users) + " users",
                    runs, String.format(Locale.ROOT, "%.1f%% of the limit", 100 * ResultTable.median(share)),
                    String.format(Locale.ROOT, "%.0f answers 429 (%.2f%% of requests); load %s", ResultTable.median(throttled),
                            ResultTable.median(throttledShare), load));
        }
    }

    /**
     * All the api users, except one at a time ({@code --serial-users}, 1,000 by default): 100,000 calls of 20 ms take
     * over half an hour a run.
     */
    private long apiUsersAt(int inFlight) {
        return inFlight == 1 ? serialUsers : apiUsers;
    }

    private ApiRun apiRuns(SimulatorProcess simulator, int inFlight, long users, boolean ledgerOff) {
        StorageLocation export = export(users);
        ApiRun summary = new ApiRun(inFlight, users, MachineDescription.load());
        List<Double> rates = new ArrayList<>();
        List<Double> syncCpu = new ArrayList<>();
        List<Double> simulatorCpu = new ArrayList<>();
        List<Double> micros = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            SimulatorProcess.Stats before = simulator.stats();
            Duration simulatorCpuBefore = simulator.cpuTime();
            // Twice the ideal time of the calls, on top of the usual allowance: 100,000 users one at a time take 36 minutes.
            Duration ideal = Duration.ofMillis(users * latencyMs / inFlight);
            SyncRun sync = new SyncRun(work, database).export(export).mode("api").sessionm(simulator, inFlight)
                    .timeout(Duration.ofMinutes(30).plus(ideal.multipliedBy(2)));
            if (ledgerOff) {
                sync.property("spring.main.sources", LedgerOff.class.getName())
                        .property("spring.main.allow-bean-definition-overriding", true);
            }
            SyncRun.Result result = sync.run("api-" + inFlight + (ledgerOff ? "-ledger-off-" : "-") + run);
            SimulatorProcess.Stats after = simulator.stats();
            BenchDatabase.StepTimes tagging = result.job().step(SyncStep.TAG_USERS.stepName());
            double seconds = seconds(tagging.duration());
            long posts = after.posts() - before.posts();
            double simulatorCpuSeconds = seconds(simulator.cpuTime().minus(simulatorCpuBefore));
            rates.add(posts / seconds);
            syncCpu.add(100 * seconds(result.cpu()) / seconds(result.wall()));
            simulatorCpu.add(100 * simulatorCpuSeconds / seconds(result.wall()));
            micros.add(1e6 * simulatorCpuSeconds / posts);
            summary.chunks = tagging.commits();
            summary.roundTrips = result.roundTrips().total();
            summary.ledgerUpdates = result.roundTrips().count(sql -> sql.startsWith("UPDATE sync_user"));
        }
        summary.rate = ResultTable.median(rates);
        summary.syncCpuPercent = ResultTable.median(syncCpu);
        summary.simulatorCpuPercent = ResultTable.median(simulatorCpu);
        summary.simulatorMicrosPerRequest = ResultTable.median(micros);
        return summary;
    }

    /** The medians of the runs at one setting; round trips are those of the last run. */
    private static final class ApiRun {
        final int inFlight;
        final long users;
        final String load;
        double rate;
        double syncCpuPercent;
        double simulatorCpuPercent;
        double simulatorMicrosPerRequest;
        double chunks;
        double roundTrips;
        double ledgerUpdates;

        ApiRun(int inFlight, long users, String load) {
            this.inFlight = inFlight;
            this.users = users;
            this.load = load;
        }
    }

    // ---- 3. the naive baseline

    private void naive() {
        StorageLocation export = export(NAIVE_USERS);
        String load = MachineDescription.load();
        List<Double> rates = new ArrayList<>();
        try (SimulatorProcess simulator = SimulatorProcess.start(work.resolve("logs").resolve("simulator-naive.log"),
                "--latency-ms", Integer.toString(latencyMs))) {
            for (int run = 1; run <= runs; run++) {
                JavaProcess naive = JavaProcess.start(SyncRun.JVM_OPTIONS, NaiveSync.class.getName(),
                        List.of(export.uri(), simulator.baseUrl().toString(), SimulatorProcess.API_KEY, SimulatorProcess.API_SECRET),
                        work.resolve("logs").resolve("naive-" + run + ".log"));
                if (naive.await(Duration.ofMinutes(30)) != 0) {
                    throw new IllegalStateException("the naive baseline failed: " + naive.output());
                }
                String[] fields = naive.output().strip().lines().reduce((first, last) -> last).orElseThrow().split("\t");
                rates.add(Long.parseLong(fields[1]) / Double.parseDouble(fields[2]));
            }
        }
        double naive = ResultTable.median(rates);
        table.add("3", "naive baseline, latency " + latencyMs + " ms", "one request at a time, " + ResultTable.count(NAIVE_USERS)
                + " users", runs, ResultTable.count(naive) + " req/s", "plain chunk writer (NaiveSync); load " + load);
        if (bestApiRate > 0) {
            table.add("3", "ours / naive", "ours at its best in-flight", runs, String.format(Locale.ROOT, "%.0fx", bestApiRate / naive),
                    "");
        }
    }

    // ---- 5. restart cost

    /**
     * {@code serve} with two api syncs at the API's limit while clients read at a steady rate: one run, as it lasts
     * minutes. The syncs run at the default rate limit, so they outlast the reads.
     */
    private void serveUnderLoad() {
        boolean quick = options.flag("quick");
        long users = options.longValue("serve-users", quick ? 2_000 : 20_000);
        int reads = options.intValue("serve-reads", 50);
        Duration window = Duration.ofSeconds(options.intValue("serve-seconds", quick ? 20 : 300));
        String load = MachineDescription.load();
        ServeUnderLoad.Result result = new ServeUnderLoad(work, database).run(users, reads, window);
        table.add("serve", "serve under load", "2 api syncs of " + ResultTable.count(users) + " users (default rate limit, SessionM "
                + "20 ms) + " + reads + " reads/s for " + window.toSeconds() + " s, Deployment JVM options", 1,
                result.serverErrors() + " answers 5xx", ServeUnderLoad.format(result) + "; load " + load);
    }

    private void restart() {
        long users = apiUsers;
        List<Double> apiCosts = new ArrayList<>();
        List<Double> settled = new ArrayList<>();
        List<Double> twice = new ArrayList<>();
        String load = MachineDescription.load();
        for (int run = 1; run <= runs; run++) {
            // A fresh simulator each run: customers tagged by an earlier run would settle as already tagged.
            try (SimulatorProcess simulator = SimulatorProcess.start(work.resolve("logs").resolve("simulator-restart-" + run + ".log"),
                    "--latency-ms", Integer.toString(latencyMs))) {
                SimulatorProcess.Stats before = simulator.stats();
                SyncRun sync = new SyncRun(work, database).export(export(users)).mode("api").sessionm(simulator, 64);
                LongSupplier posts = () -> simulator.stats().posts() - before.posts();
                Restart restart = killAndResume(sync, "restart-api-" + run, posts, (long) (0.9 * users));
                SimulatorProcess.Stats after = simulator.stats();
                apiCosts.add(restart.secondsToCatchUp);
                settled.add((double) (after.requests() - after.posts() - (before.requests() - before.posts())));
                twice.add((double) (posts.getAsLong() - users));
            }
        }
        table.add("5", "restart after SIGKILL at 90%, api", "in-flight 64, " + ResultTable.count(users) + " users", runs,
                String.format(Locale.ROOT, "%.1f s", ResultTable.median(apiCosts)), String.format(Locale.ROOT,
                        "from the new process's start to its first POST past the killed run's; %.0f users in doubt settled "
                                + "by reading their tags; POSTs beyond one per user, most in any run: %.0f; load %s",
                        ResultTable.median(settled), twice.stream().mapToDouble(Double::doubleValue).max().orElse(0), load));

        StorageLocation export = export(csvUsers);
        int objects = new LocalObjectStore().list(export).size();
        List<Double> csvCosts = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            SyncRun sync = new SyncRun(work, database).export(export).mode("csv");
            // Positions are the object's index in the high 32 bits and the line in the low ones.
            long ninetyPercent = (long) (0.9 * objects) << 32;
            csvCosts.add(killAndResume(sync, "restart-csv-" + run, database::furthestStagedPosition, ninetyPercent).secondsToCatchUp);
        }
        table.add("5", "restart after SIGKILL at 90%, csv", ResultTable.count(csvUsers) + " users, killed while staging", runs,
                String.format(Locale.ROOT, "%.1f s", ResultTable.median(csvCosts)),
                "from the new process's start to staging past the furthest user the killed run had committed");
    }

    private record Restart(double secondsToCatchUp) {
    }

    /** Runs {@code sync}, kills it once {@code progress} reaches {@code killAt}, resumes it and times the catching up. */
    private Restart killAndResume(SyncRun sync, String name, LongSupplier progress, long killAt) {
        SyncRun.Started first = sync.start(name + "-killed");
        while (progress.getAsLong() < killAt) {
            if (!first.process().isAlive()) {
                throw new IllegalStateException("the run ended before it could be killed: see " + first.process().log());
            }
            SimulatorProcess.sleep(20);
        }
        first.process().kill();
        long reached = progress.getAsLong();
        SyncRun.Started second = sync.resume(name + "-resumed");
        while (progress.getAsLong() <= reached) {
            if (!second.process().isAlive()) {
                break;
            }
            SimulatorProcess.sleep(20);
        }
        double seconds = seconds(second.process().elapsed());
        second.await();
        return new Restart(seconds);
    }

    // ---- exports and output

    /** The export of {@code users} users, generated once into target/bench/exports and reused. */
    private StorageLocation export(long users) {
        Path root = work.resolve("exports").resolve(users + "-users").toAbsolutePath();
        Path done = root.resolve("generated");
        ExportGenerator.Spec spec = ExportGenerator.Spec.of(users);
        if (!Files.exists(done)) {
            deleteTree(root);
            StorageLocation folder = new ExportGenerator(new LocalObjectStore()).write(StorageLocation.directory(root), spec);
            write(done, folder.uri());
        }
        return StorageLocation.parse(read(done));
    }

    private void write(String report) {
        Path folder = Path.of(options.text("results", "bench/results"));
        Path file = folder.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")) + ".md");
        write(file, "# Benchmark " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16)
                + "\n\nCommand: `bench/run " + String.join(" ", options.arguments()) + "`\n\n" + report);
        System.out.println("Written to " + file);
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
