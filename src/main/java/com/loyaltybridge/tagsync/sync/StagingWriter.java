package com.loyaltybridge.tagsync.sync;

import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

import com.loyaltybridge.tagsync.brazeexport.ExportRecord;
import com.loyaltybridge.tagsync.brazeexport.ExportRecord.ExportUser;
import com.loyaltybridge.tagsync.brazeexport.ExportRecord.SkippedLine;
import com.loyaltybridge.tagsync.brazeexport.SkipReason;
import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * Records a chunk of the export in the ledger: users become {@code STAGED} rows, duplicates and
 * unusable lines become skipped lines, all in the chunk's transaction. Fails the run once more
 * lines were skipped than {@code sync.max-skipped-lines} allows.
 */
class StagingWriter implements ItemStreamWriter<ExportRecord> {

    private final long jobInstanceId;
    private final List<StoredObject> exportObjects;
    private final UserLedger ledger;
    private final SkippedLineRepository skippedLines;
    private final long maxSkippedLines;
    private long skippedSoFar;

    StagingWriter(long jobInstanceId, List<StoredObject> exportObjects, UserLedger ledger,
            SkippedLineRepository skippedLines, long maxSkippedLines) {
        this.jobInstanceId = jobInstanceId;
        this.exportObjects = exportObjects;
        this.ledger = ledger;
        this.skippedLines = skippedLines;
        this.maxSkippedLines = maxSkippedLines;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        skippedSoFar = skippedLines.count(jobInstanceId);
    }

    @Override
    public void write(Chunk<? extends ExportRecord> chunk) {
        List<ExportUser> users = new ArrayList<>(chunk.size());
        List<SkippedLine> skipped = new ArrayList<>();
        for (ExportRecord record : chunk) {
            if (record instanceof ExportUser user) {
                users.add(user);
            } else if (record instanceof SkippedLine line) {
                skipped.add(line);
            }
        }
        for (UserLedger.Duplicate duplicate : ledger.stage(jobInstanceId, users)) {
            ExportUser user = duplicate.user();
            // The same line staged before: a resumed run read it again (a stopped step can resume a chunk early).
            if (duplicate.firstUserSeq() != user.position()) {
                skipped.add(new SkippedLine(user.objectKey(), user.lineNumber(), SkipReason.DUPLICATE_USER,
                        "identifier already seen at " + describePosition(duplicate.firstUserSeq())));
            }
        }
        skippedSoFar += skippedLines.record(jobInstanceId, skipped);
        if (skippedSoFar > maxSkippedLines) {
            throw new TooManySkippedLinesException(skippedSoFar, maxSkippedLines);
        }
    }

    private String describePosition(long userSeq) {
        int objectIndex = (int) (userSeq >>> 32);
        long lineNumber = userSeq & 0xFFFF_FFFFL;
        String object = objectIndex < exportObjects.size() ? exportObjects.get(objectIndex).key() : "object #" + objectIndex;
        return "line " + lineNumber + " of " + object;
    }
}
