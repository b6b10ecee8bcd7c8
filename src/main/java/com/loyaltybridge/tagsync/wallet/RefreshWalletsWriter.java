package com.loyaltybridge.tagsync.wallet;

import java.util.List;
import java.util.Map;

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
import com.loyaltybridge.tagsync.ledger.WalletMember;
import com.loyaltybridge.tagsync.offers.OfferWalletClient;
import com.loyaltybridge.tagsync.offers.WalletAttributes;

/**
 * Brings a chunk of members' wallets up to date in Braze: reads every wallet from SessionM Connect, concurrently
 * under Connect's shared rate limit; maps each to Braze attributes and compares its fingerprint with the one last
 * written; and writes the changed ones through {@code /users/track}, a request as soon as a batch is full, while the
 * reads go on (see {@link WalletChunk}). Before a request is sent, that its members are being written is committed
 * on its own ({@code SENDING}); once Braze has answered every request, the members' outcomes and the audience's new
 * fingerprints are recorded in the chunk's transaction, with the reader's position.
 * <p>
 * So a SIGKILL anywhere leaves, besides members fully recorded, only members {@code SENDING} (their request may have
 * landed: the next run writes them again whatever their wallet, and counts them written again) or {@code STAGED}
 * (nothing sent). When a chunk fails (credentials refused, a service down after its retries), what became of its
 * members is recorded first, in a transaction of its own, and the run stops with one line.
 * <p>
 * A dry run reads and compares only: a changed wallet is recorded {@code CHANGED}, and nothing is written anywhere else.
 */
class RefreshWalletsWriter implements ItemWriter<WalletMember> {

    private static final Logger log = LoggerFactory.getLogger(RefreshWalletsWriter.class);

    private final WalletChunk.Context context;
    private final SyncUserRepository users;
    private final SyncAudienceMemberWalletRepository wallets;
    private final TransactionTemplate independentTransaction;

    RefreshWalletsWriter(WalletChunk.Context context, SyncUserRepository users, SyncAudienceMemberWalletRepository wallets,
            PlatformTransactionManager transactionManager) {
        this.context = context;
        this.users = users;
        this.wallets = wallets;
        this.independentTransaction = new TransactionTemplate(transactionManager);
        this.independentTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public void write(Chunk<? extends WalletMember> chunk) {
        List<WalletMember> members = List.copyOf(chunk.getItems());
        Map<String, Written> lastWritten = context.audienceId() == null ? Map.of()
                : wallets.lastWritten(context.audienceId(), members.stream().map(WalletMember::identifier).toList());
        WalletChunk.Result result = new WalletChunk(context, members, lastWritten).run();
        if (result.failure() == null) {
            record(result);
            return;
        }
        // What Braze took before the failure stays recorded: a restart does not write it again.
        independentTransaction.executeWithoutResult(status -> record(result));
        log.warn("A chunk of {} members stopped: {}", members.size(), result.failure().getMessage());
        throw result.failure();
    }

    private void record(WalletChunk.Result result) {
        users.recordWalletOutcomes(context.jobInstanceId(), result.completions());
        if (context.audienceId() != null) {
            wallets.recordWritten(context.audienceId(), context.jobInstanceId(), result.written());
        }
    }

    /** The clients and mapping a chunk uses: beans shared by every run, and this run's settings. */
    record Services(OfferWalletClient connect, WalletAttributes attributes, BrazeTrackClient braze) {
    }
}
