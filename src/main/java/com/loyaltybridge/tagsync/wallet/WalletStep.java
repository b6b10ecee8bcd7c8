package com.loyaltybridge.tagsync.wallet;

import java.util.Arrays;
import java.util.Optional;

import org.springframework.batch.core.step.StepExecution;

import com.loyaltybridge.tagsync.sync.SyncStep;

/**
 * The steps of the offers job (see {@link OfferWalletJobConfiguration}), by the names
 * Spring Batch records them under. Two are the tag sync's own steps, shared, under their
 * names there. As for {@link SyncStep}, renaming a step is more than an edit: a failed
 * execution resumes step by step name.
 */
public enum WalletStep {

    OPEN_PLAN("openWalletPlan"), LIST_EXPORT_OBJECTS(SyncStep.LIST_EXPORT_OBJECTS.stepName()),
    STAGE_MEMBERS("stageMembers"), REMOVE_DUPLICATE_USERS(SyncStep.REMOVE_DUPLICATE_USERS.stepName()),
    REFRESH_WALLETS("refreshWallets"), RECORD_LEAVERS("recordLeavers"), CLEAR_LEAVERS("clearLeavers"),
    UPDATE_AUDIENCE("updateWalletAudience");

    private final String stepName;

    WalletStep(String stepName) {
        this.stepName = stepName;
    }

    /** The name of the step in the job repository. */
    public String stepName() {
        return stepName;
    }

    /** The step {@code stepName} names; empty for a step of another job. */
    public static Optional<WalletStep> of(String stepName) {
        return Arrays.stream(values()).filter(step -> step.stepName.equals(stepName)).findFirst();
    }

    /** Whether {@code execution} is an execution of this step. */
    public boolean is(StepExecution execution) {
        return stepName.equals(execution.getStepName());
    }

}
