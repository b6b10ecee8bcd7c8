package com.loyaltybridge.tagsync.sync;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the sync job reads, groups and judges an export.
 *
 * @param stagingChunkSize  export lines read, checked and recorded per transaction: about one Braze export object, so
 *                          the job repository's few statements per chunk stay small beside the users' rows. The
 *                          chunk's lines are in memory together: lower it for exports of very large user objects
 * @param taggingChunkSize  users sent to SessionM per transaction; unset, 1000 or {@value #CHUNKS_OF_IN_FLIGHT} times
 *                          {@code sessionm.max-in-flight}, whichever is larger: each chunk ends with its last calls
 *                          draining the in-flight limit, and that tail must stay small beside the chunk
 * @param intentBatchSize   users whose intent is committed in one round trip, ahead of their calls (at least
 *                          {@code sessionm.max-in-flight}), the next batch committed once half of it is used:
 *                          after a crash at most one and a half times this many users plus the calls under way
 *                          are in doubt
 * @param maxSkippedLines   lines that may be skipped (unreadable, no identifier, duplicate) before the run fails:
 *                          past it the export is more likely broken than dirty
 * @param autoApiMaxUsers   in {@code auto} mode, exports of at most this many users go through the API, larger
 *                          ones into a bulk file (500 is where Braze's SessionM guide points to bulk import)
 */
@ConfigurationProperties("sync")
public record SyncSettings(
        @DefaultValue("5000") int stagingChunkSize,
        @Nullable Integer taggingChunkSize,
        @DefaultValue("128") int intentBatchSize,
        @DefaultValue("1000") long maxSkippedLines,
        @DefaultValue("500") long autoApiMaxUsers) {

    static final int CHUNKS_OF_IN_FLIGHT = 32;
    private static final int DEFAULT_TAGGING_CHUNK_SIZE = 1000;

    /** The tagging chunk size in force with {@code maxInFlight} calls under way at once. */
    int taggingChunkSize(int maxInFlight) {
        return taggingChunkSize != null ? taggingChunkSize
                : Math.max(DEFAULT_TAGGING_CHUNK_SIZE, CHUNKS_OF_IN_FLIGHT * maxInFlight);
    }
}
