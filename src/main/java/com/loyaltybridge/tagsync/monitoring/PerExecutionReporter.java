package com.loyaltybridge.tagsync.monitoring;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.DisposableBean;

/**
 * A report of each running execution of a job, every {@code monitoring.progress-interval}
 * (0: none), as the progress logs write them: scheduled when the execution starts and
 * cancelled when it ends, on a daemon thread of its own, so the run itself never waits
 * for it. One bean serves every run of the process (two syncs run at once inside
 * {@code serve}): what belongs to one execution, its report and whatever that remembers
 * from one tick to the next, is made for it when it starts ({@link #reportOf}) and held
 * under its id until it ends.
 */
abstract class PerExecutionReporter implements JobExecutionListener, DisposableBean {

    private final Logger log = LoggerFactory.getLogger(getClass());

    private final Duration interval;

    private final ScheduledExecutorService timer;

    private final Map<Long, ScheduledFuture<?>> reports = new ConcurrentHashMap<>();

    /**
     * @param threadName the name of the thread that runs the reports
     * @param interval the time between two reports of an execution; zero for none
     */
    protected PerExecutionReporter(String threadName, Duration interval) {
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Whether {@code execution} is reported here: an execution of this log's job. */
    protected abstract boolean reports(JobExecution execution);

    /**
     * The report of one execution, made as it starts and run at every tick until it ends.
     */
    protected abstract Runnable reportOf(JobExecution execution);

    @Override
    public final void beforeJob(JobExecution execution) {
        long millis = interval.toMillis();
        if (millis > 0 && reports(execution)) {
            Runnable report = reportOf(execution);
            reports.put(execution.getId(),
                    timer.scheduleAtFixedRate(() -> tick(execution, report), millis, millis, TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public final void afterJob(JobExecution execution) {
        ScheduledFuture<?> report = reports.remove(execution.getId());
        if (report != null) {
            report.cancel(false);
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }

    private void tick(JobExecution execution, Runnable report) {
        try {
            report.run();
        }
        catch (RuntimeException e) {
            // A progress line is not worth failing or slowing the run for; the next tick
            // tries again (a task that threw would never be run again).
            log.debug("progress of execution {} unavailable: {}", execution.getId(), e.getMessage());
        }
    }

}
