package com.loyaltybridge.tagsync.sync;

import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

import com.loyaltybridge.tagsync.brazeexport.ExportRecord.ExportUser;
import com.loyaltybridge.tagsync.brazeexport.ExportRecord.SkippedLine;
import com.loyaltybridge.tagsync.brazeexport.ExportRecord;
import com.loyaltybridge.tagsync.ledger.SendReason;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;

/**
 * Records a chunk of the export in the ledger: users become {@code STAGED} rows and
 * unusable lines become skipped lines, all in the chunk's transaction. Fails the run once
 * more lines were skipped than {@code sync.max-skipped-lines} allows. Users repeated in
 * the export are all staged here, and removed afterwards
 * ({@link RemoveDuplicateUsersTasklet}). The offers job stages its members with it too:
 * they come with who they are in Braze, which the ledger then stores as well.
 */
public class StagingWriter implements ItemStreamWriter<ExportRecord> {

    private final long jobInstanceId;

    private final SyncUserRepository ledger;

    private final SyncSkippedLineRepository skippedLines;

    private final long maxSkippedLines;

    private final SendReason reason;

    private long skippedSoFar;

    /**
     * @param reason why every user is sent, for a plan that sends everyone; null when
     * step planAudience decides
     */
    public StagingWriter(long jobInstanceId, SyncUserRepository ledger, SyncSkippedLineRepository skippedLines,
            long maxSkippedLines, SendReason reason) {
        this.jobInstanceId = jobInstanceId;
        this.ledger = ledger;
        this.skippedLines = skippedLines;
        this.maxSkippedLines = maxSkippedLines;
        this.reason = reason;
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
            }
            else if (record instanceof SkippedLine line) {
                skipped.add(line);
            }
        }
        ledger.stage(jobInstanceId, users, reason);
        skippedSoFar += skippedLines.record(jobInstanceId, skipped);
        if (skippedSoFar > maxSkippedLines) {
            throw new TooManySkippedLinesException(skippedSoFar, maxSkippedLines);
        }
    }

}
