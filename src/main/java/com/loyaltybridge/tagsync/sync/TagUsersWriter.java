package com.loyaltybridge.tagsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import com.loyaltybridge.tagsync.ledger.LedgerEntry;
import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.SessionmTagSender;
import com.loyaltybridge.tagsync.sessionm.TagOutcome;
import com.loyaltybridge.tagsync.sessionm.TagRequest;
import com.loyaltybridge.tagsync.sessionm.TagSend;

/**
 * Tags a chunk of ledger users in SessionM, exactly once: each user's intent is committed
 * before its call and its outcome soon after (see {@link ChunkLedgerRecorder}), the calls
 * go out concurrently, and every outcome is committed before the chunk is allowed to
 * fail. Users left {@code SENDING} by an earlier run are settled by reading their tags
 * before anything is sent. {@code runLockCheck} throws once this run no longer holds its
 * own sync's run lock: no intent is committed after.
 */
class TagUsersWriter implements ItemWriter<LedgerEntry> {

    private final SyncRequest request;

    private final DeliveryLedger ledger;

    private final SessionmTagSender sender;

    private final Runnable runLockCheck;

    /** Read per chunk: it follows the in-flight limit. */
    private final IntSupplier intentBatchSize;

    TagUsersWriter(SyncRequest request, DeliveryLedger ledger, SessionmTagSender sender, Runnable runLockCheck,
            IntSupplier intentBatchSize) {
        this.request = request;
        this.ledger = ledger;
        this.sender = sender;
        this.runLockCheck = runLockCheck;
        this.intentBatchSize = intentBatchSize;
    }

    @Override
    public void write(Chunk<? extends LedgerEntry> chunk) {
        List<? extends LedgerEntry> entries = chunk.getItems();
        IdentifierType identifierType = request.identifierType();
        List<TagSend> sends = entries.stream()
            .map(entry -> new TagSend(new TagRequest(identifierType, entry.identifier(), entry.tagsOf(request.tags()),
                    request.ttlSeconds()), entry.state() == LedgerState.SENDING))
            .toList();
        ChunkLedgerRecorder recorder = new ChunkLedgerRecorder(entries, ledger, runLockCheck,
                intentBatchSize.getAsInt(), TagUsersWriter::completion);
        List<TagOutcome> outcomes = sender.sendAll(sends, recorder);
        recorder.recordRemaining(outcomes);
        // Calls left unsent because the ledger or the run lock failed are not SessionM's
        // doing: say what happened.
        recorder.throwIfIntentsFailed();

        TagOutcome.AuthenticationFailed authenticationFailure = null;
        List<TagOutcome.NotDelivered> undelivered = new ArrayList<>();
        for (TagOutcome outcome : outcomes) {
            if (outcome instanceof TagOutcome.AuthenticationFailed failed) {
                authenticationFailure = failed;
            }
            else if (outcome instanceof TagOutcome.NotDelivered notDelivered) {
                undelivered.add(notDelivered);
            }
        }

        if (authenticationFailure != null) {
            throw new SessionmCredentialsRejectedException(authenticationFailure);
        }
        if (!undelivered.isEmpty()) {
            throw new SessionmUnavailableException(undelivered.size(), entries.size(),
                    undelivered.get(undelivered.size() - 1).reason());
        }
    }

    /**
     * What to record for one user. A user whose call did not land goes back to
     * {@code STAGED}; one whose call may have landed stays {@code SENDING}, to be settled
     * by reading its tags on restart.
     */
    private static SyncUserRepository.Completion completion(LedgerEntry entry, TagOutcome outcome) {
        long seq = entry.userSeq();
        LedgerState notDone = entry.state() == LedgerState.SENDING ? LedgerState.SENDING : LedgerState.STAGED;
        if (outcome instanceof TagOutcome.Tagged tagged) {
            return tagged.inDoubt()
                    ? new SyncUserRepository.Completion(seq, LedgerState.IN_DOUBT, null, "resent_after_unknown_outcome",
                            "counter tags were present after a call whose outcome was unknown, and were sent again")
                    : new SyncUserRepository.Completion(seq, LedgerState.TAGGED, null, null, null);
        }
        if (outcome instanceof TagOutcome.AlreadyTagged already) {
            return already.inDoubt()
                    ? new SyncUserRepository.Completion(seq, LedgerState.IN_DOUBT, null, "assumed_applied",
                            "counter tags were present after a call whose outcome was unknown; not sent again")
                    : new SyncUserRepository.Completion(seq, LedgerState.ALREADY_TAGGED, null, null, null);
        }
        if (outcome instanceof TagOutcome.Rejected rejected) {
            return new SyncUserRepository.Completion(seq, LedgerState.REJECTED, rejected.httpStatus(), rejected.code(),
                    rejected.message());
        }
        if (outcome instanceof TagOutcome.NotDelivered notDelivered) {
            return new SyncUserRepository.Completion(seq,
                    notDelivered.mayHaveBeenApplied() ? LedgerState.SENDING : notDone, null, null,
                    notDelivered.reason());
        }
        TagOutcome.AuthenticationFailed failed = (TagOutcome.AuthenticationFailed) outcome;
        return new SyncUserRepository.Completion(seq, notDone, failed.httpStatus(), failed.code(), null);
    }

}
