package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM started by the benchmark on its own class path, output to a log file, watched from outside: its peak
 * resident set size (polled from {@code /proc}) and the CPU time it used, so the figures are those of the process
 * measured and not of the benchmark.
 */
final class JavaProcess implements AutoCloseable {

    private static final Pattern HIGH_WATER_MARK = Pattern.compile("VmHWM:\\s+(\\d+) kB");

    private final Process process;
    private final Path log;
    private final long startNanos = System.nanoTime();
    private final Thread watcher;
    private volatile long peakRssKb;
    private volatile long cpuTicks;

    private JavaProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.watcher = new Thread(this::watch, "watch-" + process.pid());
        watcher.setDaemon(true);
        watcher.start();
    }

    static JavaProcess start(List<String> jvmOptions, String mainClass, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            return new JavaProcess(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    private void watch() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        while (process.isAlive()) {
            try {
                Matcher matcher = HIGH_WATER_MARK.matcher(Files.readString(status));
                if (matcher.find()) {
                    peakRssKb = Long.parseLong(matcher.group(1));
                }
                String counters = Files.readString(stat);
                // After "pid (name) ": state is field 3 of proc(5); utime and stime are fields 14 and 15.
                String[] fields = counters.substring(counters.lastIndexOf(')') + 2).split(" ");
                cpuTicks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                Thread.sleep(50);
            } catch (IOException | RuntimeException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the end; returns the exit code. */
    int await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("did not end within " + timeout + "; see " + log);
            }
            watcher.join(1_000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGKILL, as a node losing its pod would. */
    void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Resident set size at its highest, as far as polling every 50 ms saw it (the kernel keeps the maximum). */
    long peakRssMb() {
        return peakRssKb / 1024;
    }

    /** User and system CPU time used so far (at the last poll), in the kernel's usual 100 ticks per second. */
    Duration cpuTime() {
        return Duration.ofMillis(cpuTicks * 10);
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
