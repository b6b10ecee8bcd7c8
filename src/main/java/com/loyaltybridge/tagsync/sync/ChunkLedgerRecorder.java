package com.loyaltybridge.tagsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

import com.loyaltybridge.tagsync.ledger.LedgerEntry;
import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.sync.DeliveryLedger.Delivered;
import com.loyaltybridge.tagsync.sessionm.SessionmTagSender;
import com.loyaltybridge.tagsync.sessionm.TagOutcome;

/**
 * Keeps the ledger of one chunk in step with its calls, in independent transactions. As
 * calls start, it commits the intent for the next batch of users ahead of them, together
 * with the outcomes that came back since the last commit; the rest is committed by
 * {@link #recordRemaining}.
 * <p>
 * A call never starts before its user's intent is committed. The next batch is committed
 * once half of the committed intents are used up, by the thread that gets there, while
 * the other threads keep calling: they only wait when they reach users whose intent is
 * still being committed. Only users whose intent is committed and whose outcome is not
 * can be in doubt after a crash: at most one and a half batches plus the calls under way,
 * not the whole chunk. Round trips stay a small constant per chunk (its size divided by
 * the batch size).
 * <p>
 * Each intent is committed only while this process still holds the sync's run lock. When
 * an intent cannot be committed (the lock or PostgreSQL is gone), no further call starts,
 * and {@link #throwIfIntentsFailed()} gives the reason.
 */
final class ChunkLedgerRecorder implements SessionmTagSender.SendListener {

    private final List<? extends LedgerEntry> entries;

    private final DeliveryLedger ledger;

    private final Runnable runLockCheck;

    private final int batchSize;

    private final BiFunction<LedgerEntry, TagOutcome, SyncUserRepository.Completion> completionOf;

    private final Queue<IndexedCompletion> unrecorded = new ConcurrentLinkedQueue<>();

    private final boolean[] recorded;

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition intentsCommitted = lock.newCondition();

    /** Calls of the entries before this index may start. Guarded by {@link #lock}. */
    private int intentCommittedUpTo;

    /** A thread is committing intents right now. Guarded by {@link #lock}. */
    private boolean committing;

    /**
     * Why committing intents failed: no call waiting for them may start. Guarded by
     * {@link #lock}.
     */
    private RuntimeException commitFailure;

    private record IndexedCompletion(int index, SyncUserRepository.Completion completion) {
    }

    ChunkLedgerRecorder(List<? extends LedgerEntry> entries, DeliveryLedger ledger, Runnable runLockCheck,
            int batchSize, BiFunction<LedgerEntry, TagOutcome, SyncUserRepository.Completion> completionOf) {
        this.entries = entries;
        this.ledger = ledger;
        this.runLockCheck = runLockCheck;
        this.batchSize = batchSize;
        this.completionOf = completionOf;
        this.recorded = new boolean[entries.size()];
    }

    /**
     * Returns once the intent for the entry at {@code index} is committed; may commit the
     * next batch first.
     */
    @Override
    public void beforeStart(int index) {
        while (true) {
            int from;
            int end;
            lock.lock();
            try {
                if (commitFailure != null) {
                    throw commitFailure;
                }
                boolean covered = index < intentCommittedUpTo;
                boolean runningLow = intentCommittedUpTo - index <= batchSize / 2
                        && intentCommittedUpTo < entries.size();
                if (covered && (committing || !runningLow)) {
                    return;
                }
                if (committing) {
                    intentsCommitted.awaitUninterruptibly();
                    continue;
                }
                committing = true;
                from = intentCommittedUpTo;
                end = Math.min(entries.size(), Math.max(index + 1, from + batchSize));
            }
            finally {
                lock.unlock();
            }
            commitIntents(from, end);
            if (index < end) {
                return;
            }
        }
    }

    private void commitIntents(int from, int end) {
        List<LedgerEntry> intents = entries.subList(from, end)
            .stream()
            .filter(entry -> entry.state() == LedgerState.STAGED)
            .map(LedgerEntry.class::cast)
            .toList();
        RuntimeException failure = null;
        try {
            runLockCheck.run();
            ledger.record(intents, drainUnrecorded());
        }
        catch (RuntimeException e) {
            failure = e;
        }
        lock.lock();
        try {
            committing = false;
            if (failure == null) {
                intentCommittedUpTo = end;
            }
            else {
                commitFailure = failure;
            }
            intentsCommitted.signalAll();
        }
        finally {
            lock.unlock();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Rethrows what stopped an intent from being committed, if anything did: the reason
     * calls were left unsent.
     */
    void throwIfIntentsFailed() {
        lock.lock();
        try {
            if (commitFailure != null) {
                throw commitFailure;
            }
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public void completed(int index, TagOutcome outcome) {
        unrecorded.add(new IndexedCompletion(index, completionOf.apply(entries.get(index), outcome)));
    }

    /**
     * Commits every outcome not committed yet, including those of sends that never
     * started; call it once {@code sendAll} has returned them.
     */
    void recordRemaining(List<TagOutcome> outcomes) {
        lock.lock();
        try {
            unrecorded.clear();
            List<Delivered> completions = new ArrayList<>();
            for (int index = 0; index < outcomes.size(); index++) {
                if (!recorded[index]) {
                    completions.add(delivered(index, outcomes.get(index)));
                    recorded[index] = true;
                }
            }
            ledger.record(List.of(), completions);
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Takes the outcomes that came back since the last commit; only the committing thread
     * calls it.
     */
    private List<Delivered> drainUnrecorded() {
        List<Delivered> drained = new ArrayList<>();
        for (IndexedCompletion completion; (completion = unrecorded.poll()) != null;) {
            recorded[completion.index()] = true;
            drained.add(new Delivered(entries.get(completion.index()), completion.completion()));
        }
        return drained;
    }

    private Delivered delivered(int index, TagOutcome outcome) {
        return new Delivered(entries.get(index), completionOf.apply(entries.get(index), outcome));
    }

}
