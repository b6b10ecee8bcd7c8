package com.loyaltybridge.tagsync.bulkfile;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;

import com.loyaltybridge.tagsync.storage.PendingObject;
import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * One part of a bulk file being written: RFC 4180 CSV in UTF-8, one row per user and tag,
 * streamed to storage while its size and SHA-256 are computed. Invisible until
 * {@link #publish()}.
 */
public final class BulkFilePart implements AutoCloseable {

    private static final int WRITE_BUFFER_SIZE = 64 * 1024;

    private final int number;

    private final PendingObject target;

    private final CountingOutputStream counter;

    private final MessageDigest digest;

    private final Writer writer;

    private final CSVFormat format;

    /**
     * For each tag, the rest of a user's row after the identifier, as the format writes
     * it.
     */
    private final Map<String, String> rowEnds;

    private final StringBuilder identifierField = new StringBuilder();

    private long users;

    private long rows;

    BulkFilePart(int number, PendingObject target, CSVFormat format, List<String> tags, Long ttlSeconds) {
        this.number = number;
        this.target = target;
        this.format = format;
        String ttl = ttlSeconds == null ? "" : ttlSeconds.toString();
        this.digest = sha256();
        this.counter = new CountingOutputStream(new DigestOutputStream(target.stream(), digest));
        // Buffered before the encoder: fields are written a few characters at a time.
        this.writer = new BufferedWriter(new OutputStreamWriter(counter, StandardCharsets.UTF_8), WRITE_BUFFER_SIZE);
        try {
            this.rowEnds = new LinkedHashMap<>();
            for (String tag : tags) {
                rowEnds.put(tag, rowEnd(format, tag, ttl));
            }
            if (format.getHeader() != null && !format.getSkipHeaderRecord()) {
                format.printRecord(writer, (Object[]) format.getHeader());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rowEnd(CSVFormat format, String tag, String ttl) {
        StringBuilder rowEnd = new StringBuilder();
        try {
            format.print(tag, rowEnd, false);
            format.print(ttl, rowEnd, false);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rowEnd.append(format.getRecordSeparator()).toString();
    }

    /**
     * Writes one row per tag for this user. The identifier is quoted once, and the rest
     * of each row was quoted when the part started: printing every row field by field
     * took about a second of a million users' bulk file.
     */
    public void writeUser(String identifier) {
        writeUser(identifier, null);
    }

    /**
     * Writes one row per tag of {@code tags} for this user (null: every tag of the part),
     * each one of the part's tags.
     */
    public void writeUser(String identifier, List<String> tags) {
        try {
            identifierField.setLength(0);
            format.print(identifier, identifierField, true);
            for (String rowEnd : tags == null ? rowEnds.values() : tags.stream().map(this::rowEndOf).toList()) {
                writer.append(identifierField).append(rowEnd);
                rows++;
            }
            users++;
        }
        catch (IOException e) {
            throw new UncheckedIOException("writing part " + number + " of the bulk file failed", e);
        }
    }

    private String rowEndOf(String tag) {
        String rowEnd = rowEnds.get(tag);
        if (rowEnd == null) {
            throw new IllegalArgumentException("tag '" + tag + "' is not one of the bulk file's");
        }
        return rowEnd;
    }

    public long users() {
        return users;
    }

    /** Makes the part visible under its name, atomically. */
    public PublishedPart publish() {
        try {
            writer.flush();
        }
        catch (IOException e) {
            throw new UncheckedIOException("writing part " + number + " of the bulk file failed", e);
        }
        StoredObject stored = target.publish();
        return new PublishedPart(number, stored.name(), stored.uri(), users, rows, counter.count(),
                HexFormat.of().formatHex(digest.digest()));
    }

    /** Discards the part unless it was published. */
    @Override
    public void close() {
        target.close();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static final class CountingOutputStream extends FilterOutputStream {

        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }

    }

}
