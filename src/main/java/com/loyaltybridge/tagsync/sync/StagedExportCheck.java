package com.loyaltybridge.tagsync.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

import com.loyaltybridge.tagsync.brazeexport.BrazeExportListing;
import com.loyaltybridge.tagsync.ledger.SyncExportObjectRepository;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * Once the export is staged, lists its folder again and says whether objects came or went
 * while it was read: a sync reads the objects it listed first, so an object Braze added
 * later is not part of it.
 */
public class StagedExportCheck implements StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(StagedExportCheck.class);

    private final BrazeExportListing listing;

    private final SyncExportObjectRepository catalog;

    public StagedExportCheck(BrazeExportListing listing, SyncExportObjectRepository catalog) {
        this.listing = listing;
        this.catalog = catalog;
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() == BatchStatus.COMPLETED) {
            StorageLocation export = ExportJobRequest.exportOf(stepExecution.getJobParameters());
            long jobInstanceId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
            try {
                ExportFolderChanges.between(catalog.objectsOf(jobInstanceId, export), listing.objectsOf(export))
                    .warn(log, export);
            }
            catch (RuntimeException e) {
                // Everything listed was read: a folder that cannot be listed now changes
                // nothing for this sync.
                log.warn("Could not list {} again after reading it: {}", export, e.getMessage());
            }
        }
        return stepExecution.getExitStatus();
    }

}
