package com.loyaltybridge.tagsync.sync;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.bulkfile.PublishedPart;
import com.loyaltybridge.tagsync.ledger.SyncBulkFilePartRepository;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;

/** Builds the {@link SyncSummary} of an execution from the ledger and the job repository. */
@Component
public class SyncSummaries {

    private final SyncUserRepository ledger;
    private final SyncSkippedLineRepository skippedLines;
    private final SyncBulkFilePartRepository bulkFileParts;

    public SyncSummaries(SyncUserRepository ledger, SyncSkippedLineRepository skippedLines, SyncBulkFilePartRepository bulkFileParts) {
        this.ledger = ledger;
        this.skippedLines = skippedLines;
        this.bulkFileParts = bulkFileParts;
    }

    public SyncSummary of(JobExecution execution) {
        long jobInstanceId = execution.getJobInstance().getInstanceId();
        var usersByState = ledger.countByState(jobInstanceId);
        List<PublishedPart> parts = bulkFileParts.partsOf(jobInstanceId).stream().map(SyncBulkFilePartRepository.RecordedPart::part).toList();
        String bulkFolder = parts.isEmpty() ? null
                : parts.get(0).location().substring(0, parts.get(0).location().lastIndexOf('/') + 1);
        return new SyncSummary(
                jobInstanceId,
                execution.getId(),
                SyncRequest.fromJobParameters(execution.getJobParameters()),
                execution.getStatus(),
                failureMessages(execution),
                resolvedMode(execution),
                usersByState.values().stream().mapToLong(Long::longValue).sum(),
                usersByState,
                ledger.rejectionsByCode(jobInstanceId),
                skippedLines.countByReason(jobInstanceId),
                parts.size(),
                parts.stream().mapToLong(PublishedPart::rows).sum(),
                bulkFolder,
                execution.getStartTime(),
                execution.getEndTime(),
                usersHandled(execution),
                execution.getStepExecutions().stream().filter(step -> step.getStepName().equals("tagUsers"))
                        .map(SessionmPaceRecorder::read).filter(Objects::nonNull).findFirst().orElse(null));
    }

    /**
     * The mode the run took: the decider's record of it, which the job repository stores with the job's context only
     * once the step after it ends; until then, read from that step (so a running sync's progress is known elsewhere).
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

    /** Users this execution alone got through its busiest step: its throughput counts nothing done before a restart. */
    private static long usersHandled(JobExecution execution) {
        long handled = 0;
        for (StepExecution step : execution.getStepExecutions()) {
            long count = SyncStep.of(step.getStepName()).map(syncStep -> switch (syncStep) {
                case STAGE_USERS, TAG_USERS -> step.getReadCount();
                case WRITE_BULK_FILE -> step.getWriteCount();
                case LIST_EXPORT_OBJECTS, REMOVE_DUPLICATE_USERS -> 0L;
            }).orElse(0L);
            handled = Math.max(handled, count);
        }
        return handled;
    }

    /**
     * One line per distinct failure: the message of the exception that says what went wrong, never a stack trace.
     * A step that ended UNKNOWN also interrupts the job, whose exception only repeats the step: it is left out when
     * the step's own failure is there to say why.
     */
    static List<String> failureMessages(JobExecution execution) {
        Set<String> messages = new LinkedHashSet<>();
        Set<String> interruptions = new LinkedHashSet<>();
        for (Throwable failure : execution.getAllFailureExceptions()) {
            (failure instanceof JobInterruptedException ? interruptions : messages).add(explain(failure));
        }
        return new ArrayList<>(messages.isEmpty() ? interruptions : messages);
    }

    /**
     * What went wrong, in one line: our own exceptions are written for the user; past them, PostgreSQL's words
     * when the database failed, else the root cause's message.
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
