package com.loyaltybridge.tagsync.sync;

import java.util.Arrays;
import java.util.Optional;

import org.springframework.batch.core.step.StepExecution;

/**
 * The steps of the sync job (see {@link SegmentSyncJobConfiguration}), by the names
 * Spring Batch records them under ({@code batch_step_execution.step_name}). Summaries,
 * metrics, the progress log and the API's step list find a step by this name: it is
 * written here only. Renaming a step is more than an edit, though: Spring Batch resumes a
 * failed execution step by step name, so an execution recorded under the old name would
 * run the renamed step from scratch.
 */
public enum SyncStep {

    OPEN_PLAN("openPlan"), LIST_EXPORT_OBJECTS("listExportObjects"), STAGE_USERS("stageUsers"),
    REMOVE_DUPLICATE_USERS("removeDuplicateUsers"), PLAN_AUDIENCE("planAudience"), TAG_USERS("tagUsers"),
    WRITE_BULK_FILE("writeBulkFile"), UPDATE_AUDIENCE("updateAudience");

    private final String stepName;

    SyncStep(String stepName) {
        this.stepName = stepName;
    }

    /** The name of the step in the job repository. */
    public String stepName() {
        return stepName;
    }

    /** The step {@code stepName} names; empty for a step of another job. */
    public static Optional<SyncStep> of(String stepName) {
        return Arrays.stream(values()).filter(step -> step.stepName.equals(stepName)).findFirst();
    }

    /** Whether {@code execution} is an execution of this step. */
    public boolean is(StepExecution execution) {
        return stepName.equals(execution.getStepName());
    }

}
