package com.loyaltybridge.tagsync.monitoring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.SyncPlanRepository.Counts;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncSummaries;
import com.loyaltybridge.tagsync.sync.SyncStep;
import com.loyaltybridge.tagsync.sync.SyncSummary;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What each sync execution did, as Micrometer meters tagged by Braze segment
 * ({@code none} outside Braze's layout):
 * <ul>
 * <li>{@code tagsync.lines.read} (counter): export lines read</li>
 * <li>{@code tagsync.users} (counter), tag {@code outcome}: {@code read} (distinct users
 * staged), {@code tagged}, {@code already_tagged}, {@code in_doubt}, {@code rejected};
 * and from the plan, {@code entering}, {@code refreshed}, {@code retried}, {@code full}
 * (sent whatever the audience's state), {@code unchanged} and {@code left}</li>
 * <li>{@code tagsync.users.rejected} (counter), tag {@code code}: SessionM's error
 * code</li>
 * <li>{@code tagsync.lines.skipped} (counter), tag {@code reason}</li>
 * <li>{@code tagsync.bulkfile.rows} (counter): rows published in bulk files</li>
 * <li>{@code tagsync.sync.duration} (timer), tag {@code status}: how long executions ran
 * and how they ended</li>
 * </ul>
 * Counts are the difference the execution made to its sync's ledger, taken when it ends,
 * so restarts never count a user twice. Users read and the plan's counts are added by the
 * execution in which the step that settles them completed ({@code removeDuplicateUsers},
 * {@code planAudience}), once per sync: an execution that fails while staging has counted
 * no user yet, duplicates included. A dry run adds nothing: it reads an export a real run
 * reads again. SessionM's own traffic (requests, retries, 429s, latency) is in
 * {@code sessionm.*}. The offers job's runs have meters of their own
 * ({@link OfferWalletMetrics}).
 */
@Component
class SyncMetrics implements JobExecutionListener {

    private static final String NONE = "none";

    private final MeterRegistry registry;

    private final SyncSummaries summaries;

    private final Map<Long, SyncSummary> before = new ConcurrentHashMap<>();

    SyncMetrics(MeterRegistry registry, SyncSummaries summaries) {
        this.registry = registry;
        this.summaries = summaries;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        if (SyncSummaries.isTagSync(execution) && !isDryRun(execution)) {
            before.put(execution.getId(), summaries.of(execution));
        }
    }

    @Override
    public void afterJob(JobExecution execution) {
        SyncSummary start = before.remove(execution.getId());
        if (start == null) {
            return;
        }
        SyncSummary end = summaries.of(execution);
        String segment = segmentOf(end.request());
        counter("tagsync.lines.read", "Export lines read", segment).increment(linesRead(execution));
        if (completed(execution, SyncStep.REMOVE_DUPLICATE_USERS)) {
            users(segment, "read", end.users());
        }
        if (completed(execution, SyncStep.PLAN_AUDIENCE) && end.plan() != null && end.plan().counts() != null) {
            Counts plan = end.plan().counts();
            users(segment, "entering", plan.entering());
            users(segment, "refreshed", plan.refresh());
            users(segment, "retried", plan.retry());
            users(segment, "full", plan.full());
            users(segment, "unchanged", plan.unchanged());
            users(segment, "left", plan.leaving());
        }
        users(segment, "tagged", end.count(LedgerState.TAGGED) - start.count(LedgerState.TAGGED));
        users(segment, "already_tagged",
                end.count(LedgerState.ALREADY_TAGGED) - start.count(LedgerState.ALREADY_TAGGED));
        users(segment, "in_doubt", end.inDoubt() - start.inDoubt());
        users(segment, "rejected", end.rejected() - start.rejected());
        end.rejectedByCode()
            .forEach((code, users) -> Counter.builder("tagsync.users.rejected")
                .description("Users SessionM refused for good, by its error code")
                .tags("segment", segment, "code", code)
                .register(registry)
                .increment(users - start.rejectedByCode().getOrDefault(code, 0L)));
        end.skippedByReason()
            .forEach((reason, lines) -> Counter.builder("tagsync.lines.skipped")
                .description("Export lines that did not become a user, by reason")
                .tags("segment", segment, "reason", reason)
                .register(registry)
                .increment(lines - start.skippedByReason().getOrDefault(reason, 0L)));
        counter("tagsync.bulkfile.rows", "Rows published in bulk files", segment)
            .increment(end.bulkFileRows() - start.bulkFileRows());
        Timer.builder("tagsync.sync.duration")
            .description("Sync executions: how long they ran, by final status")
            .tags("segment", segment, "status", execution.getStatus().name())
            .register(registry)
            .record(end.duration());
    }

    private void users(String segment, String outcome, long count) {
        Counter.builder("tagsync.users")
            .description("Users of exports by what became of them")
            .tags("segment", segment, "outcome", outcome)
            .register(registry)
            .increment(Math.max(0, count));
    }

    private Counter counter(String name, String description, String segment) {
        return Counter.builder(name).description(description).tag("segment", segment).register(registry);
    }

    /**
     * Whether {@code step} completed in this very execution (a step completed before is
     * not run again).
     */
    private static boolean completed(JobExecution execution, SyncStep step) {
        return execution.getStepExecutions()
            .stream()
            .anyMatch(stepExecution -> step.is(stepExecution) && stepExecution.getStatus() == BatchStatus.COMPLETED);
    }

    private static boolean isDryRun(JobExecution execution) {
        return SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME.equals(execution.getJobInstance().getJobName());
    }

    private static long linesRead(JobExecution execution) {
        return execution.getStepExecutions()
            .stream()
            .filter(SyncStep.STAGE_USERS::is)
            .mapToLong(StepExecution::getReadCount)
            .sum();
    }

    private static String segmentOf(SyncRequest request) {
        String segment = request.segmentId();
        return segment == null ? NONE : segment;
    }

}
