package com.loyaltybridge.tagsync.sync;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.bulkfile.PublishedPart;
import com.loyaltybridge.tagsync.ledger.PlanKind;
import com.loyaltybridge.tagsync.ledger.PlanReason;
import com.loyaltybridge.tagsync.ledger.SendReason;
import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository.LedgerCounts;
import com.loyaltybridge.tagsync.ledger.SyncLeftUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.Plan;
import com.loyaltybridge.tagsync.ledger.SyncBulkFilePartRepository;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.sessionm.SessionmPace;
import com.loyaltybridge.tagsync.sessionm.SessionmSettings;

/**
 * Builds the {@link SyncSummary} of an execution from the ledger and the job repository;
 * for a sync whose users' rows were pruned (see {@code sync.ledger-retention}), from the
 * counts stored before they went.
 */
@Component
public class SyncSummaries implements ExportJobSummaries {

    private final SyncUserRepository ledger;

    private final SyncSkippedLineRepository skippedLines;

    private final SyncBulkFilePartRepository bulkFileParts;

    private final SyncPlanRepository plans;

    private final SyncLeftUserRepository leftUsers;

    private final SyncAudienceRepository audiences;

    private final SyncLedgerSummaryRepository ledgerSummaries;

    private final JobRepository jobRepository;

    private final SyncSettings settings;

    private final SessionmSettings sessionm;

    public SyncSummaries(SyncUserRepository ledger, SyncSkippedLineRepository skippedLines,
            SyncBulkFilePartRepository bulkFileParts, SyncPlanRepository plans, SyncLeftUserRepository leftUsers,
            SyncAudienceRepository audiences, SyncLedgerSummaryRepository ledgerSummaries, JobRepository jobRepository,
            SyncSettings settings, SessionmSettings sessionm) {
        this.ledger = ledger;
        this.skippedLines = skippedLines;
        this.bulkFileParts = bulkFileParts;
        this.plans = plans;
        this.leftUsers = leftUsers;
        this.audiences = audiences;
        this.ledgerSummaries = ledgerSummaries;
        this.jobRepository = jobRepository;
        this.settings = settings;
        this.sessionm = sessionm;
    }

    /**
     * Whether {@code execution} is one of the tag sync (or its dry run): another job's
     * has no summary here.
     */
    public static boolean isTagSync(JobExecution execution) {
        String job = execution.getJobInstance().getJobName();
        return SegmentSyncJobConfiguration.JOB_NAME.equals(job)
                || SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME.equals(job);
    }

    @Override
    public boolean summarises(JobExecution execution) {
        return isTagSync(execution);
    }

    @Override
    public SyncSummary of(JobExecution execution) {
        long jobInstanceId = execution.getJobInstance().getInstanceId();
        SyncRequest request = SyncRequest.fromJobParameters(execution.getJobParameters());
        Optional<Plan> plan = plans.find(jobInstanceId);
        Optional<LedgerCounts> stored = ledgerSummaries.find(jobInstanceId);
        LedgerCounts counts = stored.orElseGet(() -> countLedger(jobInstanceId, plan));
        List<PublishedPart> parts = bulkFileParts.partsOf(jobInstanceId)
            .stream()
            .map(SyncBulkFilePartRepository.RecordedPart::part)
            .toList();
        String bulkFolder = parts.isEmpty() ? null
                : parts.get(0).location().substring(0, parts.get(0).location().lastIndexOf('/') + 1);
        return new SyncSummary(jobInstanceId, execution.getId(), request, execution.getStatus(),
                failureMessages(execution), resolvedMode(execution), counts.users(), counts.usersByState(),
                ledger.rejectionsByCode(jobInstanceId), skippedLines.countByReason(jobInstanceId), parts.size(),
                parts.stream().mapToLong(PublishedPart::rows).sum(), bulkFolder, execution.getStartTime(),
                execution.getEndTime(), usersHandled(execution), lastPace(execution),
                plan.map(found -> planSummary(execution, request, found, stored.isPresent())).orElse(null));
    }

    /**
     * What the summary of a sync counts of its users: the counts stored when its rows
     * were pruned, or else counted from its rows now. Pruning stores these very counts
     * before the first row goes.
     */
    public LedgerCounts ledgerCounts(long jobInstanceId) {
        return ledgerSummaries.find(jobInstanceId)
            .orElseGet(() -> countLedger(jobInstanceId, plans.find(jobInstanceId)));
    }

    private LedgerCounts countLedger(long jobInstanceId, Optional<Plan> plan) {
        // Under a plan of the difference, the members who need nothing stay STAGED: they
        // are not users to tag.
        boolean difference = plan.map(found -> found.kind() == PlanKind.DIFFERENCE).orElse(false);
        return new LedgerCounts(ledger.userCount(jobInstanceId), ledger.countByState(jobInstanceId, difference));
    }

    private static SessionmPace lastPace(JobExecution execution) {
        return execution.getStepExecutions()
            .stream()
            .filter(SyncStep.TAG_USERS::is)
            .map(SessionmPaceRecorder::read)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    }

    /**
     * @param pruned whether the sync's users' rows are pruned: the plan's counts remain,
     * its identifiers are gone
     */
    private PlanSummary planSummary(JobExecution execution, SyncRequest request, Plan plan, boolean pruned) {
        boolean dryRun = SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME.equals(execution.getJobInstance().getJobName());
        boolean hasAudience = plan.why() != PlanReason.NO_AUDIENCE && plan.why() != PlanReason.BEFORE_AUDIENCES;
        String audience = hasAudience ? request.audienceName() : null;
        if (!dryRun || plan.counts() == null || pruned) {
            return new PlanSummary(audience, plan.why(), plan.counts(), dryRun, Map.of(), null);
        }
        long jobInstanceId = plan.jobInstanceId();
        Map<String, List<String>> firsts = new LinkedHashMap<>();
        for (SendReason reason : SendReason.values()) {
            firsts.put(reason.name().toLowerCase(Locale.ROOT),
                    ledger.firstIdentifiers(jobInstanceId, reason, PlanSummary.FIRST_IDENTIFIERS));
        }
        firsts.put("unchanged", ledger.firstIdentifiers(jobInstanceId, null, PlanSummary.FIRST_IDENTIFIERS));
        firsts.put("leaving",
                leftUsers.leftUsers(jobInstanceId, PlanSummary.FIRST_IDENTIFIERS, 0)
                    .stream()
                    .map(SyncLeftUserRepository.LeftUser::identifier)
                    .toList());
        return new PlanSummary(audience, plan.why(), plan.counts(), true, firsts, estimate(request, plan, audience));
    }

    /**
     * What the real run would cost: its mode as {@code auto} would choose it, its calls
     * (or rows), and for the API how long they take at the rate the configured limit and
     * the in-flight bound allow, given how fast SessionM answered the audience's last run
     * (the rate limit alone says too little when SessionM is slow).
     */
    private PlanSummary.Estimate estimate(SyncRequest request, Plan plan, String audience) {
        long toSend = plan.counts().toSend();
        SyncMode mode = request.mode() != SyncMode.AUTO ? request.mode()
                : toSend <= settings.autoApiMaxUsers() ? SyncMode.API : SyncMode.CSV;
        if (mode == SyncMode.CSV) {
            return new PlanSummary.Estimate(mode.text(),
                    ledger.rowsToWrite(plan.jobInstanceId(), request.tags().size()), 0, null, null);
        }
        Long latencyMillis = audience == null ? null
                : audiences.find(audience, request.identifierSource().text())
                    .map(SyncAudienceRepository.Audience::lastJobInstanceId)
                    .map(instance -> jobRepository.getJobInstance(instance))
                    .map(jobRepository::getLastJobExecution)
                    .map(SyncSummaries::lastPace)
                    .map(SessionmPace::latencyP50)
                    .map(Duration::toMillis)
                    .orElse(null);
        double rate = sessionm.requestsPerSecond();
        if (latencyMillis != null && latencyMillis > 0) {
            double inFlightAllows = sessionm.maxInFlight() * 1000.0 / latencyMillis;
            rate = rate == 0 ? inFlightAllows : Math.min(rate, inFlightAllows);
        }
        Duration duration = rate == 0 ? null : Duration.ofSeconds((long) Math.ceil(toSend / rate));
        return new PlanSummary.Estimate(mode.text(), toSend, rate, duration, latencyMillis);
    }

    /**
     * The mode the run took: the decider's record of it, which the job repository stores
     * with the job's context only once the step after it ends; until then, read from that
     * step (so a running sync's progress is known elsewhere).
     */
    private static String resolvedMode(JobExecution execution) {
        String recorded = execution.getExecutionContext().getString(SyncModeDecider.RESOLVED_MODE, null);
        if (recorded != null) {
            return recorded;
        }
        for (StepExecution step : execution.getStepExecutions()) {
            if (SyncStep.TAG_USERS.stepName().equals(step.getStepName())) {
                return SyncMode.API.text();
            }
            if (SyncStep.WRITE_BULK_FILE.stepName().equals(step.getStepName())) {
                return SyncMode.CSV.text();
            }
        }
        return null;
    }

    /**
     * Users this execution alone got through its busiest step: its throughput counts
     * nothing done before a restart.
     */
    private static long usersHandled(JobExecution execution) {
        long handled = 0;
        for (StepExecution step : execution.getStepExecutions()) {
            long count = SyncStep.of(step.getStepName()).map(syncStep -> switch (syncStep) {
                case STAGE_USERS, TAG_USERS -> step.getReadCount();
                case WRITE_BULK_FILE -> step.getWriteCount();
                case OPEN_PLAN, LIST_EXPORT_OBJECTS, REMOVE_DUPLICATE_USERS, PLAN_AUDIENCE, UPDATE_AUDIENCE -> 0L;
            }).orElse(0L);
            handled = Math.max(handled, count);
        }
        return handled;
    }

    /**
     * One line per distinct failure: the message of the exception that says what went
     * wrong, never a stack trace. A step that ended UNKNOWN also interrupts the job,
     * whose exception only repeats the step: it is left out when the step's own failure
     * is there to say why.
     */
    public static List<String> failureMessages(JobExecution execution) {
        Set<String> messages = new LinkedHashSet<>();
        Set<String> interruptions = new LinkedHashSet<>();
        for (Throwable failure : execution.getAllFailureExceptions()) {
            (failure instanceof JobInterruptedException ? interruptions : messages).add(explain(failure));
        }
        return new ArrayList<>(messages.isEmpty() ? interruptions : messages);
    }

    /**
     * What went wrong, in one line: our own exceptions are written for the user; past
     * them, PostgreSQL's words when the database failed, else the root cause's message.
     */
    public static String explain(Throwable failure) {
        Throwable cause = failure;
        SQLException database = failure instanceof SQLException sql ? sql : null;
        while (cause.getCause() != null && cause.getCause() != cause && !isOurs(cause)) {
            cause = cause.getCause();
            if (cause instanceof SQLException sql) {
                database = sql;
            }
        }
        if (!isOurs(cause) && database != null) {
            return "PostgreSQL: " + firstLine(database.getMessage());
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : firstLine(message);
    }

    private static String firstLine(String message) {
        return message.strip().lines().findFirst().orElse("");
    }

    private static boolean isOurs(Throwable failure) {
        return failure.getClass().getName().startsWith("com.loyaltybridge.tagsync.");
    }

}
