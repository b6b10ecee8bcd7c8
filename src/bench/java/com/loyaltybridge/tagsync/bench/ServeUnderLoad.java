package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.loyaltybridge.tagsync.cli.Main;
import com.loyaltybridge.tagsync.k8s.Manifests;
import com.loyaltybridge.tagsync.storage.LocalObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * {@code serve} as the Deployment runs it (its JVM options from {@code k8s/deployment.yaml}, default settings) with
 * two api syncs running at the API's limit while clients read the executions list, a running execution's detail and
 * a rejected-users CSV at a steady rate: does any sync fail, does any read answer 5xx, how fast do the reads answer,
 * and how many connections and how much memory does the process use.
 */
final class ServeUnderLoad {

    private static final String VIEWER = "viewer-token-of-the-benchmark-0000";
    private static final String OPERATOR = "operator-token-of-the-benchmark-000";
    private static final Pattern PROMETHEUS_LINE = Pattern.compile("(?m)^(\\w+)(?:\\{[^}]*})? (\\S+)$");
    private static final JsonMapper JSON = JsonMapper.shared();

    /** What the row reports. */
    record Result(int readsPerSecond, Duration window, Map<String, Latencies> latencies, long serverErrors, long otherFailures,
            List<String> syncs, long peakRssMb, long[] heapMb, int poolSize, int peakActiveConnections,
            int peakPendingConnections, double longestConnectionWaitMs) {
    }

    /** Latencies of one kind of read, in milliseconds. */
    record Latencies(int count, double p50, double p99, double max) {
    }

    private final Path work;
    private final BenchDatabase database;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private URI base;

    ServeUnderLoad(Path work, BenchDatabase database) {
        this.work = work;
        this.database = database;
    }

    Result run(long usersPerSync, int readsPerSecond, Duration window) {
        database.empty();
        StorageLocation root = StorageLocation.directory(work.resolve("exports").resolve("serve-load"));
        ExportGenerator generator = new ExportGenerator(new LocalObjectStore());
        StorageLocation rejects = generator.write(root, new ExportGenerator.Spec(2_000, 1_000, ExportGenerator.Format.GZ, 0, 7,
                "serve-load-rejects"));
        StorageLocation first = generator.write(root, new ExportGenerator.Spec(usersPerSync, 5_000, ExportGenerator.Format.GZ, 0,
                8, "serve-load-a"));
        StorageLocation second = generator.write(root, new ExportGenerator.Spec(usersPerSync, 5_000, ExportGenerator.Format.GZ, 0,
                9, "serve-load-b"));
        Path logs = work.resolve("logs");
        // 2% of customers unknown to SessionM: the rejected-users CSV has rows to stream.
        try (SimulatorProcess simulator = SimulatorProcess.start(logs.resolve("serve-load-simulator.log"), "--latency-ms", "20",
                "--faults", "404=0.02");
                JavaProcess serve = startServe(simulator, root, logs)) {
            awaitReady(serve);
            long rejectsExecution = launch(rejects);
            awaitEnd(rejectsExecution, Duration.ofMinutes(5));
            long a = launch(first);
            long b = launch(second);
            Load load = new Load(readsPerSecond, List.of(
                    new Read("list", "/api/executions?size=50"),
                    new Read("detail", "/api/executions/" + a),
                    new Read("rejected-users.csv", "/api/executions/" + rejectsExecution + "/rejected-users.csv")));
            Pool pool = new Pool();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> pool.sample(prometheus()), 0, 1, TimeUnit.SECONDS);
            load.run(window);
            sampler.shutdownNow();
            List<String> syncs = new ArrayList<>();
            for (long id : List.of(a, b)) {
                JsonNode ended = awaitEnd(id, Duration.ofMinutes(30));
                syncs.add("execution " + id + " " + ended.path("status").asString() + ", " + ended.path("counts").path("tagged").asLong()
                        + " tagged, " + ended.path("counts").path("rejected").asLong() + " rejected");
            }
            serve.close();
            return new Result(readsPerSecond, window, load.latencies(), load.serverErrors.get(), load.otherFailures.get(), syncs,
                    serve.peakRssMb(), SyncRun.heapPeaks(logs.resolve("serve-load-gc.log")), pool.size, pool.peakActive,
                    pool.peakPending, pool.longestWaitMs);
        }
    }

    private JavaProcess startServe(SimulatorProcess simulator, StorageLocation root, Path logs) {
        int port = freePort();
        base = URI.create("http://127.0.0.1:" + port);
        List<String> options = new ArrayList<>(Manifests.deploymentJavaOptions());
        options.add("-Xlog:gc:file=" + logs.resolve("serve-load-gc.log"));
        Map<String, String> properties = new LinkedHashMap<>(database.springProperties());
        properties.put("server.port", String.valueOf(port));
        properties.put("api.viewer-token", VIEWER);
        properties.put("api.operator-token", OPERATOR);
        properties.put("scan.export-roots", root.uri());
        properties.put("sessionm.endpoint", simulator.baseUrl().toString());
        properties.put("sessionm.api-key", SimulatorProcess.API_KEY);
        properties.put("sessionm.api-secret", SimulatorProcess.API_SECRET);
        List<String> args = new ArrayList<>(List.of("serve"));
        properties.forEach((name, value) -> args.add("--" + name + "=" + value));
        return JavaProcess.start(options, Main.class.getName(), args, logs.resolve("serve-load.log"));
    }

    private void awaitReady(JavaProcess serve) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!serve.isAlive()) {
                throw new IllegalStateException("serve ended: " + serve.output());
            }
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException("serve did not become ready: " + serve.output());
    }

    private long launch(StorageLocation export) {
        HttpResponse<String> launched = send(HttpRequest.newBuilder(base.resolve("/api/syncs"))
                .header("Authorization", "Bearer " + OPERATOR).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"export\":\"" + export.uri() + "\",\"tags\":[\"vip\",\"braze_sync\"],"
                        + "\"ttl\":2592000,\"mode\":\"api\"}")));
        if (launched.statusCode() != 202) {
            throw new IllegalStateException("launch answered " + launched.statusCode() + ": " + launched.body());
        }
        return JSON.readTree(launched.body()).path("executionId").asLong();
    }

    private JsonNode awaitEnd(long id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode execution = JSON.readTree(get("/api/executions/" + id).body());
            if (!execution.path("endTime").isNull() && !execution.path("exitCode").asString().equals("EXECUTING")) {
                return execution;
            }
            sleep(1_000);
        }
        throw new IllegalStateException("execution " + id + " did not end within " + timeout);
    }

    private String prometheus() {
        return get("/actuator/prometheus").body();
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + VIEWER));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One kind of read the clients make. */
    private record Read(String name, String path) {
    }

    /** Reads at a steady rate, each kind in turn, without waiting for answers; latency from send to the last byte. */
    private final class Load {

        private final int perSecond;
        private final List<Read> reads;
        private final Map<String, List<Double>> millis = new ConcurrentHashMap<>();
        private final AtomicLong serverErrors = new AtomicLong();
        private final AtomicLong otherFailures = new AtomicLong();
        private final AtomicInteger sent = new AtomicInteger();

        Load(int perSecond, List<Read> reads) {
            this.perSecond = perSecond;
            this.reads = reads;
            reads.forEach(read -> millis.put(read.name(), Collections.synchronizedList(new ArrayList<>())));
        }

        void run(Duration window) {
            ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
            ticks.scheduleAtFixedRate(this::one, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
            sleep(window.toMillis());
            ticks.shutdownNow();
            sleep(5_000);
        }

        private void one() {
            Read read = reads.get(sent.getAndIncrement() % reads.size());
            long start = System.nanoTime();
            http.sendAsync(HttpRequest.newBuilder(base.resolve(read.path())).header("Authorization", "Bearer " + VIEWER)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        if (failure != null) {
                            otherFailures.incrementAndGet();
                        } else if (response.statusCode() >= 500) {
                            serverErrors.incrementAndGet();
                        } else if (response.statusCode() != 200) {
                            otherFailures.incrementAndGet();
                        } else {
                            millis.get(read.name()).add((System.nanoTime() - start) / 1e6);
                        }
                    });
        }

        Map<String, Latencies> latencies() {
            Map<String, Latencies> result = new LinkedHashMap<>();
            millis.forEach((name, values) -> {
                List<Double> sorted;
                synchronized (values) {
                    sorted = values.stream().sorted().toList();
                }
                result.put(name, sorted.isEmpty() ? new Latencies(0, 0, 0, 0) : new Latencies(sorted.size(),
                        percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.get(sorted.size() - 1)));
            });
            return result;
        }
    }

    /** The connection pool as the process's own metrics say, sampled every second. */
    private static final class Pool {
        private int size;
        private int peakActive;
        private int peakPending;
        private double longestWaitMs;

        void sample(String exposition) {
            Matcher line = PROMETHEUS_LINE.matcher(exposition);
            while (line.find()) {
                double value = Double.parseDouble(line.group(2));
                switch (line.group(1)) {
                    case "hikaricp_connections_max" -> size = (int) value;
                    case "hikaricp_connections_active" -> peakActive = Math.max(peakActive, (int) value);
                    case "hikaricp_connections_pending" -> peakPending = Math.max(peakPending, (int) value);
                    // The longest wait for a connection in the meter's recent window: what sampling alone would miss.
                    case "hikaricp_connections_acquire_seconds_max" -> longestWaitMs = Math.max(longestWaitMs, value * 1000);
                    default -> {
                    }
                }
            }
        }
    }

    static String format(Result result) {
        StringBuilder text = new StringBuilder();
        result.latencies().forEach((name, latency) -> text.append(String.format(Locale.ROOT, "%s p50 %.0f ms, p99 %.0f ms, max %.0f ms"
                + " (%,d reads); ", name, latency.p50(), latency.p99(), latency.max(), latency.count())));
        text.append(result.serverErrors()).append(" answers 5xx, ").append(result.otherFailures()).append(" other failures; ")
                .append(String.join("; ", result.syncs())).append("; serve peak RSS ").append(result.peakRssMb())
                .append(" MB, heap ").append(result.heapMb()[0]).append(" MB before GC / ").append(result.heapMb()[1])
                .append(" MB after at most; connections: pool ").append(result.poolSize()).append(", at most ")
                .append(result.peakActiveConnections()).append(" in use, at most ").append(result.peakPendingConnections())
                .append(" requests waiting for one, longest wait for one ")
                .append(String.format(Locale.ROOT, "%.0f ms", result.longestConnectionWaitMs()));
        return text.toString();
    }

    private static double percentile(List<Double> sorted, double fraction) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(fraction * sorted.size()) - 1));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
