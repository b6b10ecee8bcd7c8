package com.loyaltybridge.tagsync.brazeexport;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * Reads the non-blank lines of an export's objects, in list order, streaming one object at a time:
 * memory stays flat whatever the size of the export. Restartable: the state saved in the step's
 * execution context is the object reached and the lines consumed in it, and a restart checks that the
 * objects are still the ones the interrupted run read before going on with exactly the next line.
 * Not thread-safe, as Spring Batch calls a reader from one thread.
 */
public class BrazeExportItemReader implements ItemStreamReader<ExportLine> {

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
    private int objectIndex;
    private @Nullable ExportObjectLines current;
    private boolean closed;

    public BrazeExportItemReader(ObjectStore store, List<StoredObject> objects, BrazeExportSettings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.objects = List.copyOf(objects);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void open(ExecutionContext context) {
        close();
        closed = false;
        objectIndex = 0;
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
    public @Nullable ExportLine read() {
        while (objectIndex < objects.size()) {
            if (current == null) {
                current = openLines(objectIndex);
            }
            ExportLine line = current.next();
            if (line != null) {
                return line;
            }
            closeCurrent();
            objectIndex++;
        }
        return null;
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
        context.putInt(OBJECT_INDEX, objectIndex);
        context.putLong(LINES_CONSUMED, current == null ? 0 : current.linesConsumed());
        if (objectIndex < objects.size()) {
            StoredObject object = objects.get(objectIndex);
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
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // Everything needed was read; a failure to let go of the connection or file changes nothing.
                log.debug("Could not close the export object just read", e);
            } finally {
                current = null;
            }
        }
    }
}
