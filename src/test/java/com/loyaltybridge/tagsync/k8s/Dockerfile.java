package com.loyaltybridge.tagsync.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the manifests and the CronJob test take from the {@code Dockerfile}: its user, its
 * layers, its entry point.
 */
final class Dockerfile {

    private static final Path FILE = Path.of("Dockerfile");

    private static final Pattern LAYER = Pattern.compile("COPY --from=build /build/target/extracted/([a-z-]+)/ \\./");

    private static final Pattern USER = Pattern.compile("USER (\\d+):(\\d+)");

    private static final Pattern ENTRYPOINT = Pattern.compile("ENTRYPOINT \\[(.*)]");

    private Dockerfile() {
    }

    /** The extracted layers copied into the image, in order. */
    static List<String> layers() {
        return lines().stream().map(LAYER::matcher).filter(Matcher::matches).map(matcher -> matcher.group(1)).toList();
    }

    static long user() {
        return lines().stream()
            .map(USER::matcher)
            .filter(Matcher::matches)
            .map(matcher -> Long.parseLong(matcher.group(1)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the Dockerfile sets no numeric USER"));
    }

    /** The entry point, as the exec form lists it. */
    static List<String> entrypoint() {
        String list = lines().stream()
            .map(ENTRYPOINT::matcher)
            .filter(Matcher::matches)
            .map(matcher -> matcher.group(1))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the Dockerfile has no exec-form ENTRYPOINT"));
        return Arrays.stream(list.split(","))
            .map(String::strip)
            .map(item -> item.substring(1, item.length() - 1))
            .toList();
    }

    private static List<String> lines() {
        try {
            return Files.readAllLines(FILE);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
