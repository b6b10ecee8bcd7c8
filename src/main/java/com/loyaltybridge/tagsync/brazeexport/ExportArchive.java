package com.loyaltybridge.tagsync.brazeexport;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * One export object opened for reading: the decompressed bytes of its entries (the files
 * inside a zip, or the one file of a gzip), one entry after the other, streamed from the
 * store as they arrive. Decoding failures become {@link CorruptExportObjectException}s
 * naming the object; failures of the store itself stay
 * {@link com.loyaltybridge.tagsync.storage.ObjectUnavailableException}s.
 */
abstract sealed class ExportArchive implements Closeable permits ZipExportArchive, GzipExportArchive {

    private static final int READ_BUFFER_SIZE = 64 * 1024;

    private final StoredObject object;

    private final DataSize maxUncompressedSize;

    private long uncompressedBytes;

    protected ExportArchive(StoredObject object, DataSize maxUncompressedSize) {
        this.object = object;
        this.maxUncompressedSize = maxUncompressedSize;
    }

    static ExportArchive open(ObjectStore store, StoredObject object, BrazeExportSettings settings) {
        ExportFormat format = ExportFormat.of(object.name())
            .orElseThrow(() -> new IllegalArgumentException(object.key() + " is neither a .zip nor a .gz object"));
        DataSize limit = settings.maxUncompressedSizePerObject();
        InputStream raw = new BufferedInputStream(store.open(object), READ_BUFFER_SIZE);
        try {
            return switch (format) {
                case ZIP -> new ZipExportArchive(object, raw, limit);
                case GZIP -> new GzipExportArchive(object, raw, limit);
            };
        }
        catch (IOException e) {
            closeQuietly(raw);
            throw corrupt(object, format, e);
        }
        catch (RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    /**
     * The decompressed bytes of the next entry, ending where the entry ends, or null
     * after the last one.
     * @throws CorruptExportObjectException when the object cannot be decoded
     */
    final @Nullable InputStream nextEntry() {
        try {
            InputStream entry = nextDecompressedEntry();
            return entry == null ? null : new CountingEntryStream(entry);
        }
        catch (IOException e) {
            throw corrupt(e);
        }
    }

    /**
     * The next entry as the decompressor delivers it, or null after the last one, having
     * checked the archive is whole.
     */
    protected abstract @Nullable InputStream nextDecompressedEntry() throws IOException;

    protected abstract ExportFormat format();

    /** Closes the decompressor, its native memory, and the object's stream. */
    @Override
    public abstract void close() throws IOException;

    /** What a decoding failure while reading an entry means for this object. */
    final CorruptExportObjectException corrupt(IOException cause) {
        return corrupt(object, format(), cause);
    }

    private static CorruptExportObjectException corrupt(StoredObject object, ExportFormat format, IOException cause) {
        String kind = format == ExportFormat.ZIP ? "a readable zip archive" : "a readable gzip file";
        return new CorruptExportObjectException(object.key() + " is not " + kind + ": " + describe(cause), cause);
    }

    private static String describe(IOException cause) {
        String message = cause.getMessage() == null ? null : cause.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        if (cause instanceof EOFException) {
            return message == null ? "truncated" : "truncated (" + message + ")";
        }
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        }
        catch (IOException e) {
            // Already failing: the first failure is the one to report.
        }
    }

    /**
     * Counts what the object decompresses to across all its entries, failing past the
     * limit: a zip bomb stops here.
     */
    private final class CountingEntryStream extends InputStream {

        private final InputStream entry;

        CountingEntryStream(InputStream entry) {
            this.entry = entry;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = entry.read(buffer, offset, length);
            if (read > 0) {
                uncompressedBytes += read;
                if (uncompressedBytes > maxUncompressedSize.toBytes()) {
                    throw new CorruptExportObjectException(object.key() + " decompresses to more than "
                            + BrazeExportSettings.describe(maxUncompressedSize)
                            + " (braze.export.max-uncompressed-size-per-object): a zip bomb, or not a Braze export");
                }
            }
            return read;
        }

    }

}
