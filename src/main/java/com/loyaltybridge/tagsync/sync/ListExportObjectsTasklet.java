package com.loyaltybridge.tagsync.sync;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import com.loyaltybridge.tagsync.brazeexport.BrazeExportListing;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * Fixes the set of objects a sync reads: listed once, when the sync first starts, and recorded.
 * Every later start of the same sync reads exactly that set, and says so when the folder has changed.
 */
class ListExportObjectsTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ListExportObjectsTasklet.class);

    private final long jobInstanceId;
    private final StorageLocation export;
    private final BrazeExportListing listing;
    private final ExportObjectCatalog catalog;

    ListExportObjectsTasklet(long jobInstanceId, StorageLocation export, BrazeExportListing listing, ExportObjectCatalog catalog) {
        this.jobInstanceId = jobInstanceId;
        this.export = export;
        this.listing = listing;
        this.catalog = catalog;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        List<StoredObject> recorded = catalog.objectsOf(jobInstanceId, export);
        List<StoredObject> current = listing.objectsOf(export);
        if (recorded.isEmpty()) {
            catalog.record(jobInstanceId, current);
            log.info("Export {} has {} objects ({} bytes compressed)", export, current.size(),
                    current.stream().mapToLong(StoredObject::size).sum());
            return RepeatStatus.FINISHED;
        }
        Set<String> recordedNames = names(recorded);
        Set<String> currentNames = names(current);
        List<String> added = current.stream().map(StoredObject::name).filter(name -> !recordedNames.contains(name)).toList();
        List<String> removed = recorded.stream().map(StoredObject::name).filter(name -> !currentNames.contains(name)).toList();
        log.info("Resuming with the {} objects listed when this sync first started", recorded.size());
        if (!added.isEmpty()) {
            log.warn("{} objects appeared in {} since this sync first listed it; they are not part of this sync: {}",
                    added.size(), export, String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            log.warn("{} objects listed when this sync first started are gone from {}: {}", removed.size(), export,
                    String.join(", ", removed));
        }
        return RepeatStatus.FINISHED;
    }

    private static Set<String> names(List<StoredObject> objects) {
        return objects.stream().map(StoredObject::name).collect(Collectors.toSet());
    }
}
