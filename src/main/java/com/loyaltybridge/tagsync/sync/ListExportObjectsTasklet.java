package com.loyaltybridge.tagsync.sync;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import com.loyaltybridge.tagsync.brazeexport.BrazeExportListing;
import com.loyaltybridge.tagsync.ledger.SyncExportObjectRepository;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * Fixes the set of objects a sync reads: listed once, when the sync first starts, and
 * recorded. Every later start of the same sync reads exactly that set, and says so when
 * the folder has changed, or is gone: a folder that cannot be listed any more only
 * matters if objects are still to be read.
 */
class ListExportObjectsTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ListExportObjectsTasklet.class);

    private final long jobInstanceId;

    private final StorageLocation export;

    private final BrazeExportListing listing;

    private final SyncExportObjectRepository catalog;

    ListExportObjectsTasklet(long jobInstanceId, StorageLocation export, BrazeExportListing listing,
            SyncExportObjectRepository catalog) {
        this.jobInstanceId = jobInstanceId;
        this.export = export;
        this.listing = listing;
        this.catalog = catalog;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        List<StoredObject> recorded = catalog.objectsOf(jobInstanceId, export);
        if (recorded.isEmpty()) {
            List<StoredObject> current = listing.objectsOf(export);
            catalog.record(jobInstanceId, current);
            log.info("Export {} has {} objects ({} bytes compressed)", export, current.size(),
                    current.stream().mapToLong(StoredObject::size).sum());
            return RepeatStatus.FINISHED;
        }
        log.info("Resuming with the {} objects listed when this sync first started", recorded.size());
        List<StoredObject> current;
        try {
            current = listing.objectsOf(export);
        }
        catch (RuntimeException e) {
            // Braze deletes exports after a few hours: a sync that staged its users
            // before then can still finish.
            log.warn("Could not list {} again ({}); going on with the objects listed when this sync first started",
                    export, e.getMessage());
            return RepeatStatus.FINISHED;
        }
        ExportFolderChanges.between(recorded, current).warn(log, export);
        return RepeatStatus.FINISHED;
    }

}
