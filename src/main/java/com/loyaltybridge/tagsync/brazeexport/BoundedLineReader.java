package com.loyaltybridge.tagsync.brazeexport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Splits one stream of bytes (one file of an export) into lines on {@code \n}, dropping a
 * {@code \r} before it and a UTF-8 byte-order mark at the start. Never holds more than
 * the line-size limit of one line: the rest of a longer line is read past, not kept,
 * whatever its length.
 */
final class BoundedLineReader {

    private static final int BUFFER_SIZE = 64 * 1024;

    private static final int INITIAL_LINE_CAPACITY = 8 * 1024;

    private static final byte[] BYTE_ORDER_MARK = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    /**
     * One line as read.
     *
     * @param content the line's bytes; empty when the line is blank or too long
     * @param blank nothing but spaces, tabs or other ASCII whitespace
     * @param tooLong longer than the limit
     */
    record Line(byte[] content, boolean blank, boolean tooLong) {

        private static final byte[] EMPTY = new byte[0];
        static final Line BLANK = new Line(EMPTY, true, false);
        static final Line TOO_LONG = new Line(EMPTY, false, true);

    }

    private final InputStream in;

    private final int maxLineSize;

    private final byte[] buffer = new byte[BUFFER_SIZE];

    private int position;

    private int limit;

    private byte[] line;

    private boolean started;

    BoundedLineReader(InputStream in, int maxLineSize) {
        this.in = in;
        this.maxLineSize = maxLineSize;
        // One byte over the limit leaves room for the '\r' of a line of exactly the
        // limit.
        this.line = new byte[Math.min(INITIAL_LINE_CAPACITY, maxLineSize + 1)];
    }

    /**
     * The next line, or null at the end of the stream. A last line without {@code \n} is
     * a line.
     */
    @Nullable Line read() throws IOException {
        start();
        int length = 0;
        boolean tooLong = false;
        boolean blank = true;
        boolean any = false;
        while (true) {
            if (position == limit && !fill()) {
                if (!any) {
                    return null;
                }
                break;
            }
            any = true;
            int newline = indexOfNewline();
            int end = newline < 0 ? limit : newline;
            int chunk = end - position;
            if (!tooLong && length + chunk > maxLineSize + 1) {
                tooLong = true;
                blank = isBlank(line, 0, length);
            }
            if (tooLong) {
                blank = blank && isBlank(buffer, position, end);
            }
            else {
                ensureCapacity(length + chunk);
                System.arraycopy(buffer, position, line, length, chunk);
                length += chunk;
            }
            position = newline < 0 ? limit : newline + 1;
            if (newline >= 0) {
                break;
            }
        }
        if (tooLong) {
            return blank ? Line.BLANK : Line.TOO_LONG;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (length > maxLineSize) {
            return isBlank(line, 0, length) ? Line.BLANK : Line.TOO_LONG;
        }
        return isBlank(line, 0, length) ? Line.BLANK : new Line(Arrays.copyOf(line, length), false, false);
    }

    /**
     * Reads past the next line without keeping any of it; false at the end of the stream.
     */
    boolean skip() throws IOException {
        start();
        boolean any = false;
        while (true) {
            if (position == limit && !fill()) {
                return any;
            }
            any = true;
            int newline = indexOfNewline();
            if (newline >= 0) {
                position = newline + 1;
                return true;
            }
            position = limit;
        }
    }

    private void start() throws IOException {
        if (started) {
            return;
        }
        started = true;
        while (limit < BYTE_ORDER_MARK.length) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                break;
            }
            limit += read;
        }
        if (limit >= BYTE_ORDER_MARK.length
                && Arrays.equals(buffer, 0, BYTE_ORDER_MARK.length, BYTE_ORDER_MARK, 0, BYTE_ORDER_MARK.length)) {
            position = BYTE_ORDER_MARK.length;
        }
    }

    private boolean fill() throws IOException {
        int read;
        do {
            read = in.read(buffer, 0, buffer.length);
        }
        while (read == 0);
        position = 0;
        limit = Math.max(read, 0);
        return read > 0;
    }

    private int indexOfNewline() {
        for (int i = position; i < limit; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void ensureCapacity(int capacity) {
        if (capacity > line.length) {
            line = Arrays.copyOf(line, Math.min(Math.max(capacity, line.length * 2), maxLineSize + 1));
        }
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\f' && b != 0x0B) {
                return false;
            }
        }
        return true;
    }

}
