package com.loyaltybridge.tagsync.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * Leaves one ledger row per identifier once the whole export is staged: a user repeated
 * in the export is sent or written once, as its first line, and each later line is
 * recorded as a skipped {@code duplicate_user} line. One statement in the step's
 * transaction, so a crash leaves the ledger as it was and the step simply runs again.
 * Fails the run when the duplicates take the skipped lines over
 * {@code sync.max-skipped-lines}.
 */
class RemoveDuplicateUsersTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(RemoveDuplicateUsersTasklet.class);

    private final long jobInstanceId;

    private final StorageLocation export;

    private final SyncUserRepository ledger;

    private final SyncSkippedLineRepository skippedLines;

    private final long maxSkippedLines;

    RemoveDuplicateUsersTasklet(long jobInstanceId, StorageLocation export, SyncUserRepository ledger,
            SyncSkippedLineRepository skippedLines, long maxSkippedLines) {
        this.jobInstanceId = jobInstanceId;
        this.export = export;
        this.ledger = ledger;
        this.skippedLines = skippedLines;
        this.maxSkippedLines = maxSkippedLines;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        int duplicates = ledger.removeDuplicates(jobInstanceId, export.keyPrefix());
        contribution.incrementFilterCount(duplicates);
        if (duplicates > 0) {
            log.info("{} lines repeat a user seen earlier in the export; each user is kept once, at its first line",
                    duplicates);
            long skipped = skippedLines.count(jobInstanceId);
            if (skipped > maxSkippedLines) {
                throw new TooManySkippedLinesException(skipped, duplicates, maxSkippedLines);
            }
        }
        return RepeatStatus.FINISHED;
    }

}
