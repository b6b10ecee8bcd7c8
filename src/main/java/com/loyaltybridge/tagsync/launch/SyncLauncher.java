package com.loyaltybridge.tagsync.launch;

import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Service;

import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncSummaries;
import com.loyaltybridge.tagsync.sync.SyncSummary;

/**
 * Runs one sync to its end in the calling thread: starts it, or resumes it where an earlier
 * execution stopped (failed, stopped, or killed), or reports that it already completed.
 * A PostgreSQL lock makes sure only one process runs a given sync at a time.
 */
@Service
public class SyncLauncher {

    private static final Logger log = LoggerFactory.getLogger(SyncLauncher.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job segmentTagSyncJob;
    private final ExportRunLocks locks;
    private final SyncSummaries summaries;
    private final ExecutionStartHook startHook;

    public SyncLauncher(JobOperator jobOperator, JobRepository jobRepository, Job segmentTagSyncJob, ExportRunLocks locks,
            SyncSummaries summaries, ExecutionStartHook startHook) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.segmentTagSyncJob = segmentTagSyncJob;
        this.locks = locks;
        this.summaries = summaries;
        this.startHook = startHook;
    }

    public SyncOutcome run(SyncRequest request) {
        return run(request, execution -> {
        });
    }

    /** Like {@link #run(SyncRequest)}; {@code onStart} gets the execution as soon as it exists, before the job runs. */
    public SyncOutcome run(SyncRequest request, Consumer<JobExecution> onStart) {
        JobParameters parameters = request.toJobParameters();
        Optional<ExportRunLocks.RunLock> lock = locks.tryAcquire(lockName(parameters));
        if (lock.isEmpty()) {
            return new SyncOutcome(SyncOutcome.Kind.ALREADY_RUNNING, null,
                    "another process is running this sync right now (" + request.describe() + "); nothing was done");
        }
        try (ExportRunLocks.RunLock held = lock.get()) {
            JobInstance instance = withoutOrphan(jobRepository.getJobInstance(SegmentSyncJobConfiguration.JOB_NAME, parameters));
            if (instance != null) {
                JobExecution last = jobRepository.getLastJobExecution(instance);
                if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
                    return alreadyCompleted(last);
                }
                if (last != null && last.getStatus() == BatchStatus.ABANDONED) {
                    return abandoned(last);
                }
                if (last != null && endedUnknown(last)) {
                    // Spring Batch cannot tell whether a chunk whose rollback failed was committed, and will not restart
                    // it. This job can: every step finds what is left to do in the ledger, not in the chunk's state.
                    log.warn("Execution {} of this sync ended UNKNOWN (PostgreSQL went away mid-chunk); marking it failed"
                            + " and resuming from what the ledger says is done", last.getId());
                    markFailed(last);
                }
                if (last != null && leftRunning(last)) {
                    // We hold the lock, so the process that ran this execution is gone: killed, or it lost PostgreSQL
                    // before the execution or one of its steps could record its end. Spring Batch's recovery refuses
                    // an UNKNOWN execution, hence after the marking above.
                    log.warn("Execution {} of this sync was left {} by a process that is gone; marking it failed and resuming",
                            last.getId(), whatWasLeftRunning(last));
                    last = jobOperator.recover(last);
                }
                if (last != null) {
                    log.info("Resuming sync {} after execution {} ended {}", request.describe(), last.getId(), last.getStatus());
                }
            } else {
                log.info("Starting sync {}", request.describe());
            }
            JobExecution execution;
            startHook.notify(onStart);
            try {
                execution = jobOperator.start(segmentTagSyncJob, held.holder().addTo(parameters));
            } finally {
                startHook.clear();
            }
            return new SyncOutcome(SyncOutcome.Kind.RAN, summaries.of(execution), null);
        } catch (JobInstanceAlreadyCompleteException e) {
            // Spring Batch says so of an abandoned instance too.
            JobInstance instance = jobRepository.getJobInstance(SegmentSyncJobConfiguration.JOB_NAME, parameters);
            JobExecution last = jobRepository.getLastJobExecution(instance);
            return last.getStatus() == BatchStatus.ABANDONED ? abandoned(last) : alreadyCompleted(last);
        } catch (JobExecutionAlreadyRunningException e) {
            return new SyncOutcome(SyncOutcome.Kind.ALREADY_RUNNING, null, "this sync is already running: " + e.getMessage());
        } catch (JobRestartException | InvalidJobParametersException e) {
            return new SyncOutcome(SyncOutcome.Kind.REFUSED, null, "this sync cannot be run again: " + e.getMessage());
        }
    }

    /**
     * {@code instance}, or null when it has no execution: then it is deleted, so the launch starts afresh. Spring Batch
     * writes a new instance and its first execution in two transactions; when the second fails (a parameter too long
     * for its column, PostgreSQL gone in between), the instance is left without any, and every later launch of the
     * same sync would fail on it ("Cannot find any job execution"). Whatever the cause, the next launch repairs it. We
     * hold the sync's lock, so no other launch is between those two transactions right now.
     */
    private JobInstance withoutOrphan(JobInstance instance) {
        if (instance == null || !jobRepository.getJobExecutions(instance).isEmpty()) {
            return instance;
        }
        log.warn("Job instance {} of this sync has no execution (an earlier launch failed as it was created); deleting it"
                + " and starting afresh", instance.getInstanceId());
        jobRepository.deleteJobInstance(instance);
        return null;
    }

    /** Spring Batch refuses to restart an execution whose job or any step is still marked running. */
    private static boolean leftRunning(JobExecution execution) {
        return execution.getStatus().isRunning()
                || execution.getStepExecutions().stream().anyMatch(step -> step.getStatus().isRunning());
    }

    private static String whatWasLeftRunning(JobExecution execution) {
        return execution.getStatus().isRunning() ? execution.getStatus().toString()
                : execution.getStepExecutions().stream().filter(step -> step.getStatus().isRunning())
                        .map(step -> "with step " + step.getStepName() + " " + step.getStatus())
                        .collect(Collectors.joining(", "));
    }

    private static boolean endedUnknown(JobExecution execution) {
        return execution.getStatus() == BatchStatus.UNKNOWN
                || execution.getStepExecutions().stream().anyMatch(step -> step.getStatus() == BatchStatus.UNKNOWN);
    }

    private void markFailed(JobExecution execution) {
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus() == BatchStatus.UNKNOWN) {
                step.setStatus(BatchStatus.FAILED);
                jobRepository.update(step);
            }
        }
        execution.setStatus(BatchStatus.FAILED);
        jobRepository.update(execution);
    }

    private SyncOutcome alreadyCompleted(JobExecution last) {
        SyncSummary summary = summaries.of(last);
        return new SyncOutcome(SyncOutcome.Kind.ALREADY_COMPLETED, summary,
                "this sync already completed at " + (last.getEndTime() == null ? "an unknown time" : TIME.format(last.getEndTime()))
                        + " (job instance " + summary.jobInstanceId() + ", execution " + last.getId() + "); nothing was done");
    }

    /** Nothing is run: an operator gave this sync up, and Spring Batch never runs an abandoned instance again. */
    private SyncOutcome abandoned(JobExecution last) {
        return new SyncOutcome(SyncOutcome.Kind.REFUSED, null, "this sync was abandoned by an operator (job instance "
                + last.getJobInstance().getInstanceId() + ", execution " + last.getId() + ") and is never run again;"
                + " nothing was done. To sync this export anew, give it other tag settings (tags, ttl, mode or identifier)");
    }

    /** One lock per job instance: the job name and the identifying parameters. */
    static String lockName(JobParameters parameters) {
        StringBuilder name = new StringBuilder(SegmentSyncJobConfiguration.JOB_NAME);
        parameters.getIdentifyingParameters().stream()
                .sorted(Comparator.comparing(JobParameter::name))
                .forEach(p -> name.append('|').append(p.name()).append('=').append(p.value()));
        return name.toString();
    }
}
