package com.loyaltybridge.tagsync.brazeexport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

import org.jspecify.annotations.Nullable;

import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * The lines of one export object, numbered from 1 on through all its entries. Blank lines
 * are counted but not returned. Each entry starts a new line, and may start with its own
 * byte-order mark.
 */
final class ExportObjectLines implements Closeable {

    private final ExportArchive archive;

    private final int objectIndex;

    private final String objectKey;

    private final int maxLineSize;

    private @Nullable BoundedLineReader entry;

    private boolean ended;

    private long linesConsumed;

    ExportObjectLines(ExportArchive archive, int objectIndex, StoredObject object, int maxLineSize) {
        this.archive = archive;
        this.objectIndex = objectIndex;
        this.objectKey = object.key();
        this.maxLineSize = maxLineSize;
    }

    /** The next non-blank line, or null at the end of the object. */
    @Nullable ExportLine next() {
        BoundedLineReader.Line line;
        do {
            line = readLine();
            if (line == null) {
                return null;
            }
            linesConsumed++;
        }
        while (line.blank());
        return new ExportLine(objectIndex, objectKey, linesConsumed, line.content(), line.tooLong());
    }

    /**
     * Reads past {@code lines} lines, blank or not; returns how many there were, fewer
     * only at the end of the object.
     */
    long skip(long lines) {
        long skipped = 0;
        while (skipped < lines && skipLine()) {
            skipped++;
            linesConsumed++;
        }
        return skipped;
    }

    /**
     * How many lines, blank ones included, have been read so far: the line number of the
     * last one.
     */
    long linesConsumed() {
        return linesConsumed;
    }

    private BoundedLineReader.@Nullable Line readLine() {
        try {
            while (!ended) {
                BoundedLineReader reader = currentEntry();
                if (reader == null) {
                    return null;
                }
                BoundedLineReader.Line line = reader.read();
                if (line != null) {
                    return line;
                }
                entry = null;
            }
            return null;
        }
        catch (IOException e) {
            throw archive.corrupt(e);
        }
    }

    private boolean skipLine() {
        try {
            while (!ended) {
                BoundedLineReader reader = currentEntry();
                if (reader == null) {
                    return false;
                }
                if (reader.skip()) {
                    return true;
                }
                entry = null;
            }
            return false;
        }
        catch (IOException e) {
            throw archive.corrupt(e);
        }
    }

    private @Nullable BoundedLineReader currentEntry() {
        if (entry == null) {
            InputStream next = archive.nextEntry();
            if (next == null) {
                ended = true;
                return null;
            }
            entry = new BoundedLineReader(next, maxLineSize);
        }
        return entry;
    }

    @Override
    public void close() throws IOException {
        archive.close();
    }

}
