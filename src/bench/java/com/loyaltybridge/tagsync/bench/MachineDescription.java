package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the numbers were measured on: processor, cores, memory, system, Java, PostgreSQL, and the load. */
record MachineDescription(String processor, int cores, long memoryMb, String system, String java, String postgresql,
        String loadAtStart) {

    static MachineDescription read(BenchDatabase database) {
        return new MachineDescription(field("/proc/cpuinfo", "model name\\s*:\\s*(.+)"), Runtime.getRuntime().availableProcessors(),
                Long.parseLong(field("/proc/meminfo", "MemTotal:\\s*(\\d+) kB")) / 1024,
                field("/etc/os-release", "PRETTY_NAME=\"?([^\"\\n]+)"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                database.describe(), load());
    }

    /** The load averages over 1, 5 and 15 minutes, as {@code uptime} shows them. */
    static String load() {
        String[] averages = read("/proc/loadavg").split("\\s+");
        return averages[0] + ", " + averages[1] + ", " + averages[2];
    }

    String format() {
        return String.format(Locale.ROOT, """
                Machine: %s, %d cores, %,d MB memory, %s
                Java: %s; PostgreSQL: %s
                Load (1, 5, 15 min) at the start: %s
                """, processor, cores, memoryMb, system, java, postgresql, loadAtStart);
    }

    private static String field(String file, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(read(file));
        return matcher.find() ? matcher.group(1).strip() : "unknown";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
