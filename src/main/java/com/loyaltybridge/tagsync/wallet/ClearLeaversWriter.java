package com.loyaltybridge.tagsync.wallet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.brazeapi.BrazeTrackClient;
import com.loyaltybridge.tagsync.brazeapi.BrazeUser;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome;
import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberWalletRepository;
import com.loyaltybridge.tagsync.ledger.SyncWalletLeaverRepository;
import com.loyaltybridge.tagsync.ledger.SyncWalletLeaverRepository.Cleared;
import com.loyaltybridge.tagsync.ledger.SyncWalletLeaverRepository.Leaver;
import com.loyaltybridge.tagsync.offers.WalletAttributes;

/**
 * Clears the wallet attributes of a chunk of leavers in Braze (each set to null), once: in requests of at most
 * {@code braze.rest.attributes-per-request}, each preceded by the commit of its leavers' intent ({@code SENDING}), as
 * the members' writes are. Once Braze has answered, the outcomes are recorded and the audience forgets the leavers, in
 * the chunk's transaction; a leaver Braze refused is forgotten too (it is recorded {@code REFUSED}, with Braze's
 * message), or it would be tried again with every export. A failed chunk records what it knows first, on its own.
 */
class ClearLeaversWriter implements ItemWriter<Leaver> {

    private final long jobInstanceId;
    private final long audienceId;
    private final WalletAttributes attributes;
    private final BrazeTrackClient braze;
    private final SyncWalletLeaverRepository leavers;
    private final SyncAudienceMemberWalletRepository wallets;
    private final Runnable runLockCheck;
    private final WalletPaceRecorder pace;
    private final TransactionTemplate independentTransaction;

    ClearLeaversWriter(long jobInstanceId, long audienceId, WalletAttributes attributes, BrazeTrackClient braze,
            SyncWalletLeaverRepository leavers, SyncAudienceMemberWalletRepository wallets, Runnable runLockCheck,
            WalletPaceRecorder pace, PlatformTransactionManager transactionManager) {
        this.jobInstanceId = jobInstanceId;
        this.audienceId = audienceId;
        this.attributes = attributes;
        this.braze = braze;
        this.leavers = leavers;
        this.wallets = wallets;
        this.runLockCheck = runLockCheck;
        this.pace = pace;
        this.independentTransaction = new TransactionTemplate(transactionManager);
        this.independentTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public void write(Chunk<? extends Leaver> chunk) {
        List<Leaver> items = List.copyOf(chunk.getItems());
        BrazeTrackClient.Batches batches = braze.batches();
        List<List<Leaver>> sent = new ArrayList<>();
        List<Future<TrackOutcome>> outcomes = new ArrayList<>();
        RuntimeException failure = null;
        for (int from = 0; from < items.size(); from += braze.batchSize()) {
            List<Leaver> batch = items.subList(from, Math.min(items.size(), from + braze.batchSize()));
            try {
                runLockCheck.run();
                leavers.recordIntents(jobInstanceId, batch.stream().filter(leaver -> leaver.state() == LedgerState.STAGED)
                        .map(Leaver::identifier).toList());
            } catch (RuntimeException intentNotCommitted) {
                failure = intentNotCommitted;
                break;
            }
            sent.add(batch);
            outcomes.add(batches.submit(batch.stream().map(leaver -> attributes.cleared(brazeUser(leaver))).toList()));
        }
        List<Cleared> cleared = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            TrackOutcome outcome = batches.await(outcomes.get(i));
            RuntimeException batchFailure = outcome(sent.get(i), outcome, cleared);
            if (batchFailure != null && failure == null) {
                failure = batchFailure;
                batches.stop(batchFailure.getMessage());
            }
        }
        pace.add(null, batches.latencies());
        if (failure == null) {
            record(cleared);
            return;
        }
        independentTransaction.executeWithoutResult(status -> record(cleared));
        throw failure;
    }

    /** What one request did for its leavers; the failure it stands for, if any. */
    private static RuntimeException outcome(List<Leaver> batch, TrackOutcome outcome, List<Cleared> cleared) {
        if (outcome instanceof TrackOutcome.Tracked tracked) {
            Map<BrazeUser, String> refused = tracked.rejected().stream()
                    .collect(Collectors.toMap(TrackOutcome.RejectedUser::user, TrackOutcome.RejectedUser::message, (a, b) -> a));
            for (Leaver leaver : batch) {
                String message = refused.get(brazeUser(leaver));
                boolean again = leaver.state() == LedgerState.SENDING;
                cleared.add(new Cleared(leaver.identifier(), message == null ? LedgerState.WRITTEN : LedgerState.REFUSED, message,
                        again));
            }
            return null;
        }
        boolean mayHaveLanded = outcome instanceof TrackOutcome.NotDelivered notDelivered && notDelivered.mayHaveLanded();
        for (Leaver leaver : batch) {
            cleared.add(new Cleared(leaver.identifier(), mayHaveLanded || leaver.state() == LedgerState.SENDING
                    ? LedgerState.SENDING : LedgerState.STAGED, null, false));
        }
        if (outcome instanceof TrackOutcome.CredentialsRefused refused) {
            return WalletCredentialsRefusedException.braze(refused.message());
        }
        if (outcome instanceof TrackOutcome.Refused refused) {
            return WalletServiceException.brazeRefused(refused.message());
        }
        if (outcome instanceof TrackOutcome.Throttled throttled) {
            return WalletServiceException.brazeUnavailable(throttled.reason());
        }
        TrackOutcome.NotDelivered notDelivered = (TrackOutcome.NotDelivered) outcome;
        return mayHaveLanded ? WalletServiceException.brazeUnavailable(notDelivered.reason()) : null;
    }

    private void record(List<Cleared> cleared) {
        leavers.recordOutcomes(jobInstanceId, cleared);
        wallets.forget(audienceId, cleared.stream()
                .filter(leaver -> leaver.state() == LedgerState.WRITTEN || leaver.state() == LedgerState.REFUSED)
                .map(Cleared::identifier).toList());
    }

    private static BrazeUser brazeUser(Leaver leaver) {
        return BrazeUser.byField(leaver.brazeUserField(), leaver.brazeUserId());
    }
}
