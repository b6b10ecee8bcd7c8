package com.loyaltybridge.tagsync.retention;

import java.util.Optional;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository.LedgerCounts;
import com.loyaltybridge.tagsync.ledger.SyncWalletLeaverRepository;
import com.loyaltybridge.tagsync.ledger.SyncWalletLeaverRepository.PrunedBatch;
import com.loyaltybridge.tagsync.sync.SyncSettings;
import com.loyaltybridge.tagsync.wallet.OfferWalletJobConfiguration;
import com.loyaltybridge.tagsync.wallet.OfferWalletRequest;
import com.loyaltybridge.tagsync.wallet.OfferWalletSummaries;

/**
 * The offers job's runs as pruning sees them: a wallet refresh stages the whole segment
 * in {@code sync_user} every time, and records the members who left in
 * {@code sync_wallet_leaver}, one row per leaver and run; both go, but for the members
 * and leavers Braze or SessionM refused. The audience's wallet fingerprints
 * ({@code sync_audience_member_wallet}) are what the next run compares with, and stay:
 * the audience forgot its leavers already as it cleared them.
 */
@Component
class OfferWalletPruning implements PrunableJob<OfferWalletRequest> {

    private final OfferWalletSummaries summaries;

    private final SyncWalletLeaverRepository leavers;

    private final SyncSettings settings;

    private final TransactionTemplate transaction;

    OfferWalletPruning(OfferWalletSummaries summaries, SyncWalletLeaverRepository leavers, SyncSettings settings,
            PlatformTransactionManager transactionManager) {
        this.summaries = summaries;
        this.leavers = leavers;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    @Override
    public String jobName() {
        return OfferWalletJobConfiguration.JOB_NAME;
    }

    @Override
    public String dryRunJobName() {
        return OfferWalletJobConfiguration.DRY_RUN_JOB_NAME;
    }

    @Override
    public String kind(boolean dryRun) {
        return dryRun ? "offer wallets dry run" : "offer wallets run";
    }

    @Override
    public OfferWalletRequest request(JobParameters parameters) {
        return OfferWalletRequest.fromJobParameters(parameters);
    }

    /** No later run reads a completed one's rows: the audience's fingerprints suffice. */
    @Override
    public Optional<String> whyCompletedRunKept(long jobInstanceId, OfferWalletRequest request) {
        return Optional.empty();
    }

    @Override
    public LedgerCounts ledgerCounts(long jobInstanceId) {
        return summaries.ledgerCounts(jobInstanceId);
    }

    /** The run's leavers, a batch per transaction, but those Braze refused to clear. */
    @Override
    public Deleted pruneLeavers(long jobInstanceId, OfferWalletRequest request) {
        return BatchedDeletes.run(transaction, "", after -> {
            PrunedBatch batch = leavers.pruneBatch(jobInstanceId, after, settings.pruneBatchSize());
            return new BatchedDeletes.Batch<>(batch.lastIdentifier(), batch.deleted(), 0);
        });
    }

}
