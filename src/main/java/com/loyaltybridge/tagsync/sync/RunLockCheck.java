package com.loyaltybridge.tagsync.sync;

import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * How a run finds out whether it still holds its sync's run lock, before it commits
 * intents to call SessionM. The launcher takes the lock and hands the run its holder as a
 * job parameter; the same side knows how to check it ({@code launch.ExportRunLocks}).
 * Declared here so that the job depends on what it needs, not on who launches it.
 */
public interface RunLockCheck {

    /**
     * The check of the run that has {@code parameters}: it returns while that run's own
     * lock is held, and throws {@link RunLockLostException} once it is gone.
     */
    Runnable forRun(JobParameters parameters);

}
