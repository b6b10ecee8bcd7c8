package com.loyaltybridge.tagsync.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.loyaltybridge.tagsync.brazeapi.simulator.BrazeSimulator;

/** The Braze simulator in a JVM of its own ({@link BrazeSimulator#main}), so that its CPU is not the sync's. */
final class BrazeProcess implements AutoCloseable {

    static final String API_KEY = "bench-braze-key";
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final JavaProcess process;
    private final URI baseUrl;

    private BrazeProcess(JavaProcess process, URI baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /** @param options simulator options such as {@code --latency-ms 20} */
    static BrazeProcess start(Path log, String... options) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--api-key", API_KEY));
        args.addAll(List.of(options));
        // The simulator keeps every attribute object it took (what tests assert on): about 1 KB a member.
        JavaProcess process = JavaProcess.start(List.of("-Xmx4g"), BrazeSimulator.class.getName(), args, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher matcher = LISTENING.matcher(process.output());
            if (matcher.find()) {
                return new BrazeProcess(process, URI.create(matcher.group(1)));
            }
            SimulatorProcess.sleep(20);
        }
        process.close();
        throw new IllegalStateException("the Braze simulator did not start: " + process.output());
    }

    URI baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() {
        process.close();
    }
}
