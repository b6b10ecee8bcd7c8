package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
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
    private final Path requestLog;

    private BrazeProcess(JavaProcess process, URI baseUrl, Path requestLog) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.requestLog = requestLog;
    }

    /** @param options simulator options such as {@code --latency-ms 20} */
    static BrazeProcess start(Path log, String... options) {
        Path requestLog = log.resolveSibling(log.getFileName().toString().replaceFirst("\\.log$", "") + "-requests.tsv");
        List<String> args = new ArrayList<>(List.of("--port", "0", "--api-key", API_KEY, "--request-log",
                requestLog.toString()));
        args.addAll(List.of(options));
        // From the command line it keeps no profile and no request, only a line per request in the request log.
        JavaProcess process = JavaProcess.start(List.of("-Xmx512m"), BrazeSimulator.class.getName(), args, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher matcher = LISTENING.matcher(process.output());
            if (matcher.find()) {
                return new BrazeProcess(process, URI.create(matcher.group(1)), requestLog);
            }
            SimulatorProcess.sleep(20);
        }
        process.close();
        throw new IllegalStateException("the Braze simulator did not start: " + process.output());
    }

    URI baseUrl() {
        return baseUrl;
    }

    long peakRssMb() {
        return process.peakRssMb();
    }

    /** Every {@code /users/track} request received so far: when it arrived, in epoch milliseconds. */
    List<Long> requestTimes() {
        try {
            return Files.readAllLines(requestLog).stream().filter(line -> !line.isBlank())
                    .map(line -> Long.parseLong(line.substring(0, line.indexOf('\t')))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
