package com.loyaltybridge.tagsync.sync;

import java.util.List;
import java.util.Objects;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.ledger.LedgerEntry;
import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.MemberTagStatus;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository.MemberTags;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;

/**
 * Commits what happens to a run's users around their calls, each time in a transaction of
 * its own, whatever becomes of the chunk: the intents before the calls and the outcomes
 * after, in the ledger ({@code sync_user}) and, for a sync of an audience, in the
 * audience's state with them. So a crash anywhere can neither lose a tag we sent nor
 * record one we did not: the state says {@code SENDING} exactly where the ledger does,
 * and follows the outcome once it is known.
 */
final class DeliveryLedger {

    /** A user and the outcome of its call, as it is to be recorded. */
    record Delivered(LedgerEntry entry, SyncUserRepository.Completion completion) {
    }

    private final long jobInstanceId;

    private final SyncUserRepository users;

    private final SyncAudienceMemberTagRepository memberTags;

    private final Long audienceId;

    private final List<String> syncTags;

    private final Long ttlSeconds;

    private final TransactionTemplate independentTransaction;

    /**
     * @param audienceId the run's audience; null for a sync without one, whose calls
     * change no audience
     * @param syncTags the sync's tags, for users sent all of them
     */
    DeliveryLedger(long jobInstanceId, SyncUserRepository users, SyncAudienceMemberTagRepository memberTags,
            Long audienceId, List<String> syncTags, Long ttlSeconds, PlatformTransactionManager transactionManager) {
        this.jobInstanceId = jobInstanceId;
        this.users = users;
        this.memberTags = memberTags;
        this.audienceId = audienceId;
        this.syncTags = syncTags;
        this.ttlSeconds = ttlSeconds;
        this.independentTransaction = new TransactionTemplate(transactionManager);
        this.independentTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Commits, on its own, that the {@code sending} users are about to be called and what
     * became of the {@code delivered} ones.
     */
    void record(List<LedgerEntry> sending, List<Delivered> delivered) {
        List<LedgerEntry> intents = sending.stream().filter(entry -> entry.state() == LedgerState.STAGED).toList();
        if (intents.isEmpty() && delivered.isEmpty()) {
            return;
        }
        independentTransaction.executeWithoutResult(status -> {
            users.recordInTransaction(jobInstanceId, intents.stream().map(LedgerEntry::userSeq).toList(),
                    delivered.stream().map(Delivered::completion).toList());
            if (audienceId != null) {
                memberTags.recordIntents(audienceId, jobInstanceId, intents.stream()
                    .map(entry -> new MemberTags(entry.identifier(), entry.tagsOf(syncTags), MemberTagStatus.SENDING))
                    .toList());
                memberTags.recordOutcomes(audienceId, jobInstanceId,
                        delivered.stream().map(this::outcome).filter(Objects::nonNull).toList(), ttlSeconds);
            }
        });
    }

    /**
     * What an outcome leaves in the audience's state; null when it changes nothing there
     * (the call was not made).
     */
    private MemberTags outcome(Delivered delivered) {
        MemberTagStatus status = switch (delivered.completion().state()) {
            case TAGGED, ALREADY_TAGGED -> MemberTagStatus.TAGGED;
            case IN_DOUBT -> MemberTagStatus.IN_DOUBT;
            case REJECTED -> MemberTagStatus.REJECTED;
            case SENDING -> MemberTagStatus.SENDING;
            case STAGED -> null;
            case WRITTEN, UNCHANGED, CHANGED, REFUSED -> throw new IllegalStateException(
                    delivered.completion().state() + " is an outcome of the offers job, not of a tag call");
        };
        LedgerEntry entry = delivered.entry();
        return status == null ? null : new MemberTags(entry.identifier(), entry.tagsOf(syncTags), status);
    }

}
