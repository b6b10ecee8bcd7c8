package com.loyaltybridge.tagsync.api;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Service;

import com.loyaltybridge.tagsync.launch.SyncLauncher;
import com.loyaltybridge.tagsync.launch.SyncOutcome;
import com.loyaltybridge.tagsync.sync.ExportJobRequest;

/**
 * Runs the syncs (and runs of the offers job) the API launches, each on a thread of a
 * small pool, through the same {@link SyncLauncher} as the command line (so its lock
 * keeps a sync to one process), and answers as soon as the execution exists. On shutdown
 * the syncs still running are stopped at their next chunk boundary, so they end STOPPED
 * and resume cleanly, rather than being cut off.
 */
@Service
@ConditionalOnWebApplication
public class SyncLaunches implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SyncLaunches.class);

    /**
     * Within Kubernetes' default 30 s grace period: a stopped chunk commits well before.
     */
    private static final int SHUTDOWN_WAIT_SECONDS = 25;

    private final SyncLauncher launcher;

    private final Executions executions;

    private final ApiSettings settings;

    private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    SyncLaunches(SyncLauncher launcher, Executions executions, ApiSettings settings) {
        this.launcher = launcher;
        this.executions = executions;
        this.settings = settings;
        executor.setCorePoolSize(settings.maxConcurrentSyncs());
        executor.setMaxPoolSize(settings.maxConcurrentSyncs());
        executor.setQueueCapacity(0);
        executor.setThreadNamePrefix("api-sync-");
        executor.initialize();
    }

    /**
     * What came of a launch: started (with its execution id), or why not.
     *
     * @param message why it did not start, in words; null when it started
     */
    public record Launch(Kind kind, Long executionId, String message) {

        public enum Kind {

            STARTED, ALREADY_COMPLETED, ALREADY_RUNNING, REFUSED, BUSY

        }
    }

    /** Launches {@code request}'s run: a tag sync, or the offers job. */
    public Launch launch(ExportJobRequest request) {
        return launch(request, false);
    }

    /**
     * Like {@link #launch(ExportJobRequest)}, for its dry run (see
     * {@link SyncLauncher#dryRun(ExportJobRequest, Consumer)}): it always starts.
     */
    public Launch dryRun(ExportJobRequest request) {
        return launch(request, true);
    }

    private Launch launch(ExportJobRequest request, boolean dryRun) {
        CompletableFuture<Launch> decided = new CompletableFuture<>();
        try {
            executor.execute(() -> run(request, dryRun, decided));
        }
        catch (TaskRejectedException e) {
            return new Launch(Launch.Kind.BUSY, null, null);
        }
        try {
            return decided.get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the sync was starting", e);
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
        catch (TimeoutException e) {
            throw new IllegalStateException(
                    "the sync did not start within " + settings.startTimeout().toSeconds() + " s");
        }
    }

    private void run(ExportJobRequest request, boolean dryRun, CompletableFuture<Launch> decided) {
        AtomicReference<Long> executionId = new AtomicReference<>();
        try {
            Consumer<JobExecution> onStart = execution -> {
                executionId.set(execution.getId());
                running.add(execution.getId());
                decided.complete(new Launch(Launch.Kind.STARTED, execution.getId(), null));
            };
            SyncLauncher.Launched outcome = dryRun ? launcher.dryRun(request, onStart)
                    : launcher.launch(request, onStart);
            decided.complete(switch (outcome.kind()) {
                case RAN -> new Launch(Launch.Kind.STARTED, outcome.execution().getId(), null);
                case ALREADY_COMPLETED ->
                    new Launch(Launch.Kind.ALREADY_COMPLETED, outcome.execution().getId(), outcome.message());
                case ALREADY_RUNNING -> new Launch(Launch.Kind.ALREADY_RUNNING, null, outcome.message());
                case REFUSED, SUPERSEDED -> new Launch(Launch.Kind.REFUSED, null, outcome.message());
            });
            if (outcome.execution() != null && outcome.kind() == SyncOutcome.Kind.RAN) {
                log.info("API-launched {} ended {}: {}", dryRun ? "dry run" : "run", outcome.execution().getStatus(),
                        request.describe());
            }
        }
        catch (RuntimeException e) {
            log.error("API-launched run of {} failed: {}", request.export(), e.getMessage());
            decided.completeExceptionally(e);
        }
        finally {
            if (executionId.get() != null) {
                running.remove(executionId.get());
            }
        }
    }

    @Override
    public void destroy() {
        for (Long executionId : running) {
            if (executions.requestStop(executionId)) {
                log.info("Stopping execution {} for shutdown; it resumes on its next launch", executionId);
            }
        }
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationSeconds(SHUTDOWN_WAIT_SECONDS);
        executor.shutdown();
    }

}
