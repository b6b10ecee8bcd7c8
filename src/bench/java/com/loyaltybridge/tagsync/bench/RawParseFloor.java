package com.loyaltybridge.tagsync.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipInputStream;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The floor under {@code csv} mode: decompressing the export's objects and parsing every line with Jackson's
 * streaming parser to find its {@code external_id}, and nothing else. No line splitting, no validation, no
 * database, no output; one thread, as a plain loop over the files would be. Prints
 * {@code users<TAB>seconds} of the pass over the files.
 */
public final class RawParseFloor {

    private static final JsonFactory JSON = new JsonFactory();

    private RawParseFloor() {
    }

    /** {@code <export folder>}: reads every {@code .gz} and {@code .zip} file in it. */
    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(path -> path.toString().endsWith(".gz") || path.toString().endsWith(".zip")).sorted().toList();
        }
        long start = System.nanoTime();
        long users = 0;
        for (Path file : files) {
            users += countUsers(file);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%d\t%.3f%n", users, seconds);
    }

    private static long countUsers(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            if (file.toString().endsWith(".gz")) {
                return countUsers(new GZIPInputStream(raw, 64 * 1024));
            }
            long users = 0;
            ZipInputStream zip = new ZipInputStream(raw);
            while (zip.getNextEntry() != null) {
                users += countUsers(zip);
            }
            return users;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Root-level JSON values one after the other, as JSON lines are; counts those with an external_id. */
    private static long countUsers(InputStream json) {
        long users = 0;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), new NonClosing(json))) {
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                String identifier = null;
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (value == JsonToken.VALUE_STRING && name.equals("external_id")) {
                        identifier = parser.getString();
                    } else {
                        parser.skipChildren();
                    }
                }
                if (identifier != null) {
                    users++;
                }
            }
        }
        return users;
    }

    /** Lets the zip stream go on to its next entry after the parser is closed. */
    private static final class NonClosing extends java.io.FilterInputStream {

        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
