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
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.sessionm.SessionmPace;
import com.loyaltybridge.tagsync.sync.PlanSummary;
import com.loyaltybridge.tagsync.sync.SyncMode;
import com.loyaltybridge.tagsync.sync.SyncSummary;

/**
 * One execution of a tag sync, as the API shows it: the counts cover the whole sync
 * (every execution of its job instance), the times and throughput this execution.
 *
 * @param exitDescription one line per failure (see {@code FailureExitDescription}), never
 * a stack trace
 * @param progressPercent users done out of the users of the export; 0 while the export is
 * still being staged
 * @param sessionm SessionM's traffic while this execution tagged users, as of its last
 * chunk; null if it tagged nobody
 * @param audience the audience of the sync: the one named, else the export's Braze
 * segment; null without one
 * @param dryRun an execution of a dry run: it sent nothing and changed nothing; its plan
 * says what the real run would do
 * @param plan whom the sync sends and why; null before its first step ran
 */
public record ExecutionView(long id, long jobInstanceId, String segmentId, String export, List<String> tags, Long ttl,
        String mode, String resolvedMode, String identifier, String status, String exitCode, String exitDescription,
        LocalDateTime startTime, LocalDateTime endTime, double durationSeconds, Counts counts,
        Map<String, Long> rejectedByCode, Map<String, Long> skippedByReason, double progressPercent,
        double usersPerSecond, List<StepView> steps, SessionmView sessionm, String audience, boolean full,
        boolean dryRun, PlanView plan) implements ExecutionDetails {

    @Override
    public String kind() {
        return SegmentMapping.Kind.TAGS.text();
    }

    public record Counts(long linesRead, long users, long tagged, long alreadyTagged, long inDoubt, long rejected,
            long notYetTagged, long skippedLines, long bulkFileParts, long bulkFileRows) {
    }

    public record StepView(String name, String status, long readCount, long writeCount, long commitCount,
            long rollbackCount, LocalDateTime startTime, LocalDateTime endTime) {

        static StepView of(StepExecution step) {
            return new StepView(step.getStepName(), step.getStatus().name(), step.getReadCount(), step.getWriteCount(),
                    step.getCommitCount(), step.getRollbackCount(), step.getStartTime(), step.getEndTime());
        }
    }

    /**
     * @param heldBackBy what held calls back the longest ({@code rate_limit},
     * {@code in_flight_cap}, {@code sessionm_strain}, {@code limit_growing},
     * {@code nothing})
     * @param heldBackSeconds how long each of them did
     */
    public record SessionmView(double requestsPerSecond, double configuredRequestsPerSecond, long requests,
            Long latencyP50Millis, Long latencyP99Millis, int inFlightLimit, int inFlightCap, long throttled,
            long errors, String heldBackBy, Map<String, Double> heldBackSeconds) {

        static SessionmView of(SessionmPace pace) {
            Map<String, Double> heldBack = new LinkedHashMap<>();
            pace.heldBackSeconds().forEach((by, seconds) -> heldBack.put(by.tag(), seconds));
            return new SessionmView(pace.requestsPerSecond(), pace.configuredRequestsPerSecond(), pace.requests(),
                    pace.latencyP50() == null ? null : pace.latencyP50().toMillis(),
                    pace.latencyP99() == null ? null : pace.latencyP99().toMillis(), pace.inFlightLimit(),
                    pace.inFlightCap(), pace.throttled(), pace.errors(), pace.heldBackMostBy().tag(), heldBack);
        }
    }

    /**
     * The plan of a sync: why it sends whom, and how many users of each kind (null until
     * step planAudience made it).
     *
     * @param why {@code NO_AUDIENCE}, {@code FIRST_SYNC}, {@code FULL},
     * {@code BEFORE_AUDIENCES}, {@code SEEDED} or {@code STATE}
     * @param description the same in words, as the summary says it
     * @param entering members entering the audience: they get the tags
     * @param refresh members whose expiring tags are due for a refresh
     * @param retry members SessionM refused or left in doubt last time: tried again
     * @param full users sent whatever the audience's state ({@code full}, or no audience)
     * @param unchanged members staying who need nothing
     * @param leaving members of the audience the export no longer holds
     * @param firstIdentifiers for a dry run, the first identifiers of each group
     * ({@code entering}, {@code refresh}, {@code retry}, {@code full}, {@code unchanged},
     * {@code leaving}), in export order; null otherwise
     * @param estimate for a dry run, what the real run would cost; null otherwise
     */
    public record PlanView(String why, String description, Long entering, Long refresh, Long retry, Long full,
            Long unchanged, Long leaving, Map<String, List<String>> firstIdentifiers, EstimateView estimate) {

        static PlanView of(PlanSummary plan) {
            var counts = plan.counts();
            return new PlanView(plan.why().name(), plan.why().description(), counts == null ? null : counts.entering(),
                    counts == null ? null : counts.refresh(), counts == null ? null : counts.retry(),
                    counts == null ? null : counts.full(), counts == null ? null : counts.unchanged(),
                    counts == null ? null : counts.leaving(), plan.dryRun() ? plan.firstIdentifiers() : null,
                    plan.estimate() == null ? null : EstimateView.of(plan.estimate()));
        }
    }

    /**
     * What the real run of a dry run would cost.
     *
     * @param mode {@code api} or {@code csv}, as the real run would choose
     * @param calls calls to SessionM (api); null for csv
     * @param rows rows of the bulk file (csv); null for api
     * @param requestsPerSecond the rate the calls could reach (the configured limit, or
     * what SessionM's latency in the audience's last run allows within the in-flight
     * bound); null for csv or when unknown
     * @param durationSeconds how long the calls would take at that rate; null when it
     * cannot be told
     * @param lastLatencyMillis SessionM's median latency in the audience's last run; null
     * when there was none
     */
    public record EstimateView(String mode, Long calls, Long rows, Double requestsPerSecond, Long durationSeconds,
            Long lastLatencyMillis) {

        static EstimateView of(PlanSummary.Estimate estimate) {
            boolean csv = SyncMode.CSV.text().equals(estimate.mode());
            return new EstimateView(estimate.mode(), csv ? null : estimate.calls(), csv ? estimate.calls() : null,
                    csv || estimate.rate() == 0 ? null : estimate.rate(),
                    estimate.duration() == null ? null : estimate.duration().toSeconds(), estimate.lastLatencyMillis());
        }
    }

    static ExecutionView of(JobExecution execution, SyncSummary summary) {
        long notYetTagged = summary.count(LedgerState.STAGED) + summary.count(LedgerState.SENDING);
        Counts counts = new Counts(summary.linesRead(), summary.users(), summary.count(LedgerState.TAGGED),
                summary.count(LedgerState.ALREADY_TAGGED), summary.inDoubt(), summary.rejected(), notYetTagged,
                summary.skipped(), summary.bulkFileParts(), summary.bulkFileRows());
        List<StepView> steps = execution.getStepExecutions()
            .stream()
            .sorted(Comparator.comparing(StepExecution::getId))
            .map(StepView::of)
            .toList();
        String exitDescription = exitDescriptionOf(execution, summary.failures());
        return new ExecutionView(execution.getId(), summary.jobInstanceId(), summary.request().segmentId(),
                summary.request().export().uri(), summary.request().tags(), summary.request().ttlSeconds(),
                summary.request().mode().text(), summary.resolvedMode(), summary.request().identifierSource().text(),
                execution.getStatus().name(), execution.getExitStatus().getExitCode(), exitDescription,
                execution.getStartTime(), execution.getEndTime(), summary.duration().toMillis() / 1000.0, counts,
                summary.rejectedByCode(), summary.skippedByReason(), progressPercent(execution, summary, notYetTagged),
                summary.usersPerSecond(), steps,
                summary.sessionm() == null ? null : SessionmView.of(summary.sessionm()),
                summary.request().audienceName(), summary.request().full(), Executions.isDryRun(execution),
                summary.plan() == null ? null : PlanView.of(summary.plan()));
    }

    /**
     * One line per failure, never a stack trace: the failures of an execution this
     * process ran, else the description stored with it. Read while its job is still
     * recording its end, that can for a moment be Spring Batch's own (a stack trace,
     * before {@code FailureExitDescription} replaces it): then only its first line.
     */
    static String exitDescriptionOf(JobExecution execution, List<String> failures) {
        if (!failures.isEmpty()) {
            return String.join("; ", failures);
        }
        String stored = execution.getExitStatus().getExitDescription();
        return stored == null ? null : stored.strip().lines().findFirst().orElse("");
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
