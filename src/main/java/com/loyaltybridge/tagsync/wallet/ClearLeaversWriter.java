package com.loyaltybridge.tagsync.wallet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
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
 * Clears the wallet attributes of a chunk of leavers in Braze (each set to null), once,
 * as the members' wallets are written: in requests of at most
 * {@code braze.rest.attributes-per-request}, each preceded by the commit of its leavers'
 * intent ({@code SENDING}) and followed, as soon as Braze answers, by the commit of their
 * outcome with the audience forgetting them. A leaver Braze refused is forgotten too (it
 * is recorded {@code REFUSED} with Braze's message), or it would be tried again with
 * every export. After a failure no request starts, and the chunk fails once the requests
 * under way are answered and recorded.
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
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Future<TrackOutcome>> requests = new ArrayList<>();
        for (int from = 0; from < items.size() && failure.get() == null; from += braze.batchSize()) {
            List<Leaver> batch = items.subList(from, Math.min(items.size(), from + braze.batchSize()));
            try {
                runLockCheck.run();
                leavers.recordIntents(jobInstanceId,
                        batch.stream()
                            .filter(leaver -> leaver.state() == LedgerState.STAGED)
                            .map(Leaver::identifier)
                            .toList());
            }
            catch (RuntimeException intentNotCommitted) {
                failure.compareAndSet(null, intentNotCommitted);
                break;
            }
            requests.add(batches.submit(batch.stream().map(leaver -> attributes.cleared(brazeUser(leaver))).toList(),
                    outcome -> {
                        RuntimeException batchFailure = settle(batch, outcome);
                        if (batchFailure != null && failure.compareAndSet(null, batchFailure)) {
                            batches.stop(batchFailure.getMessage());
                        }
                    }));
        }
        for (Future<TrackOutcome> request : requests) {
            try {
                batches.await(request);
            }
            catch (RuntimeException recordingFailed) {
                failure.compareAndSet(null, recordingFailed);
            }
        }
        pace.add(null, batches.latencies());
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /**
     * Commits, on its own, what one request did for its leavers, and forgets those it
     * cleared or Braze refused; returns the failure it stands for, if any. A request
     * never sent leaves its leavers {@code STAGED}.
     */
    private RuntimeException settle(List<Leaver> batch, TrackOutcome outcome) {
        List<Cleared> cleared = new ArrayList<>(batch.size());
        RuntimeException failure = null;
        if (outcome instanceof TrackOutcome.Tracked tracked) {
            Map<BrazeUser, String> refused = tracked.rejected()
                .stream()
                .collect(Collectors.toMap(TrackOutcome.RejectedUser::user, TrackOutcome.RejectedUser::message,
                        (a, b) -> a));
            for (Leaver leaver : batch) {
                String message = refused.get(brazeUser(leaver));
                cleared
                    .add(new Cleared(leaver.identifier(), message == null ? LedgerState.WRITTEN : LedgerState.REFUSED,
                            message, leaver.state() == LedgerState.SENDING));
            }
        }
        else {
            boolean mayHaveLanded = outcome instanceof TrackOutcome.NotDelivered notDelivered
                    && notDelivered.mayHaveLanded();
            for (Leaver leaver : batch) {
                cleared.add(new Cleared(leaver.identifier(), mayHaveLanded || leaver.state() == LedgerState.SENDING
                        ? LedgerState.SENDING : LedgerState.STAGED, null, false));
            }
            if (outcome instanceof TrackOutcome.CredentialsRefused refused) {
                failure = WalletCredentialsRefusedException.braze(refused.message());
            }
            else if (outcome instanceof TrackOutcome.Refused refused) {
                failure = WalletServiceException.brazeRefused(refused.message());
            }
            else if (outcome instanceof TrackOutcome.Throttled throttled) {
                failure = WalletServiceException.brazeUnavailable(throttled.reason());
            }
            else if (mayHaveLanded) {
                failure = WalletServiceException.brazeUnavailable(((TrackOutcome.NotDelivered) outcome).reason());
            }
        }
        independentTransaction.executeWithoutResult(status -> {
            leavers.recordOutcomes(jobInstanceId, cleared);
            wallets.forget(audienceId, cleared.stream()
                .filter(leaver -> leaver.state() == LedgerState.WRITTEN || leaver.state() == LedgerState.REFUSED)
                .map(Cleared::identifier)
                .toList());
        });
        return failure;
    }

    private static BrazeUser brazeUser(Leaver leaver) {
        return BrazeUser.byField(leaver.brazeUserField(), leaver.brazeUserId());
    }

}
