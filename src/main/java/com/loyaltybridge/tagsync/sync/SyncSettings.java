package com.loyaltybridge.tagsync.sync;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the sync job reads, groups and judges an export.
 *
 * @param stagingChunkSize  export lines read, checked and recorded per transaction: about one Braze export object, so
 *                          the job repository's few statements per chunk stay small beside the users' rows
 * @param taggingChunkSize  users sent to SessionM per transaction; keep it several times {@code sessionm.max-in-flight}
 *                          so the in-flight limit stays busy across the end of each chunk
 * @param intentBatchSize   users whose intent is committed in one round trip, ahead of their calls (at least
 *                          {@code sessionm.max-in-flight}): after a crash at most about this many users plus
 *                          the calls under way are in doubt
 * @param maxSkippedLines   lines that may be skipped (unreadable, no identifier, duplicate) before the run fails:
 *                          past it the export is more likely broken than dirty
 * @param autoApiMaxUsers   in {@code auto} mode, exports of at most this many users go through the API, larger
 *                          ones into a bulk file (500 is where Braze's SessionM guide points to bulk import)
 */
@ConfigurationProperties("sync")
public record SyncSettings(
        @DefaultValue("5000") int stagingChunkSize,
        @DefaultValue("1000") int taggingChunkSize,
        @DefaultValue("128") int intentBatchSize,
        @DefaultValue("1000") long maxSkippedLines,
        @DefaultValue("500") long autoApiMaxUsers) {
}
