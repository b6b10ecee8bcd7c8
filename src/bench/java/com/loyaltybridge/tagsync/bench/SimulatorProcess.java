package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.loyaltybridge.tagsync.sessionm.simulator.SessionmSimulator;

/**
 * The SessionM simulator in a JVM of its own, started with its command line ({@link SessionmSimulator#main}), so
 * that the CPU it uses is measured apart from the sync's.
 */
final class SimulatorProcess implements AutoCloseable {

    static final String API_KEY = "bench-key";
    static final String API_SECRET = "bench-secret";
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final JavaProcess process;
    private final URI baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    private SimulatorProcess(JavaProcess process, URI baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /** @param options simulator options such as {@code --latency-ms 20}, {@code --rate-limit 1000} */
    static SimulatorProcess start(Path log, String... options) {
        return start(log, List.of("-Xmx512m"), options);
    }

    /** @param jvmOptions the simulator's JVM options: it keeps every customer's tags, about 1 GB for a million */
    static SimulatorProcess start(Path log, List<String> jvmOptions, String... options) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--api-key", API_KEY, "--api-secret", API_SECRET));
        args.addAll(List.of(options));
        JavaProcess process = JavaProcess.start(jvmOptions, SessionmSimulator.class.getName(), args, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher matcher = LISTENING.matcher(process.output());
            if (matcher.find()) {
                return new SimulatorProcess(process, URI.create(matcher.group(1)));
            }
            sleep(20);
        }
        process.close();
        throw new IllegalStateException("the simulator did not start: " + process.output());
    }

    URI baseUrl() {
        return baseUrl;
    }

    /** The simulator's counters: POSTs received, answers by status. */
    Stats stats() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(baseUrl.resolve("/__simulator/stats?tags=false")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = JsonMapper.shared().readTree(response.body());
            Map<String, Long> byStatus = new java.util.TreeMap<>();
            json.path("byStatus").properties().forEach(entry -> byStatus.put(entry.getKey(), entry.getValue().asLong()));
            return new Stats(json.path("totalRequests").asLong(), json.path("posts").asLong(), byStatus);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the simulator's stats", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    Duration cpuTime() {
        return process.cpuTime();
    }

    record Stats(long requests, long posts, Map<String, Long> byStatus) {

        long answered(String status) {
            return byStatus.getOrDefault(status, 0L);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
