package com.loyaltybridge.tagsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import com.loyaltybridge.tagsync.sessionm.SessionmTagSender;
import com.loyaltybridge.tagsync.sessionm.TagOutcome;

/**
 * Keeps the ledger of one chunk in step with its calls, in independent transactions. As calls
 * start, it commits the intent for the next batch of users ahead of them, together with the outcomes
 * that came back since the last commit; the rest is committed by {@link #recordRemaining()}.
 * <p>
 * Only users whose intent is committed and whose outcome is not can be in doubt after a crash: about
 * one batch plus the calls under way, not the whole chunk. Round trips stay a small constant per
 * chunk (its size divided by the batch size).
 * <p>
 * Each intent is committed only while this process still holds the sync's run lock. When an intent
 * cannot be committed (the lock or PostgreSQL is gone), no further call starts, and
 * {@link #throwIfIntentsFailed()} gives the reason.
 */
final class ChunkLedgerRecorder implements SessionmTagSender.SendListener {

    private final long jobInstanceId;
    private final List<? extends LedgerEntry> entries;
    private final UserLedger ledger;
    private final Runnable runLockCheck;
    private final int batchSize;
    private final BiFunction<LedgerEntry, TagOutcome, UserLedger.Completion> completionOf;
    private final List<IndexedCompletion> unrecorded = new ArrayList<>();
    private final boolean[] recorded;
    private int intentCommittedUpTo;
    private RuntimeException intentFailure;

    private record IndexedCompletion(int index, UserLedger.Completion completion) {
    }

    ChunkLedgerRecorder(long jobInstanceId, List<? extends LedgerEntry> entries, UserLedger ledger, Runnable runLockCheck,
            int batchSize, BiFunction<LedgerEntry, TagOutcome, UserLedger.Completion> completionOf) {
        this.jobInstanceId = jobInstanceId;
        this.entries = entries;
        this.ledger = ledger;
        this.runLockCheck = runLockCheck;
        this.batchSize = batchSize;
        this.completionOf = completionOf;
        this.recorded = new boolean[entries.size()];
    }

    /** Returns once the intent for the entry at {@code index} is committed. */
    @Override
    public synchronized void beforeStart(int index) {
        if (index < intentCommittedUpTo) {
            return;
        }
        int end = Math.min(entries.size(), Math.max(index + 1, intentCommittedUpTo + batchSize));
        List<Long> intents = entries.subList(intentCommittedUpTo, end).stream()
                .filter(entry -> entry.state() == LedgerState.STAGED)
                .map(LedgerEntry::userSeq)
                .toList();
        try {
            runLockCheck.run();
            ledger.record(jobInstanceId, intents, drainUnrecorded());
        } catch (RuntimeException e) {
            if (intentFailure == null) {
                intentFailure = e;
            }
            throw e;
        }
        intentCommittedUpTo = end;
    }

    /** Rethrows what stopped an intent from being committed, if anything did: the reason calls were left unsent. */
    synchronized void throwIfIntentsFailed() {
        if (intentFailure != null) {
            throw intentFailure;
        }
    }

    @Override
    public void completed(int index, TagOutcome outcome) {
        UserLedger.Completion completion = completionOf.apply(entries.get(index), outcome);
        synchronized (unrecorded) {
            unrecorded.add(new IndexedCompletion(index, completion));
        }
    }

    /**
     * Commits every outcome not committed yet, including those of sends that never started; call it once
     * {@code sendAll} has returned them.
     */
    synchronized void recordRemaining(List<TagOutcome> outcomes) {
        synchronized (unrecorded) {
            unrecorded.clear();
        }
        List<UserLedger.Completion> completions = new ArrayList<>();
        for (int index = 0; index < outcomes.size(); index++) {
            if (!recorded[index]) {
                completions.add(completionOf.apply(entries.get(index), outcomes.get(index)));
                recorded[index] = true;
            }
        }
        ledger.record(jobInstanceId, List.of(), completions);
    }

    private List<UserLedger.Completion> drainUnrecorded() {
        synchronized (unrecorded) {
            List<UserLedger.Completion> drained = new ArrayList<>(unrecorded.size());
            for (IndexedCompletion completion : unrecorded) {
                recorded[completion.index()] = true;
                drained.add(completion.completion());
            }
            unrecorded.clear();
            return drained;
        }
    }
}
