package com.loyaltybridge.tagsync.brazeexport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * Reads the non-blank lines of an export's objects, in list order, streaming one object at a time, each
 * line turned into an item by the given line mapper (the sync parses it into a user):
 * memory stays flat whatever the size of the export. Restartable: the state saved in the step's
 * execution context is the object reached and the lines consumed in it, and a restart checks that the
 * objects are still the ones the interrupted run read before going on with exactly the next line.
 * <p>
 * Decompressing, splitting and mapping run ahead on a thread of their own, a few batches of lines beyond
 * what {@link #read()} has returned, so that they overlap with the step writing the previous chunk to the
 * database: the line mapper must be thread-safe. The saved state is always that of the last line returned,
 * never of the lines read ahead; a failure to read an object surfaces from {@link #read()} after the lines
 * before it.
 * Not thread-safe, as Spring Batch calls a reader from one thread.
 */
public class BrazeExportItemReader<T> implements ItemStreamReader<T> {

    private static final Logger log = LoggerFactory.getLogger(BrazeExportItemReader.class);
    private static final String PREFIX = "brazeExportReader.";
    private static final String OBJECT_COUNT = PREFIX + "objectCount";
    private static final String OBJECT_INDEX = PREFIX + "objectIndex";
    private static final String OBJECT_KEY = PREFIX + "objectKey";
    private static final String OBJECT_ETAG = PREFIX + "objectEtag";
    private static final String LINES_CONSUMED = PREFIX + "linesConsumed";

    private final ObjectStore store;
    private final List<StoredObject> objects;
    private final BrazeExportSettings settings;
    private final Function<ExportLine, ? extends T> lineMapper;
    /** Where reading starts or resumes; handed over to the read-ahead thread at the first {@link #read()}. */
    private int objectIndex;
    private @Nullable ExportObjectLines current;
    private boolean closed;
    private @Nullable ReadAhead readAhead;
    /** The position of the last line returned: the object, and the lines consumed in it. */
    private int positionObject;
    private long positionLines;

    public BrazeExportItemReader(ObjectStore store, List<StoredObject> objects, BrazeExportSettings settings,
            Function<ExportLine, ? extends T> lineMapper) {
        this.store = Objects.requireNonNull(store, "store");
        this.objects = List.copyOf(objects);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.lineMapper = Objects.requireNonNull(lineMapper, "lineMapper");
    }

    /** A reader of the lines themselves. */
    public static BrazeExportItemReader<ExportLine> lines(ObjectStore store, List<StoredObject> objects,
            BrazeExportSettings settings) {
        return new BrazeExportItemReader<>(store, objects, settings, Function.identity());
    }

    @Override
    public void open(ExecutionContext context) {
        close();
        closed = false;
        objectIndex = 0;
        positionObject = 0;
        positionLines = 0;
        if (!context.containsKey(OBJECT_INDEX)) {
            return;
        }
        int savedCount = context.getInt(OBJECT_COUNT);
        if (savedCount != objects.size()) {
            throw new ItemStreamException("cannot resume reading the export: it holds " + objects.size()
                    + " objects now, but held " + savedCount + " when the interrupted run read it");
        }
        int savedIndex = context.getInt(OBJECT_INDEX);
        if (savedIndex < objects.size()) {
            resumeIn(savedIndex, context);
        }
        objectIndex = savedIndex;
        positionObject = savedIndex;
        positionLines = current == null ? 0 : current.linesConsumed();
    }

    private void resumeIn(int index, ExecutionContext context) {
        StoredObject object = objects.get(index);
        String savedKey = context.getString(OBJECT_KEY);
        String savedEtag = context.getString(OBJECT_ETAG, null);
        if (!object.key().equals(savedKey) || !Objects.equals(object.etag(), savedEtag)) {
            throw new ItemStreamException("cannot resume reading the export: object " + (index + 1) + " was " + savedKey
                    + " (ETag " + savedEtag + ") when the interrupted run read it, and is now " + object.key()
                    + " (ETag " + object.etag() + ")");
        }
        long consumed = context.getLong(LINES_CONSUMED);
        current = openLines(index);
        long skipped;
        try {
            skipped = current.skip(consumed);
        } catch (RuntimeException e) {
            closeCurrent();
            throw e;
        }
        if (skipped < consumed) {
            closeCurrent();
            throw new ItemStreamException("cannot resume reading the export: " + object.key() + " has " + skipped
                    + " lines, but the interrupted run had read " + consumed + " of them");
        }
        log.info("Resuming the export at line {} of {} (object {} of {})", consumed + 1, object.key(), index + 1,
                objects.size());
    }

    @Override
    public @Nullable T read() {
        if (readAhead == null) {
            readAhead = new ReadAhead(objectIndex, current);
            current = null;
        }
        Mapped<T> line = readAhead.next();
        if (line == null) {
            return null;
        }
        positionObject = line.objectIndex();
        positionLines = line.lineNumber();
        return line.item();
    }

    /** A line's item, and where the line was. */
    private record Mapped<T>(int objectIndex, long lineNumber, T item) {
    }

    /**
     * Saves the position. After {@link #close()} it saves nothing: Spring Batch 6 updates and stores the context
     * once more when a step is stopped, after closing the reader, and a closed reader no longer knows the line it
     * reached in its object; the context already holds the position of the last commit.
     */
    @Override
    public void update(ExecutionContext context) {
        if (closed) {
            return;
        }
        context.putInt(OBJECT_COUNT, objects.size());
        context.putInt(OBJECT_INDEX, positionObject);
        context.putLong(LINES_CONSUMED, positionLines);
        if (positionObject < objects.size()) {
            StoredObject object = objects.get(positionObject);
            context.putString(OBJECT_KEY, object.key());
            if (object.etag() == null) {
                context.remove(OBJECT_ETAG);
            } else {
                context.putString(OBJECT_ETAG, object.etag());
            }
        } else {
            context.remove(OBJECT_KEY);
            context.remove(OBJECT_ETAG);
        }
    }

    @Override
    public void close() {
        if (readAhead != null) {
            readAhead.stop();
            readAhead = null;
        }
        closeCurrent();
        closed = true;
    }

    /** How many objects of the export the step had finished reading at its last commit, from its execution context. */
    public static int objectsFinished(ExecutionContext context) {
        return context.containsKey(OBJECT_INDEX) ? context.getInt(OBJECT_INDEX) : 0;
    }

    private ExportObjectLines openLines(int index) {
        StoredObject object = objects.get(index);
        log.debug("Reading {} (object {} of {}, {} bytes)", object.uri(), index + 1, objects.size(), object.size());
        return new ExportObjectLines(ExportArchive.open(store, object, settings), index, object, settings.maxLineBytes());
    }

    private void closeCurrent() {
        closeQuietly(current);
        current = null;
    }

    private static void closeQuietly(@Nullable ExportObjectLines lines) {
        if (lines == null) {
            return;
        }
        try {
            lines.close();
        } catch (IOException e) {
            // Everything needed was read; a failure to let go of the connection or file changes nothing.
            log.debug("Could not close the export object just read", e);
        }
    }

    /**
     * The thread reading ahead: it hands over batches of lines through a bounded queue, then the end or the
     * failure that stopped it. It owns the object it is reading and closes it.
     */
    private final class ReadAhead {

        private static final int LINES_PER_BATCH = 1024;
        /** Batches end sooner when their lines are large: what is read ahead stays near a megabyte. */
        private static final int BYTES_PER_BATCH = 256 * 1024;
        private static final int BATCHES_AHEAD = 4;
        private static final long STOP_TIMEOUT_MILLIS = 30_000;

        private final BlockingQueue<Batch<T>> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);
        private final Thread thread;
        private Iterator<Mapped<T>> taken = Collections.emptyIterator();
        private boolean ended;
        private volatile boolean stopping;

        private record Batch<T>(List<Mapped<T>> lines, boolean last, @Nullable RuntimeException failure) {
        }

        ReadAhead(int firstObject, @Nullable ExportObjectLines resumed) {
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ItemStreamException("interrupted while reading the export", e);
            }
        }

        private void produce(int firstObject, @Nullable ExportObjectLines resumed) {
            ExportObjectLines lines = resumed;
            List<Mapped<T>> batch = new ArrayList<>(LINES_PER_BATCH);
            long batchBytes = 0;
            try {
                for (int index = firstObject; index < objects.size() && !stopping; index++) {
                    if (lines == null) {
                        lines = openLines(index);
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
                    closeQuietly(lines);
                    lines = null;
                }
                batches.put(new Batch<>(batch, true, null));
            } catch (InterruptedException stopped) {
                // close() is stopping the reader: nobody takes what is left.
            } catch (RuntimeException e) {
                // The lines before the failure are the export's all the same: they go first.
                offerLast(new Batch<>(batch, false, null), new Batch<>(List.of(), true, e));
            } finally {
                // Stopped by an interrupt: cleared, or the S3 stream would abort its close instead of releasing the connection.
                Thread.interrupted();
                closeQuietly(lines);
            }
        }

        private void offerLast(Batch<T> lines, Batch<T> failure) {
            try {
                batches.put(lines);
                batches.put(failure);
            } catch (InterruptedException stopped) {
                // close() is stopping the reader: nobody takes the failure either.
            }
        }

        /** Stops the thread and waits until it has closed the object it was reading. */
        void stop() {
            stopping = true;
            thread.interrupt();
            try {
                thread.join(STOP_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                log.warn("The export read-ahead did not stop within {} ms; it stops after its current read", STOP_TIMEOUT_MILLIS);
            }
        }
    }
}
