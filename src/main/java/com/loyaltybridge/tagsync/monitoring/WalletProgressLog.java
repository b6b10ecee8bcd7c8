package com.loyaltybridge.tagsync.monitoring;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.wallet.OfferWalletSummaries;
import com.loyaltybridge.tagsync.wallet.WalletStep;

/**
 * While the offers job reads wallets, one log line every
 * {@code monitoring.progress-interval}: wallets done out of the members, the rate since
 * the step started and the time left at it, from the ledger. A thread of its own reads,
 * so the run never waits for it.
 */
@Component
class WalletProgressLog extends PerExecutionReporter {

    private static final Logger log = LoggerFactory.getLogger(WalletProgressLog.class);

    private final SyncUserRepository users;

    WalletProgressLog(MonitoringSettings settings, SyncUserRepository users) {
        super("wallet-progress", settings.progressInterval());
        this.users = users;
    }

    @Override
    protected boolean reports(JobExecution execution) {
        return OfferWalletSummaries.isOffersJob(execution);
    }

    @Override
    protected Runnable reportOf(JobExecution execution) {
        return new Reporter(execution)::report;
    }

    /**
     * The progress of one execution; remembers where the step stood when first seen, for
     * its rate.
     */
    private final class Reporter {

        private final JobExecution execution;

        private final long jobInstanceId;

        private long firstDone = -1;

        private long firstSeenNanos;

        Reporter(JobExecution execution) {
            this.execution = execution;
            this.jobInstanceId = execution.getJobInstance().getInstanceId();
        }

        void report() {
            StepExecution running = execution.getStepExecutions()
                .stream()
                .filter(step -> step.getStatus().isRunning())
                .filter(WalletStep.REFRESH_WALLETS::is)
                .findFirst()
                .orElse(null);
            if (running == null) {
                return;
            }
            Map<LedgerState, Long> byState = users.countByState(jobInstanceId);
            long all = byState.values().stream().mapToLong(Long::longValue).sum();
            long done = all - byState.get(LedgerState.STAGED) - byState.get(LedgerState.SENDING);
            long now = System.nanoTime();
            if (firstDone < 0) {
                firstDone = done;
                firstSeenNanos = now;
            }
            double seconds = (now - firstSeenNanos) / 1e9;
            double rate = seconds <= 0 ? 0 : (done - firstDone) / seconds;
            String eta = rate <= 0 ? "unknown" : format(Duration.ofSeconds((long) Math.ceil((all - done) / rate)));
            log.info(
                    "Progress of execution {} ({}), step {}: {}/{} wallets read ({}%), {} written, {} unchanged, {} members/s,"
                            + " ETA {}",
                    execution.getId(), execution.getJobParameters().getString("export"), running.getStepName(), done,
                    all, all == 0 ? 0 : done * 100 / all, byState.get(LedgerState.WRITTEN),
                    byState.get(LedgerState.UNCHANGED), Math.round(rate), eta);
        }

    }

    private static String format(Duration duration) {
        return String.format("%d:%02d:%02d", duration.toHours(), duration.toMinutesPart(), duration.toSecondsPart());
    }

}
