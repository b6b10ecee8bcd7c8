package com.loyaltybridge.tagsync.sync;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the sync job reads, groups and judges an export.
 *
 * @param stagingChunkSize export lines read, checked and recorded per transaction: about
 * one Braze export object, so the job repository's few statements per chunk stay small
 * beside the users' rows. The chunk's lines are in memory together: lower it for exports
 * of very large user objects
 * @param taggingChunkSize users sent to SessionM per transaction; unset, what the
 * configured rate sends in {@value #CHUNK_SECONDS} s (at least 100, at most 20,000;
 * 10,000 without a rate limit). Two costs pull apart: each chunk ends with its last calls
 * draining while no new ones start, about half a SessionM latency lost per chunk (2.5% of
 * a 20 s chunk at 1 s of latency); and a stop request, a shutdown's included, is seen
 * when a chunk ends, so it takes up to a chunk's time, which must stay within the API's
 * shutdown wait (25 s) for a rolling update to stop its syncs cleanly. Users are read
 * back from the ledger a chunk at a time: this is also what a chunk holds in memory
 * @param intentBatchSize users whose intent is committed in one round trip, ahead of
 * their calls (at least the in-flight limit when the chunk starts), the next batch
 * committed once half of it is used: after a crash at most one and a half times this many
 * users plus the calls under way are in doubt
 * @param maxSkippedLines lines that may be skipped (unreadable, no identifier, duplicate)
 * before the run fails: past it the export is more likely broken than dirty
 * @param autoApiMaxUsers in {@code auto} mode, exports of at most this many users go
 * through the API, larger ones into a bulk file (500 is where Braze's SessionM guide
 * points to bulk import); counted among the users a sync sends, not those of the export
 * @param ttlRefreshBefore an audience member's expiring tag is sent again when it ends
 * before the sync's start plus this; unset, half the tags' time to live: a member who
 * stays never goes without the tag, and is sent it about once per half time to live
 * rather than with every export
 * @param ledgerRetention how long a completed sync (or offers run) keeps its users' rows
 * ({@code sync_user}, {@code sync_left_user}, {@code sync_wallet_leaver}); the audience's
 * state is the lasting record, and refused and in-doubt users, skipped lines and the
 * counts are kept as long as the execution is. Daily exports of a million members would
 * otherwise add that many rows every day. Counted from the end of the sync's last
 * execution; a sync that could still run again (failed or stopped, unless a newer export
 * of its audience has been synced since) keeps its rows. Pruned by {@code prune} and
 * after every scan
 * @param pruneBatchSize rows deleted per transaction when pruning: each transaction stays
 * short, so pruning never holds locks or a snapshot for long beside running syncs, and an
 * interrupted prune loses at most one batch of work (the next one goes on from there)
 */
@ConfigurationProperties("sync")
public record SyncSettings(@DefaultValue("5000") int stagingChunkSize, @Nullable Integer taggingChunkSize,
        @DefaultValue("128") int intentBatchSize, @DefaultValue("1000") long maxSkippedLines,
        @DefaultValue("500") long autoApiMaxUsers, @Nullable Duration ttlRefreshBefore,
        @DefaultValue("14d") Duration ledgerRetention, @DefaultValue("50000") int pruneBatchSize) {

    @ConstructorBinding
    public SyncSettings {
        if (ttlRefreshBefore != null && ttlRefreshBefore.isNegative()) {
            throw new IllegalArgumentException("sync.ttl-refresh-before must not be negative");
        }
        if (ledgerRetention.isNegative()) {
            throw new IllegalArgumentException("sync.ledger-retention must not be negative");
        }
        if (pruneBatchSize < 1) {
            throw new IllegalArgumentException("sync.prune-batch-size must be at least 1");
        }
    }

    /**
     * Settings as before audiences, with their defaults for the rest: for tests of the
     * job's other parts.
     */
    public SyncSettings(int stagingChunkSize, Integer taggingChunkSize, int intentBatchSize, long maxSkippedLines,
            long autoApiMaxUsers) {
        this(stagingChunkSize, taggingChunkSize, intentBatchSize, maxSkippedLines, autoApiMaxUsers, null,
                Duration.ofDays(14), 50_000);
    }

    static final int CHUNK_SECONDS = 20;

    private static final int MIN_TAGGING_CHUNK_SIZE = 100;

    private static final int MAX_TAGGING_CHUNK_SIZE = 20_000;

    private static final int UNLIMITED_RATE_TAGGING_CHUNK_SIZE = 10_000;

    /**
     * The tagging chunk size in force with SessionM calls limited to
     * {@code requestsPerSecond} (0: no limit).
     */
    int taggingChunkSize(double requestsPerSecond) {
        if (taggingChunkSize != null) {
            return taggingChunkSize;
        }
        if (requestsPerSecond <= 0) {
            return UNLIMITED_RATE_TAGGING_CHUNK_SIZE;
        }
        long atTheRate = Math.round(requestsPerSecond * CHUNK_SECONDS);
        return (int) Math.min(MAX_TAGGING_CHUNK_SIZE, Math.max(MIN_TAGGING_CHUNK_SIZE, atTheRate));
    }

    /**
     * How long before an expiring tag of {@code ttlSeconds} ends it is refreshed; null
     * for counter tags.
     */
    public Long refreshBeforeSeconds(Long ttlSeconds) {
        if (ttlSeconds == null) {
            return null;
        }
        return ttlRefreshBefore != null ? ttlRefreshBefore.toSeconds() : ttlSeconds / 2;
    }

    /**
     * The intent batch of a chunk that starts with {@code inFlightLimit} calls allowed
     * under way at once.
     */
    int intentBatchSize(int inFlightLimit) {
        return Math.max(intentBatchSize, inFlightLimit);
    }
}
