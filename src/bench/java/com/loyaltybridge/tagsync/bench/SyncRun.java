package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.loyaltybridge.tagsync.cli.Main;
import com.loyaltybridge.tagsync.k8s.Manifests;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * One run of the sync command line in a JVM of its own, as production runs it (the CronJob's JVM options), against the
 * benchmark database through {@link CountingDriver}, with a GC log for the heap figures.
 */
final class SyncRun {

    /** The CronJob's JVM options (k8s/cronjob.yaml), for every JVM the benchmark starts. */
    static final List<String> JVM_OPTIONS = Manifests.cronJobJavaOptions();
    /** What of them the results should show: the heap and the collector. */
    static final String JVM_LABEL = JVM_OPTIONS.stream().filter(option -> option.startsWith("-Xmx") || option.endsWith("GC"))
            .collect(Collectors.joining(" "));
    static final String TAGS = "vip,braze_sync";
    static final String TTL = "2592000";
    private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\(\\d+M\\)");

    private final Path workDirectory;
    private final BenchDatabase database;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>(JVM_OPTIONS);
    private StorageLocation export;
    private String tags = TAGS;
    private String ttl = TTL;
    private final List<String> options = new ArrayList<>();
    private String mode = "csv";
    private String walletIdentifier;
    private Duration timeout = Duration.ofMinutes(30);

    SyncRun(Path workDirectory, BenchDatabase database) {
        this.workDirectory = workDirectory;
        this.database = database;
        properties.putAll(database.springProperties());
        properties.put("bulk-file.output", StorageLocation.directory(workDirectory.resolve("bulk-output")).uri());
    }

    SyncRun export(StorageLocation export) {
        this.export = export;
        return this;
    }

    /** Counter tags {@code tags} instead of the expiring {@value #TAGS}. */
    SyncRun counterTags(String tags) {
        this.tags = tags;
        this.ttl = null;
        return this;
    }

    /** A command-line option of {@code sync}, such as {@code --dry-run}. */
    SyncRun option(String option) {
        options.add(option);
        return this;
    }

    SyncRun mode(String mode) {
        this.mode = mode;
        return this;
    }

    /**
     * Runs the {@code offers} command rather than {@code sync}, the SessionM user_id read from {@code identifier}, against
     * {@code sessionm}'s Connect side and {@code braze}.
     */
    SyncRun offers(String identifier, SimulatorProcess sessionm, BrazeProcess braze) {
        this.walletIdentifier = identifier;
        return property("sessionm.connect.endpoint", sessionm.baseUrl())
                .property("sessionm.connect.authorization", OfferWallets.DEFAULT_AUTHORIZATION)
                .property("sessionm.connect.retailer-id", OfferWallets.DEFAULT_RETAILER_ID)
                .property("braze.rest.endpoint", braze.baseUrl())
                .property("braze.rest.api-key", BrazeProcess.API_KEY);
    }

    SyncRun property(String name, Object value) {
        properties.put(name, String.valueOf(value));
        return this;
    }

    /** SessionM is {@code simulator}, with at most {@code maxInFlight} calls under way and no rate limit. */
    SyncRun sessionm(SimulatorProcess simulator, int maxInFlight) {
        return sessionm(simulator)
                .property("sessionm.max-in-flight", maxInFlight)
                .property("sessionm.requests-per-second", 0);
    }

    /** SessionM is {@code simulator}; every other SessionM setting is the default. */
    SyncRun sessionm(SimulatorProcess simulator) {
        return property("sessionm.endpoint", simulator.baseUrl())
                .property("sessionm.api-key", SimulatorProcess.API_KEY)
                .property("sessionm.api-secret", SimulatorProcess.API_SECRET);
    }

    /** How long a run may take before it is killed and the benchmark fails: 30 minutes unless set. */
    SyncRun timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    SyncRun jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Starts the sync on an emptied database, without waiting. */
    Started start(String name) {
        database.empty();
        return launch(name);
    }

    /** Starts the same sync again, on the database as the last run left it: a restart. */
    Started resume(String name) {
        return launch(name);
    }

    /** Runs this sync on the database as the runs before left it (another export of an audience synced before). */
    Result next(String name) {
        return launch(name).await();
    }

    private Started launch(String name) {
        Path gcLog = workDirectory.resolve("logs").resolve(name + "-gc.log");
        Path roundTrips = workDirectory.resolve("logs").resolve(name + "-round-trips.tsv");
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Xlog:gc:file=" + gcLog);
        options.add("-D" + CountingDriver.REPORT_PROPERTY + "=" + roundTrips);
        List<String> args;
        if (walletIdentifier != null) {
            args = new ArrayList<>(List.of("offers", "--export=" + export.uri(), "--identifier=" + walletIdentifier));
        } else {
            args = new ArrayList<>(List.of("sync", "--export=" + export.uri(), "--tags=" + tags, "--mode=" + mode));
            if (ttl != null) {
                args.add("--ttl=" + ttl);
            }
        }
        args.addAll(this.options);
        properties.forEach((property, value) -> args.add("--" + property + "=" + value));
        JavaProcess process = JavaProcess.start(options, Main.class.getName(), args,
                workDirectory.resolve("logs").resolve(name + ".log"));
        return new Started(process, gcLog, roundTrips);
    }

    /** Runs the sync to its end; fails unless it completed. */
    Result run(String name) {
        return start(name).await();
    }

    /** A sync process under way. */
    final class Started {

        private final JavaProcess process;
        private final Path gcLog;
        private final Path roundTrips;

        Started(JavaProcess process, Path gcLog, Path roundTrips) {
            this.process = process;
            this.gcLog = gcLog;
            this.roundTrips = roundTrips;
        }

        JavaProcess process() {
            return process;
        }

        Result await() {
            int exit = process.await(timeout);
            if (exit != 0) {
                throw new IllegalStateException("the sync exited " + exit + ": see " + process.log());
            }
            return new Result(database.lastJob(), process.peakRssMb(), heapPeaks(gcLog), RoundTrips.read(roundTrips),
                    process.cpuTime(), process.elapsed(), process.log());
        }
    }

    /** Heap used at its highest before a collection, and after one (what stayed live), from the GC log. */
    static long[] heapPeaks(Path gcLog) {
        long before = 0;
        long after = 0;
        try {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher matcher = GC_PAUSE.matcher(line);
                if (matcher.find()) {
                    before = Math.max(before, Long.parseLong(matcher.group(1)));
                    after = Math.max(after, Long.parseLong(matcher.group(2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new long[] {before, after};
    }

    /** What one run did; {@code cpu} and {@code wall} are the whole process's, JVM start included; {@code log} its output. */
    record Result(BenchDatabase.JobTimes job, long peakRssMb, long[] heapMb, RoundTrips roundTrips, Duration cpu, Duration wall,
            Path log) {
    }
}
