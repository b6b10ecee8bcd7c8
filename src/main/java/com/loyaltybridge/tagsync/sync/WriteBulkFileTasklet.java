package com.loyaltybridge.tagsync.sync;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import com.loyaltybridge.tagsync.bulkfile.BulkFilePart;
import com.loyaltybridge.tagsync.bulkfile.BulkFileWriter;
import com.loyaltybridge.tagsync.bulkfile.PublishedPart;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository;
import com.loyaltybridge.tagsync.ledger.SyncBulkFilePartRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * Writes the ledger's users into the bulk file, one whole part per transaction. A part's
 * content is fixed by the users after the previous part, so a part interrupted by a crash
 * is simply written again, identical; the manifest is published last.
 */
class WriteBulkFileTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(WriteBulkFileTasklet.class);

    private final long jobInstanceId;

    private final SyncRequest request;

    private final StorageLocation requestedFolder;

    private final SyncUserRepository ledger;

    private final SyncBulkFilePartRepository parts;

    private final BulkFileWriter writer;

    private final SyncAudienceMemberTagRepository memberTags;

    private final Long audienceId;

    private boolean leftoversDiscarded;

    /**
     * @param audienceId the sync's audience, whose state follows each published part;
     * null without one
     */
    WriteBulkFileTasklet(long jobInstanceId, SyncRequest request, StorageLocation requestedFolder,
            SyncUserRepository ledger, SyncBulkFilePartRepository parts, BulkFileWriter writer,
            SyncAudienceMemberTagRepository memberTags, Long audienceId) {
        this.jobInstanceId = jobInstanceId;
        this.request = request;
        this.requestedFolder = requestedFolder;
        this.ledger = ledger;
        this.parts = parts;
        this.writer = writer;
        this.memberTags = memberTags;
        this.audienceId = audienceId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        List<SyncBulkFilePartRepository.RecordedPart> published = parts.partsOf(jobInstanceId);
        StorageLocation folder = published.isEmpty() ? requestedFolder : folderOf(published.get(0).part());
        if (!leftoversDiscarded) {
            writer.discardUnpublished(folder);
            leftoversDiscarded = true;
        }
        long afterUserSeq = published.isEmpty() ? -1 : published.get(published.size() - 1).lastUserSeq();
        int number = published.size() + 1;
        long[] userSeqRange = { -1, -1 };
        try (BulkFilePart part = writer.startPart(folder, number, identifierColumn(), request.tags(),
                request.ttlSeconds())) {
            ledger.forEachUserAfter(jobInstanceId, afterUserSeq, writer.usersPerPart(request.tags().size()),
                    (userSeq, identifier, tags) -> {
                        if (userSeqRange[0] < 0) {
                            userSeqRange[0] = userSeq;
                        }
                        userSeqRange[1] = userSeq;
                        part.writeUser(identifier, tags);
                    });
            if (part.users() == 0) {
                List<PublishedPart> allParts = published.stream()
                    .map(SyncBulkFilePartRepository.RecordedPart::part)
                    .toList();
                String manifest = writer.publishManifest(folder,
                        new BulkFileWriter.Source(request.export().uri(), request.segmentId(), request.tags(),
                                request.ttlSeconds(), request.identifierSource().text(), jobInstanceId),
                        allParts);
                log.info("Bulk file complete: {} parts, {} rows; manifest {}", allParts.size(),
                        allParts.stream().mapToLong(PublishedPart::rows).sum(), manifest);
                return RepeatStatus.FINISHED;
            }
            PublishedPart publishedPart = part.publish();
            parts.record(jobInstanceId,
                    new SyncBulkFilePartRepository.RecordedPart(publishedPart, userSeqRange[0], userSeqRange[1]));
            if (audienceId != null) {
                // Publication is the delivery we can know: SessionM imports the file out
                // of our sight.
                memberTags.recordPublished(audienceId, jobInstanceId, userSeqRange[0], userSeqRange[1], request.tags(),
                        request.ttlSeconds());
            }
            contribution.incrementWriteCount(publishedPart.users());
            log.info("Published {} ({} users, {} rows)", publishedPart.location(), publishedPart.users(),
                    publishedPart.rows());
            return RepeatStatus.CONTINUABLE;
        }
    }

    private String identifierColumn() {
        return request.identifierSource().isSessionmUserId() ? "user_id" : "external_id";
    }

    private static StorageLocation folderOf(PublishedPart part) {
        String location = part.location();
        return StorageLocation.parse(location.substring(0, location.lastIndexOf('/') + 1));
    }

}
