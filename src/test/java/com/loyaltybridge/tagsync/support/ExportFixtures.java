package com.loyaltybridge.tagsync.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import tools.jackson.core.io.JsonStringEncoder;

/**
 * Braze segment export objects built in memory: JSON lines, zipped or gzipped the way
 * Braze writes them.
 */
public final class ExportFixtures {

    private ExportFixtures() {
    }

    /** Lines of the users {@code C-from} to {@code C-to}, in that order. */
    public static String[] users(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> user("C-" + i)).toArray(String[]::new);
    }

    /**
     * A Braze user line identified by {@code externalId} (any text, JSON-escaped here).
     */
    public static String user(String externalId) {
        return "{\"external_id\":\"" + escape(externalId)
                + "\",\"braze_id\":\"65a1f0c2e4b0a1b2c3d4e5f6\",\"language\":\"en\"}";
    }

    /** The lines, each ended by {@code \n}, as UTF-8. */
    public static byte[] lines(String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.toString().getBytes(UTF_8);
    }

    /** The text as UTF-8, with no line end added. */
    public static byte[] utf8(String text) {
        return text.getBytes(UTF_8);
    }

    /**
     * The parts one after the other, for objects spliced from pieces (a BOM, invalid
     * bytes, several members).
     */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /**
     * A zip archive with one entry per element, in order, named like Braze's inner files.
     */
    public static byte[] zip(byte[]... entries) {
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(archive)) {
            for (byte[] entry : entries) {
                zip.putNextEntry(new ZipEntry(randomName(".json")));
                zip.write(entry);
                zip.closeEntry();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return archive.toByteArray();
    }

    /**
     * A zip archive of entries given as name, content, name, content...; a name ending in
     * a slash is a directory. Names are written as given, {@code ../} and absolute paths
     * included.
     */
    public static byte[] zipWithEntries(Object... namesAndContents) {
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(archive)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new ZipEntry((String) namesAndContents[i]));
                zip.write((byte[]) namesAndContents[i + 1]);
                zip.closeEntry();
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return archive.toByteArray();
    }

    /** A zip archive with one entry holding {@code lines}. */
    public static byte[] zipOfLines(String... lines) {
        return zip(lines(lines));
    }

    /** A gzip file with one member per element, concatenated as gzip allows. */
    public static byte[] gzip(byte[]... members) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (byte[] member : members) {
            try (GZIPOutputStream gzip = new GZIPOutputStream(file)) {
                gzip.write(member);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file.toByteArray();
    }

    /** A gzip file of one member holding {@code lines}. */
    public static byte[] gzipOfLines(String... lines) {
        return gzip(lines(lines));
    }

    /**
     * A name like Braze gives its export objects: 32 random hex digits, then
     * {@code extension}.
     */
    public static String randomName(String extension) {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random) + extension;
    }

    private static String escape(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsCharArray(text));
    }

}
