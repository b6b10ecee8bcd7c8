package com.loyaltybridge.tagsync.brazeexport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ItemStreamException;

/**
 * The thread reading an export ahead of {@link BrazeExportItemReader#read()}: it opens
 * the objects one after the other, maps their lines, and hands over batches of them
 * through a bounded queue, then the end or the failure that stopped it. It owns the
 * object it is reading and closes it.
 */
final class ExportReadAhead<T> {

    private static final int LINES_PER_BATCH = 1024;

    /**
     * Batches end sooner when their lines are large: what is read ahead stays near a
     * megabyte.
     */
    private static final int BYTES_PER_BATCH = 256 * 1024;

    private static final int BATCHES_AHEAD = 4;

    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private static final Logger log = LoggerFactory.getLogger(ExportReadAhead.class);

    private final int objectCount;

    private final IntFunction<ExportObjectLines> opener;

    private final Function<ExportLine, ? extends T> lineMapper;

    private final BlockingQueue<Batch<T>> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);

    private final Thread thread;

    private Iterator<Mapped<T>> taken = Collections.emptyIterator();

    private boolean ended;

    private volatile boolean stopping;

    /** A line's item, and where the line was. */
    record Mapped<T>(int objectIndex, long lineNumber, T item) {
    }

    private record Batch<T>(List<Mapped<T>> lines, boolean last, @Nullable RuntimeException failure) {
    }

    /**
     * Starts reading at object {@code firstObject}, or in {@code resumed} when a restart
     * already opened it.
     * @param objectCount the export's objects
     * @param opener opens the lines of the object at an index
     * @param lineMapper turns each line into an item, on this thread: it must be
     * thread-safe
     */
    ExportReadAhead(int objectCount, IntFunction<ExportObjectLines> opener,
            Function<ExportLine, ? extends T> lineMapper, int firstObject, @Nullable ExportObjectLines resumed) {
        this.objectCount = objectCount;
        this.opener = opener;
        this.lineMapper = lineMapper;
        this.thread = new Thread(() -> produce(firstObject, resumed), "braze-export-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    @Nullable Mapped<T> next() {
        while (!taken.hasNext()) {
            if (ended) {
                return null;
            }
            Batch<T> batch = take();
            if (batch.failure() != null) {
                ended = true;
                throw batch.failure();
            }
            ended = batch.last();
            taken = batch.lines().iterator();
        }
        return taken.next();
    }

    private Batch<T> take() {
        try {
            return batches.take();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ItemStreamException("interrupted while reading the export", e);
        }
    }

    private void produce(int firstObject, @Nullable ExportObjectLines resumed) {
        ExportObjectLines lines = resumed;
        List<Mapped<T>> batch = new ArrayList<>(LINES_PER_BATCH);
        long batchBytes = 0;
        try {
            for (int index = firstObject; index < objectCount && !stopping; index++) {
                if (lines == null) {
                    lines = opener.apply(index);
                }
                for (ExportLine line = lines.next(); line != null && !stopping; line = lines.next()) {
                    batch.add(new Mapped<>(line.objectIndex(), line.lineNumber(), lineMapper.apply(line)));
                    batchBytes += line.content().length;
                    if (batch.size() == LINES_PER_BATCH || batchBytes >= BYTES_PER_BATCH) {
                        batches.put(new Batch<>(batch, false, null));
                        batch = new ArrayList<>(LINES_PER_BATCH);
                        batchBytes = 0;
                    }
                }
                BrazeExportItemReader.closeQuietly(lines);
                lines = null;
            }
            batches.put(new Batch<>(batch, true, null));
        }
        catch (InterruptedException stopped) {
            // close() is stopping the reader: nobody takes what is left.
        }
        catch (RuntimeException e) {
            // The lines before the failure are the export's all the same: they go first.
            offerLast(new Batch<>(batch, false, null), new Batch<>(List.of(), true, e));
        }
        finally {
            // Stopped by an interrupt: cleared, or the S3 stream would abort its close
            // instead of releasing the connection.
            Thread.interrupted();
            BrazeExportItemReader.closeQuietly(lines);
        }
    }

    private void offerLast(Batch<T> lines, Batch<T> failure) {
        try {
            batches.put(lines);
            batches.put(failure);
        }
        catch (InterruptedException stopped) {
            // close() is stopping the reader: nobody takes the failure either.
        }
    }

    /** Stops the thread and waits until it has closed the object it was reading. */
    void stop() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(STOP_TIMEOUT_MILLIS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("The export read-ahead did not stop within {} ms; it stops after its current read",
                    STOP_TIMEOUT_MILLIS);
        }
    }

}
