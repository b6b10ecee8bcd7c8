package com.loyaltybridge.tagsync.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the simulator alone with {@code concurrency} POSTs under way at once, to show what it serves on this
 * machine when it is the only thing being measured. The load comes from the JDK's HTTP client in the benchmark's
 * JVM, which takes CPU of its own: the rate is what both together reach, the simulator's CPU per request is its own.
 */
final class SimulatorLoad {

    private SimulatorLoad() {
    }

    record Result(double requestsPerSecond, double simulatorMicrosPerRequest, long failures) {
    }

    static Result drive(SimulatorProcess simulator, int concurrency, int requests) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String authorization = "Basic " + Base64.getEncoder().encodeToString(
                (SimulatorProcess.API_KEY + ":" + SimulatorProcess.API_SECRET).getBytes(StandardCharsets.UTF_8));
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicLong failures = new AtomicLong();
        SimulatorProcess.Stats before = simulator.stats();
        Duration cpuBefore = simulator.cpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            inFlight.acquireUninterruptibly();
            HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/priv/v1/apps/" + SimulatorProcess.API_KEY
                            + "/external/users/load-" + i + "/tags"))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"tags\":[\"vip\"],\"ttl\":60}"))
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (failure != null || response.statusCode() != 200) {
                    failures.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquireUninterruptibly(concurrency);
        double seconds = (System.nanoTime() - start) / 1e9;
        SimulatorProcess.sleep(300);
        long served = simulator.stats().posts() - before.posts();
        double cpuSeconds = simulator.cpuTime().minus(cpuBefore).toNanos() / 1e9;
        return new Result(served / seconds, 1e6 * cpuSeconds / served, failures.get());
    }
}
