package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.loyaltybridge.tagsync.storage.LocalObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.wallet.WalletStep;

/**
 * The offers job's rows ({@code bench/run --only offers}), each run a process of its own with the CronJob's JVM options
 * (so {@code -Xmx256m}), against the SessionM simulator (its Connect side: every member's wallet holds
 * {@value #OFFERS_PER_WALLET} offers) and the Braze simulator, each a process of its own:
 * <ul>
 * <li>members per second at SessionM latency 20 ms with {@code sessionm.connect.max-in-flight} 64, on a first run
 * (every wallet changed: written) and on the next export of the same members (every wallet unchanged), and Braze
 * requests per member on each;</li>
 * <li>Braze's pace when SessionM is not the limit (no latency, no Connect rate limit): {@code /users/track} requests
 * per second against {@code braze.rest.requests-per-second}, while Braze is fed (from the first request the Braze
 * simulator received to the last) and over the step;</li>
 * <li>1,000,000 members, nothing limiting: the heap, peak and live after each collection, by thirds of the run.</li>
 * </ul>
 * Figures come from the job repository (the step's duration) and the summary each run prints.
 */
final class OffersRows {

    static final int OFFERS_PER_WALLET = 3;
    /** The Braze pace row's windows, from the first request. */
    private static final long WINDOW_MS = 5_000;
    private static final String IDENTIFIER = "custom_attribute:sm_user_id";
    private static final Pattern WRITTEN = Pattern.compile("\\n  written\\s+([\\d,]+) in ([\\d,]+) Braze requests");
    private static final Pattern UNCHANGED = Pattern.compile("\\n  unchanged\\s+([\\d,]+)");
    private static final Pattern CONNECT = Pattern.compile("SessionM pace\\s+(.+)");
    private static final Pattern BRAZE = Pattern.compile("Braze pace\\s+(.+)");
    private static final Pattern GC = Pattern.compile("\\[(\\d+\\.\\d+)s\\].*?(\\d+)M->(\\d+)M\\(\\d+M\\)");

    private final Path work;
    private final BenchDatabase database;
    private final ResultTable table;
    private final List<String> notes;
    private final int runs;
    private final long users;
    private final long heapUsers;
    private final int brazeRate;
    private final int brazeSeconds;

    OffersRows(Path work, BenchDatabase database, ResultTable table, List<String> notes, int runs, long users, long heapUsers,
            int brazeRate, int brazeSeconds) {
        this.work = work;
        this.database = database;
        this.table = table;
        this.notes = notes;
        this.runs = runs;
        this.users = users;
        this.heapUsers = heapUsers;
        this.brazeRate = brazeRate;
        this.brazeSeconds = brazeSeconds;
    }

    /** @param rows which rows: {@code latency}, {@code pace}, {@code heap} */
    void run(Set<String> rows) {
        if (rows.contains("latency")) {
            latencyRows();
        }
        if (rows.contains("pace")) {
            brazePace();
        }
        if (rows.contains("heap")) {
            heap();
        }
        notes.add("- Offers rows: every member's wallet holds " + OFFERS_PER_WALLET + " offers; members/s is members over the"
                + " refreshWallets step (reads, comparisons, Braze requests and their records; staging not counted). The"
                + " second run reads the next export of the same members, whose wallets are those written. Braze requests per"
                + " member: the summary's requests over its members; 1/75 = 0.0133 is one request per 75 changed wallets. The"
                + " heap row asks the run's JVM for a full collection (jcmd GC.run) at 25, 50, 75 and 95% of the wallets.");
    }

    /** Members per second at SessionM 20 ms, 64 in flight: a first run (all written), then the next export (all unchanged). */
    private void latencyRows() {
        List<Double> firstRates = new ArrayList<>();
        List<Double> nextRates = new ArrayList<>();
        List<Double> firstPerMember = new ArrayList<>();
        List<Double> nextPerMember = new ArrayList<>();
        String connect = "";
        String load = MachineDescription.load();
        for (int run = 1; run <= runs; run++) {
            try (SimulatorProcess sessionm = SimulatorProcess.start(log("offers-sessionm-" + run), "--latency-ms", "20",
                    "--wallet-offers", Integer.toString(OFFERS_PER_WALLET));
                    BrazeProcess braze = BrazeProcess.start(log("offers-braze-" + run), "--latency-ms", "20")) {
                database.emptyWallets();
                Measured first = measure(offers(sessionm, braze, export(users, 1), 64).start("offers-first-" + run).await());
                Measured next = measure(offers(sessionm, braze, export(users, 2), 64).resume("offers-next-" + run).await());
                firstRates.add(first.membersPerSecond());
                nextRates.add(next.membersPerSecond());
                firstPerMember.add(first.requestsPerMember());
                nextPerMember.add(next.requestsPerMember());
                connect = first.connect();
                if (next.unchanged() != users) {
                    throw new IllegalStateException("the next export found " + next.unchanged() + " of " + users + " unchanged");
                }
            }
        }
        double ideal = 64 * 1000.0 / 20;
        table.add("offers", "offers, SessionM 20 ms, in-flight 64: first run", ResultTable.count(users) + " members, every wallet"
                + " changed, Braze 20 ms at its default 100 req/s", runs, ResultTable.count(ResultTable.median(firstRates))
                + " members/s", String.format(Locale.ROOT, "%.0f%% of the %s reads/s 64 in flight allow; Braze requests per member"
                + " %.4f (1/75 = 0.0133); SessionM pace %s; load %s", 100 * ResultTable.median(firstRates) / ideal,
                ResultTable.count(ideal), ResultTable.median(firstPerMember), connect, load));
        table.add("offers", "offers, SessionM 20 ms, in-flight 64: next export", ResultTable.count(users) + " members, every"
                + " wallet unchanged", runs, ResultTable.count(ResultTable.median(nextRates)) + " members/s",
                String.format(Locale.ROOT, "Braze requests per member %.4f", ResultTable.median(nextPerMember)));
    }

    /**
     * Braze's pace against its configured rate when SessionM is not the limit, from the times the Braze simulator received
     * each request: while Braze was fed (from the first request to the last, the row's figure), and over the step, which
     * adds the step's start (the first chunk's reads before its first request) and its end. Pauses between requests
     * longer than twice the spacing the rate allows are counted as Braze left idle.
     */
    private void brazePace() {
        long members = (long) brazeRate * 75 * brazeSeconds;
        List<Double> whileFed = new ArrayList<>();
        List<Double> overStep = new ArrayList<>();
        String detail = "";
        String load = MachineDescription.load();
        for (int run = 1; run <= runs; run++) {
            try (SimulatorProcess sessionm = SimulatorProcess.start(log("offers-pace-sessionm-" + run),
                    "--wallet-offers", Integer.toString(OFFERS_PER_WALLET));
                    BrazeProcess braze = BrazeProcess.start(log("offers-pace-braze-" + run), "--latency-ms", "20")) {
                database.emptyWallets();
                SyncRun.Result result = offers(sessionm, braze, export(members, 1), 64)
                        .property("braze.rest.requests-per-second", brazeRate).start("offers-braze-pace-" + run).await();
                Measured measured = measure(result);
                List<Long> received = braze.requestTimes();
                double fedSeconds = (received.get(received.size() - 1) - received.get(0)) / 1000.0;
                double fedRate = (received.size() - 1) / fedSeconds;
                double stepRate = measured.requests() / measured.stepSeconds();
                long spacing = Math.round(2000.0 / brazeRate);
                long idleMs = 0;
                int pauses = 0;
                for (int i = 1; i < received.size(); i++) {
                    long gap = received.get(i) - received.get(i - 1);
                    if (gap > spacing) {
                        idleMs += gap;
                        pauses++;
                    }
                }
                List<String> windows = new ArrayList<>();
                long first = received.get(0);
                for (long from = first; from < received.get(received.size() - 1); from += WINDOW_MS) {
                    long start = from;
                    long end = Math.min(from + WINDOW_MS, received.get(received.size() - 1) + 1);
                    if (end - start >= 1000) {
                        long inWindow = received.stream().filter(at -> at >= start && at < end).count();
                        windows.add(String.format(Locale.ROOT, "%.1f", inWindow * 1000.0 / (end - start)));
                    }
                }
                whileFed.add(fedRate / brazeRate);
                overStep.add(stepRate / brazeRate);
                detail = String.format(Locale.ROOT, "while fed (first to last request): %d requests in %.1f s, %.1f req/s;"
                        + " over the refreshWallets step: %.1f req/s (%.1f%%), %.1f s of its %.1f s before the first request"
                        + " and after the last; %d chunks; %d pauses longer than %d ms between requests, %.1f s in all;"
                        + " req/s by %d s from the first request: %s; summary's Braze pace %s", received.size(), fedSeconds, fedRate,
                        stepRate, 100 * stepRate / brazeRate, measured.stepSeconds() - fedSeconds, measured.stepSeconds(),
                        result.job().step(WalletStep.REFRESH_WALLETS.stepName()).commits(), pauses, spacing, idleMs / 1000.0,
                        WINDOW_MS / 1000, String.join(", ", windows), measured.braze());
            }
        }
        table.add("offers", "offers, Braze's pace when SessionM is not the limit", ResultTable.count(members) + " members (" + brazeSeconds
                + " s at the rate), SessionM no latency, in-flight 64; Braze 20 ms, " + brazeRate + " req/s configured", runs,
                String.format(Locale.ROOT, "%.1f%% of %d req/s while fed; %.1f%% over the step", 100 * ResultTable.median(whileFed),
                        brazeRate, 100 * ResultTable.median(overStep)), detail + "; load " + load + " at the start, "
                        + MachineDescription.load() + " at the end");
    }

    /**
     * A million members under the CronJob's -Xmx256m, nothing limiting. When a quarter, half, three quarters and 95% of
     * the wallets are done, a full collection is asked for ({@code jcmd GC.run}): what it leaves is what the run holds
     * live at that point, the figure that must stay flat. A young collection's "after" is not: the old generation fills
     * with what died since the last full one.
     */
    private void heap() {
        String load = MachineDescription.load();
        try (SimulatorProcess sessionm = SimulatorProcess.start(log("offers-heap-sessionm"), "--wallet-offers",
                Integer.toString(OFFERS_PER_WALLET));
                BrazeProcess braze = BrazeProcess.start(log("offers-heap-braze"))) {
            database.emptyWallets();
            SyncRun.Started started = offers(sessionm, braze, export(heapUsers, 1), 64)
                    .property("braze.rest.requests-per-second", 0).timeout(Duration.ofHours(2)).start("offers-heap");
            List<Long> live = new ArrayList<>();
            for (double share : new double[] {0.25, 0.5, 0.75, 0.95}) {
                long target = (long) (share * heapUsers);
                while (started.process().isAlive() && database.walletsDone() < target) {
                    SimulatorProcess.sleep(200);
                }
                if (started.process().isAlive()) {
                    live.add(liveAfterFullCollection(started.process(), work.resolve("logs").resolve("offers-heap-gc.log")));
                }
            }
            SyncRun.Result result = started.await();
            Measured measured = measure(result);
            long[] peaks = SyncRun.heapPeaks(work.resolve("logs").resolve("offers-heap-gc.log"));
            table.add("offers", "offers, " + ResultTable.count(heapUsers) + " members under -Xmx256m", ResultTable.count(heapUsers) + " members, SessionM and"
                    + " Braze no latency and no rate limit, in-flight 64, " + SyncRun.JVM_LABEL, 1,
                    "live after a full GC at 25/50/75/95%: " + live.stream().map(mb -> mb + " MB")
                            .collect(java.util.stream.Collectors.joining(" / ")),
                    String.format(Locale.ROOT, "heap peak %d MB; peak RSS %d MB; job %.0f s, refreshWallets %.0f s (%s members/s);"
                            + " %s written in %s Braze requests (the Braze simulator, keeping counts only, peaked at %d MB RSS);"
                            + " load %s at the start, %s at the end", peaks[0], result.peakRssMb(), seconds(result.job().duration()),
                            measured.stepSeconds(), ResultTable.count(measured.membersPerSecond()), ResultTable.count(measured.written()),
                            ResultTable.count(measured.requests()), braze.peakRssMb(), load, MachineDescription.load()));
        }
    }

    /** Asks the JVM for a full collection and reads what it left, in MB, from its GC log. */
    private static long liveAfterFullCollection(JavaProcess process, Path gcLog) {
        int before = countFullCollections(gcLog);
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> full = readLines(gcLog).stream().filter(OffersRows::isRequestedFullCollection).toList();
            if (full.size() > before) {
                Matcher matcher = GC.matcher(full.get(full.size() - 1));
                if (matcher.find()) {
                    return Long.parseLong(matcher.group(3));
                }
            }
            SimulatorProcess.sleep(100);
        }
        throw new IllegalStateException("no full collection in " + gcLog);
    }

    /** jcmd's GC.run shows as "Diagnostic Command" (System.gc() as "System.gc()"): either is the one asked for. */
    private static boolean isRequestedFullCollection(String line) {
        return line.contains("Pause Full (Diagnostic Command)") || line.contains("Pause Full (System.gc())");
    }

    private static int countFullCollections(Path gcLog) {
        return Files.exists(gcLog) ? (int) readLines(gcLog).stream().filter(OffersRows::isRequestedFullCollection).count()
                : 0;
    }

    private SyncRun offers(SimulatorProcess sessionm, BrazeProcess braze, StorageLocation export, int inFlight) {
        return new SyncRun(work, database).export(export).offers(IDENTIFIER, sessionm, braze)
                .property("sessionm.connect.max-in-flight", inFlight)
                .property("sessionm.connect.requests-per-second", 0);
    }

    /** What one run's summary and job repository say. */
    private record Measured(double stepSeconds, long members, long written, long requests, long unchanged, String connect,
            String braze) {

        double membersPerSecond() {
            return members / stepSeconds;
        }

        double requestsPerMember() {
            return (double) requests / members;
        }
    }

    private Measured measure(SyncRun.Result result) {
        String summary = read(result.log());
        Matcher written = WRITTEN.matcher(summary);
        Matcher unchanged = UNCHANGED.matcher(summary);
        Matcher connect = CONNECT.matcher(summary);
        Matcher braze = BRAZE.matcher(summary);
        if (!written.find() || !unchanged.find()) {
            throw new IllegalStateException("no offers summary in " + result.log());
        }
        long writtenCount = number(written.group(1));
        long unchangedCount = number(unchanged.group(1));
        BenchDatabase.StepTimes step = result.job().step(WalletStep.REFRESH_WALLETS.stepName());
        return new Measured(seconds(step.duration()), writtenCount + unchangedCount, writtenCount, number(written.group(2)),
                unchangedCount, connect.find() ? connect.group(1).strip() : "", braze.find() ? braze.group(1).strip() : "");
    }

    /** An export of {@code members} members with their SessionM user_id; {@code seed} 2 is the next export of seed 1's. */
    private StorageLocation export(long members, long seed) {
        Path root = work.resolve("exports").resolve(members + "-members-" + seed).toAbsolutePath();
        Path done = root.resolve("generated");
        if (!Files.exists(done)) {
            StorageLocation folder = new ExportGenerator(new LocalObjectStore()).write(StorageLocation.directory(root),
                    ExportGenerator.Spec.of(members).withSessionmUserIds(seed));
            write(done, folder.uri());
        }
        return StorageLocation.parse(read(done).strip());
    }

    private Path log(String name) {
        return work.resolve("logs").resolve(name + ".log");
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
