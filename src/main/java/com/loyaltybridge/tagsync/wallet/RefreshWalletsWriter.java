package com.loyaltybridge.tagsync.wallet;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.brazeapi.BrazeTrackClient;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberWalletRepository;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberWalletRepository.Written;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository.WalletCompletion;
import com.loyaltybridge.tagsync.ledger.WalletMember;
import com.loyaltybridge.tagsync.offers.OfferWalletClient;
import com.loyaltybridge.tagsync.offers.WalletAttributes;

/**
 * Brings a chunk of members' wallets up to date in Braze: reads every wallet from
 * SessionM Connect, concurrently under Connect's shared rate limit; maps each to Braze
 * attributes and compares its fingerprint with the one last written; and writes the
 * changed ones through {@code /users/track}, a request as soon as a batch is full, while
 * the reads go on (see {@link WalletChunk}). Before a request is sent, that its members
 * are being written is committed on its own ({@code SENDING}); as soon as Braze answers
 * it, what became of them and the audience's new fingerprints are, too
 * ({@link #recordingOnItsOwn}). The members that needed no request (unchanged, rejected
 * by SessionM) are recorded in the chunk's transaction, with the reader's position.
 * <p>
 * So a SIGKILL anywhere leaves, besides members fully recorded, only members
 * {@code SENDING} (a request carrying them was under way: the next run writes them again
 * whatever their wallet, and counts them written again) or {@code STAGED} (nothing sent).
 * When a chunk fails (credentials refused, a service down after its retries), what it
 * knows is recorded first, in a transaction of its own, and the run stops with one line.
 * <p>
 * A dry run reads and compares only: a changed wallet is recorded {@code CHANGED}, and
 * nothing is written anywhere else.
 */
class RefreshWalletsWriter implements ItemWriter<WalletMember> {

    private static final Logger log = LoggerFactory.getLogger(RefreshWalletsWriter.class);

    private final WalletChunk.Context context;

    private final SyncUserRepository users;

    private final SyncAudienceMemberWalletRepository wallets;

    private final TransactionTemplate independentTransaction;

    RefreshWalletsWriter(WalletChunk.Context context, SyncUserRepository users,
            SyncAudienceMemberWalletRepository wallets, PlatformTransactionManager transactionManager) {
        this.context = context;
        this.users = users;
        this.wallets = wallets;
        this.independentTransaction = independent(transactionManager);
    }

    @Override
    public void write(Chunk<? extends WalletMember> chunk) {
        List<WalletMember> members = List.copyOf(chunk.getItems());
        Map<String, Written> lastWritten = context.audienceId() == null ? Map.of()
                : wallets.lastWritten(context.audienceId(), members.stream().map(WalletMember::identifier).toList());
        WalletChunk.Result result = new WalletChunk(context, members, lastWritten).run();
        if (result.failure() == null) {
            users.recordWalletOutcomes(context.jobInstanceId(), result.completions());
            return;
        }
        // What is known stays recorded: a restart does not read those wallets again.
        independentTransaction
            .executeWithoutResult(status -> users.recordWalletOutcomes(context.jobInstanceId(), result.completions()));
        log.warn("A chunk of {} members stopped: {}", members.size(), result.failure().getMessage());
        throw result.failure();
    }

    /**
     * Commits, in a transaction of its own, what became of the members of one request
     * and, for a run of an audience, the fingerprints of the wallets Braze took:
     * together, so the audience's state never says more than the ledger.
     */
    static BiConsumer<List<WalletCompletion>, List<Written>> recordingOnItsOwn(long jobInstanceId, Long audienceId,
            SyncUserRepository users, SyncAudienceMemberWalletRepository wallets,
            PlatformTransactionManager transactionManager) {
        TransactionTemplate transaction = independent(transactionManager);
        return (completions, written) -> transaction.executeWithoutResult(status -> {
            users.recordWalletOutcomes(jobInstanceId, completions);
            if (audienceId != null) {
                wallets.recordWritten(audienceId, jobInstanceId, written);
            }
        });
    }

    private static TransactionTemplate independent(PlatformTransactionManager transactionManager) {
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return transaction;
    }

    /** The clients and mapping a chunk uses: beans shared by every run. */
    record Services(OfferWalletClient connect, WalletAttributes attributes, BrazeTrackClient braze) {
    }

}
