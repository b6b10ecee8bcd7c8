package com.loyaltybridge.tagsync.brazeexport;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
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
 * Reads the non-blank lines of an export's objects, in list order, streaming one object
 * at a time, each line turned into an item by the given line mapper (the sync parses it
 * into a user): memory stays flat whatever the size of the export. Restartable: the state
 * saved in the step's execution context is the object reached and the lines consumed in
 * it, and a restart checks that the objects are still the ones the interrupted run read
 * before going on with exactly the next line.
 * <p>
 * Decompressing, splitting and mapping run ahead on a thread of their own
 * ({@link ExportReadAhead}), a few batches of lines beyond what {@link #read()} has
 * returned, so that they overlap with the step writing the previous chunk to the
 * database: the line mapper must be thread-safe. The saved state is always that of the
 * last line returned, never of the lines read ahead; a failure to read an object surfaces
 * from {@link #read()} after the lines before it. Not thread-safe, as Spring Batch calls
 * a reader from one thread.
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

    /**
     * Where reading starts or resumes; handed over to the read-ahead thread at the first
     * {@link #read()}.
     */
    private int objectIndex;

    private @Nullable ExportObjectLines current;

    private boolean closed;

    private @Nullable ExportReadAhead<T> readAhead;

    /**
     * The position of the last line returned: the object, and the lines consumed in it.
     */
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
        }
        catch (RuntimeException e) {
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
            readAhead = new ExportReadAhead<>(objects.size(), this::openLines, lineMapper, objectIndex, current);
            current = null;
        }
        ExportReadAhead.Mapped<T> line = readAhead.next();
        if (line == null) {
            return null;
        }
        positionObject = line.objectIndex();
        positionLines = line.lineNumber();
        return line.item();
    }

    /**
     * Saves the position. After {@link #close()} it saves nothing: Spring Batch 6 updates
     * and stores the context once more when a step is stopped, after closing the reader,
     * and a closed reader no longer knows the line it reached in its object; the context
     * already holds the position of the last commit.
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
            }
            else {
                context.putString(OBJECT_ETAG, object.etag());
            }
        }
        else {
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

    /**
     * How many objects of the export the step had finished reading at its last commit,
     * from its execution context.
     */
    public static int objectsFinished(ExecutionContext context) {
        return context.containsKey(OBJECT_INDEX) ? context.getInt(OBJECT_INDEX) : 0;
    }

    private ExportObjectLines openLines(int index) {
        StoredObject object = objects.get(index);
        log.debug("Reading {} (object {} of {}, {} bytes)", object.uri(), index + 1, objects.size(), object.size());
        return new ExportObjectLines(ExportArchive.open(store, object, settings), index, object,
                settings.maxLineBytes());
    }

    private void closeCurrent() {
        closeQuietly(current);
        current = null;
    }

    static void closeQuietly(@Nullable ExportObjectLines lines) {
        if (lines == null) {
            return;
        }
        try {
            lines.close();
        }
        catch (IOException e) {
            // Everything needed was read; a failure to let go of the connection or file
            // changes nothing.
            log.debug("Could not close the export object just read", e);
        }
    }

}
