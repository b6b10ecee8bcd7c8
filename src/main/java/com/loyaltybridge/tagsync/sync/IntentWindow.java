package com.loyaltybridge.tagsync.sync;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Commits the intent to call SessionM a batch of users ahead of the calls, as the calls of a chunk
 * start. Only users whose intent is committed can be in doubt after a crash, so committing ahead by
 * a bounded batch (rather than the whole chunk up front) keeps the in-doubt set small, while the
 * number of round trips stays a small constant per chunk (chunk size / batch size).
 */
final class IntentWindow implements IntConsumer {

    private final long jobInstanceId;
    private final List<? extends LedgerEntry> entries;
    private final UserLedger ledger;
    private final int batchSize;
    private int committedUpTo;

    IntentWindow(long jobInstanceId, List<? extends LedgerEntry> entries, UserLedger ledger, int batchSize) {
        this.jobInstanceId = jobInstanceId;
        this.entries = entries;
        this.ledger = ledger;
        this.batchSize = batchSize;
    }

    /** Returns once the intent for the entry at {@code index} is committed. */
    @Override
    public synchronized void accept(int index) {
        if (index < committedUpTo) {
            return;
        }
        int end = Math.min(entries.size(), Math.max(index + 1, committedUpTo + batchSize));
        ledger.markSending(jobInstanceId, entries.subList(committedUpTo, end).stream()
                .filter(entry -> entry.state() == LedgerState.STAGED)
                .map(LedgerEntry::userSeq)
                .toList());
        committedUpTo = end;
    }
}
