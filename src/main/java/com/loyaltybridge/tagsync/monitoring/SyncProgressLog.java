package com.loyaltybridge.tagsync.monitoring;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.brazeexport.BrazeExportItemReader;
import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.SyncBulkFilePartRepository;
import com.loyaltybridge.tagsync.ledger.SyncExportObjectRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.sessionm.InFlightLimiter;
import com.loyaltybridge.tagsync.sessionm.SessionmPace;
import com.loyaltybridge.tagsync.storage.StoredObject;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncStep;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/**
 * While a sync runs, one log line every {@code monitoring.progress-interval}: the running
 * step, done/total, rate and ETA. Staging counts the export's objects and bytes (users
 * are known only once staged); tagging and the bulk file count users, from the ledger.
 * While tagging, the line also gives SessionM's traffic since the last line (all syncs of
 * the process: they share the rate and the in-flight limit): requests per second against
 * the configured rate, latency p50 and p99, the in-flight limit and what held calls back.
 * A separate thread reads, so the run itself never waits for it. The offers job's runs
 * log their own progress ({@link WalletProgressLog}).
 */
@Component
class SyncProgressLog extends PerExecutionReporter {

    private static final Logger log = LoggerFactory.getLogger(SyncProgressLog.class);

    private final SyncUserRepository users;

    private final SyncBulkFilePartRepository bulkFileParts;

    private final SyncExportObjectRepository catalog;

    private final InFlightLimiter limiter;

    SyncProgressLog(MonitoringSettings settings, SyncUserRepository users, SyncBulkFilePartRepository bulkFileParts,
            SyncExportObjectRepository catalog, InFlightLimiter limiter) {
        super("sync-progress", settings.progressInterval());
        this.users = users;
        this.bulkFileParts = bulkFileParts;
        this.catalog = catalog;
        this.limiter = limiter;
    }

    @Override
    protected boolean reports(JobExecution execution) {
        return SyncSummaries.isTagSync(execution);
    }

    @Override
    protected Runnable reportOf(JobExecution execution) {
        return new Reporter(execution)::report;
    }

    /**
     * The progress of one execution; remembers where each step stood when first seen, for
     * its rate.
     */
    private final class Reporter {

        private final JobExecution execution;

        private final long jobInstanceId;

        private final SyncRequest request;

        private String step;

        private long firstDone;

        private long firstCounted;

        private long firstSeenNanos;

        private InFlightLimiter.Snapshot lastSessionm;

        Reporter(JobExecution execution) {
            this.execution = execution;
            this.jobInstanceId = execution.getJobInstance().getInstanceId();
            this.request = SyncRequest.fromJobParameters(execution.getJobParameters());
        }

        void report() {
            StepExecution running = execution.getStepExecutions()
                .stream()
                .filter(s -> s.getStatus().isRunning())
                .reduce((a, b) -> b)
                .orElse(null);
            if (running == null) {
                return;
            }
            Progress progress = SyncStep.of(running.getStepName()).map(step -> switch (step) {
                case STAGE_USERS -> staging(running);
                case TAG_USERS -> users("users tagged", tagged());
                case WRITE_BULK_FILE -> users("users written to the bulk file",
                        new long[] { bulkFileParts.usersWritten(jobInstanceId), users.userCount(jobInstanceId) });
                case OPEN_PLAN, LIST_EXPORT_OBJECTS, REMOVE_DUPLICATE_USERS, PLAN_AUDIENCE, UPDATE_AUDIENCE -> null;
            }).orElse(null);
            if (progress != null) {
                log.info("Progress of execution {} ({}), step {}: {}{}", execution.getId(), request.export(),
                        running.getStepName(), describe(running.getStepName(), progress),
                        SyncStep.TAG_USERS.stepName().equals(running.getStepName()) ? sessionm() : "");
            }
        }

        /** Users no longer pending, out of all users of the sync. */
        private long[] tagged() {
            Map<LedgerState, Long> byState = users.countByState(jobInstanceId);
            long all = byState.values().stream().mapToLong(Long::longValue).sum();
            long pending = Arrays.stream(LedgerState.values())
                .filter(LedgerState::isPending)
                .mapToLong(byState::get)
                .sum();
            return new long[] { all - pending, all };
        }

        /**
         * SessionM's traffic since the last line (or, on the first, since this run's
         * first line).
         */
        private String sessionm() {
            InFlightLimiter.Snapshot now = limiter.snapshot();
            InFlightLimiter.Snapshot since = lastSessionm;
            lastSessionm = now;
            if (since == null) {
                return "; SessionM: in-flight limit " + now.paceSince(now).inFlightText();
            }
            SessionmPace pace = now.paceSince(since);
            return "; SessionM: " + pace.rateText() + ", latency " + pace.latencyText() + ", in-flight limit "
                    + pace.inFlightText() + ", held back by " + pace.heldBackMostBy().description();
        }

        private Progress staging(StepExecution step) {
            List<StoredObject> objects = catalog.objectsOf(jobInstanceId, request.export());
            int finished = BrazeExportItemReader.objectsFinished(step.getExecutionContext());
            long totalBytes = objects.stream().mapToLong(StoredObject::size).sum();
            long doneBytes = objects.stream().limit(finished).mapToLong(StoredObject::size).sum();
            // Lines are what moves within an object; finished objects' bytes are what
            // says how far the export is.
            return new Progress(doneBytes, totalBytes,
                    "objects " + finished + "/" + objects.size() + " (" + megabytes(doneBytes) + " of "
                            + megabytes(totalBytes) + " compressed), "
                            + String.format(Locale.ROOT, "%,d", step.getReadCount()) + " lines read",
                    step.getReadCount(), "lines");
        }

        private Progress users(String what, long[] doneAndTotal) {
            return new Progress(doneAndTotal[0], doneAndTotal[1],
                    String.format(Locale.ROOT, "%,d/%,d %s", doneAndTotal[0], doneAndTotal[1], what), doneAndTotal[0],
                    "users");
        }

        private String describe(String stepName, Progress progress) {
            long now = System.nanoTime();
            if (!stepName.equals(step)) {
                step = stepName;
                firstDone = progress.done();
                firstCounted = progress.counted();
                firstSeenNanos = now;
            }
            double seconds = (now - firstSeenNanos) / 1e9;
            String percent = progress.total() == 0 ? ""
                    : String.format(Locale.ROOT, " (%.1f%%)", progress.done() * 100.0 / progress.total());
            if (seconds <= 0) {
                return progress.text() + percent + ", rate unknown yet, ETA unknown";
            }
            double rate = (progress.counted() - firstCounted) / seconds;
            long advanced = progress.done() - firstDone;
            String eta = advanced <= 0 ? "unknown" : format(
                    Duration.ofSeconds((long) Math.ceil(seconds * (progress.total() - progress.done()) / advanced)));
            return progress.text() + percent + ", " + String.format(Locale.ROOT, "%,.0f %s/s", rate, progress.unit())
                    + ", ETA " + eta;
        }

    }

    /**
     * @param done how far the step is, out of {@code total} (bytes of finished objects,
     * or users)
     * @param counted what the rate counts, in {@code unit}s (lines read, or users)
     */
    private record Progress(long done, long total, String text, long counted, String unit) {
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String format(Duration duration) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", duration.toHours(), duration.toMinutesPart(),
                duration.toSecondsPart());
    }

}
