package com.loyaltybridge.tagsync.monitoring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.wallet.OfferWalletSummaries;
import com.loyaltybridge.tagsync.wallet.OfferWalletSummary;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What each execution of the offers job did, as Micrometer meters tagged by Braze segment
 * ({@code none} outside Braze's layout); dry runs are not counted:
 * <ul>
 * <li>{@code tagsync.wallets} (counter), tag {@code outcome}: {@code read} (wallets read
 * and compared), {@code written}, {@code unchanged}, {@code rejected} (by SessionM),
 * {@code refused} (by Braze), {@code cleared} (leavers), {@code written_again} (in
 * requests sent again after a run stopped)</li>
 * <li>{@code tagsync.wallets.braze.requests} (counter): {@code /users/track} requests
 * that wrote or cleared wallets</li>
 * <li>{@code tagsync.offers.duration} (timer), tag {@code status}: how long executions
 * ran and how they ended</li>
 * </ul>
 * Counts are the difference the execution made to its run's ledger, so restarts never
 * count a member twice. The clients' own traffic is in {@code sessionm.connect.*} and
 * {@code braze.track.*}.
 */
@Component
class OfferWalletMetrics implements JobExecutionListener {

    private static final String NONE = "none";

    private final MeterRegistry registry;

    private final OfferWalletSummaries summaries;

    private final Map<Long, OfferWalletSummary> before = new ConcurrentHashMap<>();

    OfferWalletMetrics(MeterRegistry registry, OfferWalletSummaries summaries) {
        this.registry = registry;
        this.summaries = summaries;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        if (OfferWalletSummaries.isOffersJob(execution)) {
            before.put(execution.getId(), summaries.of(execution));
        }
    }

    @Override
    public void afterJob(JobExecution execution) {
        OfferWalletSummary start = before.remove(execution.getId());
        if (start == null || start.dryRun()) {
            return;
        }
        OfferWalletSummary end = summaries.of(execution);
        String segment = end.request().segmentId() == null ? NONE : end.request().segmentId();
        wallets(segment, "read", end.walletsRead() - start.walletsRead());
        wallets(segment, "written", end.count(LedgerState.WRITTEN) - start.count(LedgerState.WRITTEN));
        wallets(segment, "unchanged", end.count(LedgerState.UNCHANGED) - start.count(LedgerState.UNCHANGED));
        wallets(segment, "rejected", end.rejected() - start.rejected());
        wallets(segment, "refused", end.refused() - start.refused());
        wallets(segment, "cleared", end.leavers(LedgerState.WRITTEN) - start.leavers(LedgerState.WRITTEN));
        wallets(segment, "written_again", end.writtenAgain() - start.writtenAgain());
        Counter.builder("tagsync.wallets.braze.requests")
            .description("Braze /users/track requests that wrote or cleared wallets")
            .tag("segment", segment)
            .register(registry)
            .increment(Math.max(0,
                    end.brazeRequests() + end.clearingRequests() - start.brazeRequests() - start.clearingRequests()));
        Timer.builder("tagsync.offers.duration")
            .description("Executions of the offers job: how long they ran, by final status")
            .tags("segment", segment, "status", execution.getStatus().name())
            .register(registry)
            .record(end.duration());
    }

    private void wallets(String segment, String outcome, long count) {
        Counter.builder("tagsync.wallets")
            .description("Offer wallets of members by what became of them")
            .tags("segment", segment, "outcome", outcome)
            .register(registry)
            .increment(Math.max(0, count));
    }

}
