package com.loyaltybridge.tagsync.api;

import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.sessionm.SessionmPace;
import com.loyaltybridge.tagsync.sync.SyncSummary;

/**
 * One execution of a sync, as the API shows it: the counts cover the whole sync (every execution of its job
 * instance), the times and throughput this execution.
 *
 * @param exitDescription one line per failure (see {@code FailureExitDescription}), never a stack trace
 * @param progressPercent users done out of the users of the export; 0 while the export is still being staged
 * @param sessionm        SessionM's traffic while this execution tagged users, as of its last chunk; null if it
 *                        tagged nobody
 */
public record ExecutionView(long id, long jobInstanceId, String segmentId, String export, List<String> tags, Long ttl, String mode,
        String resolvedMode, String identifier, String status, String exitCode, String exitDescription,
        LocalDateTime startTime, LocalDateTime endTime, double durationSeconds, Counts counts,
        Map<String, Long> rejectedByCode, Map<String, Long> skippedByReason, double progressPercent, double usersPerSecond,
        List<StepView> steps, SessionmView sessionm) {

    public record Counts(long linesRead, long users, long tagged, long alreadyTagged, long inDoubt, long rejected, long notYetTagged,
            long skippedLines, long bulkFileParts, long bulkFileRows) {
    }

    public record StepView(String name, String status, long readCount, long writeCount, long commitCount, long rollbackCount,
            LocalDateTime startTime, LocalDateTime endTime) {
    }

    /**
     * @param heldBackBy      what held calls back the longest ({@code rate_limit}, {@code in_flight_cap},
     *                        {@code sessionm_strain}, {@code limit_growing}, {@code nothing})
     * @param heldBackSeconds how long each of them did
     */
    public record SessionmView(double requestsPerSecond, double configuredRequestsPerSecond, long requests, Long latencyP50Millis,
            Long latencyP99Millis, int inFlightLimit, int inFlightCap, long throttled, long errors, String heldBackBy,
            Map<String, Double> heldBackSeconds) {

        static SessionmView of(SessionmPace pace) {
            Map<String, Double> heldBack = new LinkedHashMap<>();
            pace.heldBackSeconds().forEach((by, seconds) -> heldBack.put(by.tag(), seconds));
            return new SessionmView(pace.requestsPerSecond(), pace.configuredRequestsPerSecond(), pace.requests(),
                    pace.latencyP50() == null ? null : pace.latencyP50().toMillis(),
                    pace.latencyP99() == null ? null : pace.latencyP99().toMillis(), pace.inFlightLimit(),
                    pace.inFlightCap(), pace.throttled(), pace.errors(), pace.heldBackMostBy().tag(), heldBack);
        }
    }

    static ExecutionView of(JobExecution execution, SyncSummary summary) {
        long notYetTagged = summary.count(LedgerState.STAGED) + summary.count(LedgerState.SENDING);
        Counts counts = new Counts(summary.linesRead(), summary.users(), summary.count(LedgerState.TAGGED),
                summary.count(LedgerState.ALREADY_TAGGED), summary.inDoubt(), summary.rejected(), notYetTagged, summary.skipped(),
                summary.bulkFileParts(), summary.bulkFileRows());
        List<StepView> steps = execution.getStepExecutions().stream()
                .sorted(Comparator.comparing(StepExecution::getId))
                .map(step -> new StepView(step.getStepName(), step.getStatus().name(), step.getReadCount(), step.getWriteCount(),
                        step.getCommitCount(), step.getRollbackCount(), step.getStartTime(), step.getEndTime()))
                .toList();
        String exitDescription = summary.failures().isEmpty() ? execution.getExitStatus().getExitDescription()
                : String.join("; ", summary.failures());
        return new ExecutionView(execution.getId(), summary.jobInstanceId(), summary.request().segmentId(),
                summary.request().export().uri(), summary.request().tags(), summary.request().ttlSeconds(),
                summary.request().mode().text(), summary.resolvedMode(), summary.request().identifierSource().text(),
                execution.getStatus().name(), execution.getExitStatus().getExitCode(), exitDescription,
                execution.getStartTime(), execution.getEndTime(), summary.duration().toMillis() / 1000.0, counts,
                summary.rejectedByCode(), summary.skippedByReason(), progressPercent(execution, summary, notYetTagged),
                summary.usersPerSecond(), steps, summary.sessionm() == null ? null : SessionmView.of(summary.sessionm()));
    }

    private static double progressPercent(JobExecution execution, SyncSummary summary, long notYetTagged) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return 100;
        }
        if (summary.resolvedMode() == null || summary.users() == 0) {
            return 0;
        }
        double done = summary.usedApi() ? summary.users() - notYetTagged
                : (double) summary.bulkFileRows() / summary.request().tags().size();
        return Math.min(100, Math.floor(done * 1000.0 / summary.users()) / 10);
    }
}
