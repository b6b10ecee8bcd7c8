package com.loyaltybridge.tagsync.launch;

import java.util.function.Consumer;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.sync.SyncRequest;

/**
 * Hands the caller of {@link SyncLauncher#run(SyncRequest, Consumer)} the execution it
 * started as soon as it exists, while the job goes on in that caller's thread: the REST
 * API answers with the execution id without waiting for the end. The job runs in the
 * launching thread, so a thread-local callback reaches exactly it.
 * <p>
 * The one piece of a run this bean holds, and it is confined to that run's thread:
 * {@code JobOperator.start} creates the execution and runs the job in one call, and
 * Spring Batch offers no callback per launch, only listeners per job. Keying callbacks by
 * a launch id instead would take a job parameter, stored with every execution, for
 * nothing the thread does not already tell. It relies on the synchronous launch that
 * {@link SyncLauncher} needs anyway, as it returns the summary of the run it started.
 */
@Component
class ExecutionStartHook implements JobExecutionListener {

    private final ThreadLocal<Consumer<JobExecution>> onStart = new ThreadLocal<>();

    /**
     * Calls {@code callback} when the job this thread launches next has its execution;
     * until {@link #clear()}.
     */
    void notify(Consumer<JobExecution> callback) {
        onStart.set(callback);
    }

    void clear() {
        onStart.remove();
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        Consumer<JobExecution> callback = onStart.get();
        if (callback != null) {
            callback.accept(jobExecution);
        }
    }

}
