package com.loyaltybridge.tagsync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application run the way an operator runs it,
 * {@code java -jar target/segment-tag-sync.jar}, each run in a JVM of its own that a test
 * may SIGKILL. Every run's output goes to a log file of its own under {@code target/},
 * kept for reading after a failure.
 */
public final class PackagedSync {

    private static final Path JAR = Path.of("target", "segment-tag-sync.jar");

    /**
     * Start-up options that only make the JVM start faster: the application runs as it
     * does anywhere.
     */
    private static final List<String> FAST_START = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");

    private final List<String> command;

    private final Path logDirectory;

    /**
     * @param jvmOptions extra JVM options, such as system properties
     * @param arguments the command line after the jar
     * @param properties settings, passed as {@code --name=value} options
     * @param logDirectory where each run's output goes; what earlier test runs left there
     * is removed
     */
    public PackagedSync(List<String> jvmOptions, List<String> arguments, Map<String, String> properties,
            Path logDirectory) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(FAST_START);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(arguments);
        properties.forEach((name, value) -> command.add("--" + name + "=" + value));
        this.command = List.copyOf(command);
        this.logDirectory = logDirectory;
        try (var earlier = Files.list(logDirectory)) {
            for (Path log : earlier.toList()) {
                Files.delete(log);
            }
        }
        catch (NoSuchFileException e) {
            // First run here: nothing to remove.
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Execution start(String name) {
        try {
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve(name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            return new Execution(name, process, log, System.nanoTime());
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** Everything every run so far has printed, for checks that span them all. */
    public String allOutput() {
        try (var logs = Files.list(logDirectory)) {
            StringBuilder all = new StringBuilder();
            for (Path log : logs.sorted().toList()) {
                all.append(Files.readString(log, StandardCharsets.UTF_8));
            }
            return all.toString();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One run of the packaged application. */
    public record Execution(String name, Process process, Path log, long startedNanos) {

        public boolean isAlive() {
            return process.isAlive();
        }

        public Duration age() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }

        /**
         * SIGKILL: no shutdown hook, no finally block, no last write; then waits for the
         * process to be gone.
         */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL");
            }
        }

        /** The exit code, once the run has ended by itself within {@code timeout}. */
        public int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not end within " + timeout + ":\n" + output());
            }
            return process.exitValue();
        }

        public String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }
    }

}
