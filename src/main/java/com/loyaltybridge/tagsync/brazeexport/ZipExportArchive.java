package com.loyaltybridge.tagsync.brazeexport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * A {@code .zip} export object, read front to back with {@link ZipInputStream}: all its
 * file entries in order, directories skipped, entry names never used. Streaming alone
 * cannot tell an archive cut short at an entry boundary, or bytes that are not a zip at
 * all, from a whole archive ({@code ZipInputStream} just reports no more entries), so the
 * archive must start with a zip signature and end with an end-of-central-directory record
 * that counts the entries read.
 */
final class ZipExportArchive extends ExportArchive {

    private static final int LOCAL_FILE_HEADER_SIGNATURE = 0x04034b50;

    private static final int END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;

    private static final int END_OF_CENTRAL_DIRECTORY_SIZE = 22;

    private static final int MAX_COMMENT_SIZE = 0xFFFF;

    /**
     * The entry count of an end-of-central-directory record whose real count is in the
     * zip64 record.
     */
    private static final int ZIP64_ENTRY_COUNT = 0xFFFF;

    private final TailRecordingInputStream recorded;

    private final ZipInputStream zip;

    private int entriesRead;

    private boolean finished;

    ZipExportArchive(StoredObject object, InputStream raw, DataSize maxUncompressedSize) throws IOException {
        super(object, maxUncompressedSize);
        this.recorded = new TailRecordingInputStream(raw, END_OF_CENTRAL_DIRECTORY_SIZE + MAX_COMMENT_SIZE);
        PushbackInputStream start = new PushbackInputStream(recorded, 4);
        byte[] signature = start.readNBytes(4);
        if (signature.length == 0) {
            throw new ZipException("it is empty");
        }
        // An archive starts with its first entry, or with the end-of-central-directory
        // record when it has none.
        if (signature.length < 4 || (littleEndianInt(signature, 0) != LOCAL_FILE_HEADER_SIGNATURE
                && littleEndianInt(signature, 0) != END_OF_CENTRAL_DIRECTORY_SIGNATURE)) {
            throw new ZipException("it does not start with a zip signature");
        }
        start.unread(signature);
        this.zip = new ZipInputStream(start);
    }

    @Override
    protected @Nullable InputStream nextDecompressedEntry() throws IOException {
        if (finished) {
            return null;
        }
        ZipEntry entry;
        while ((entry = nextEntry(zip)) != null) {
            entriesRead++;
            if (!entry.isDirectory()) {
                return zip;
            }
        }
        finished = true;
        requireEndOfCentralDirectory();
        return null;
    }

    private static @Nullable ZipEntry nextEntry(ZipInputStream zip) throws IOException {
        try {
            return zip.getNextEntry();
        }
        catch (IllegalArgumentException e) {
            // ZipInputStream decodes every entry name, although names are never used
            // here.
            throw new ZipException("an entry name is not valid UTF-8");
        }
    }

    private void requireEndOfCentralDirectory() throws IOException {
        // Reading to the very end also proves the whole object arrived.
        recorded.transferTo(OutputStream.nullOutputStream());
        byte[] tail = recorded.tail();
        for (int at = tail.length - END_OF_CENTRAL_DIRECTORY_SIZE; at >= 0; at--) {
            if (littleEndianInt(tail, at) == END_OF_CENTRAL_DIRECTORY_SIGNATURE
                    && at + END_OF_CENTRAL_DIRECTORY_SIZE + littleEndianShort(tail, at + 20) == tail.length) {
                int listed = littleEndianShort(tail, at + 10);
                if (listed != ZIP64_ENTRY_COUNT && listed != entriesRead) {
                    throw new ZipException("its central directory lists " + listed + " entries, but " + entriesRead
                            + " could be read");
                }
                return;
            }
        }
        throw new ZipException(
                "it does not end with an end-of-central-directory record: truncated, or followed by" + " other data");
    }

    @Override
    protected ExportFormat format() {
        return ExportFormat.ZIP;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    private static int littleEndianInt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16
                | (bytes[at + 3] & 0xFF) << 24;
    }

    private static int littleEndianShort(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
    }

    /**
     * Passes the object's bytes through and remembers the last ones, where the
     * end-of-central-directory record is.
     */
    private static final class TailRecordingInputStream extends InputStream {

        private final InputStream in;

        private final byte[] ring;

        private long total;

        TailRecordingInputStream(InputStream in, int capacity) {
            this.in = in;
            this.ring = new byte[capacity];
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = in.read(buffer, offset, length);
            if (read > 0) {
                int kept = Math.min(read, ring.length);
                int at = (int) ((total + read - kept) % ring.length);
                int untilWrap = Math.min(kept, ring.length - at);
                System.arraycopy(buffer, offset + read - kept, ring, at, untilWrap);
                System.arraycopy(buffer, offset + read - kept + untilWrap, ring, 0, kept - untilWrap);
                total += read;
            }
            return read;
        }

        /**
         * The last bytes read, oldest first: all of them, or as many as the capacity
         * holds.
         */
        byte[] tail() {
            int length = (int) Math.min(total, ring.length);
            byte[] tail = new byte[length];
            for (int i = 0; i < length; i++) {
                tail[i] = ring[(int) ((total - length + i) % ring.length)];
            }
            return tail;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

    }

}
