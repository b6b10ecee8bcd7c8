package com.loyaltybridge.tagsync.sync;

import org.springframework.batch.core.job.JobExecution;

/**
 * Builds the summary of an execution of one job that reads an export (the tag sync, the
 * offers job), for callers that run any of them: each job's summaries are one bean, and
 * the caller asks the one that {@link #summarises} it.
 */
public interface ExportJobSummaries {

    /** Whether {@code execution} is of this bean's job (or of its dry run). */
    boolean summarises(JobExecution execution);

    ExportJobSummary of(JobExecution execution);

}
