package com.loyaltybridge.tagsync.launch;

import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Service;

import com.loyaltybridge.tagsync.ledger.SyncAudienceRepository;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository;
import com.loyaltybridge.tagsync.sync.ExportJobRequest;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/**
 * Runs one sync to its end in the calling thread: starts it, or resumes it where an
 * earlier execution stopped (failed, stopped, or killed), or reports that it already
 * completed. A PostgreSQL lock makes sure only one process runs a given sync at a time.
 * <p>
 * Any job that reads one export runs through it
 * ({@link #launch(ExportJobRequest, Consumer)}): the tag sync ({@link #run(SyncRequest)},
 * which gives its summary) and the offers job, whose callers build their summary from the
 * execution. The request names its job, its audience and so its lock.
 */
@Service
public class SyncLauncher {

    private static final Logger log = LoggerFactory.getLogger(SyncLauncher.class);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /**
     * The identifying parameter that gives each dry run a job instance of its own: when
     * it was asked for.
     */
    static final String DRY_RUN_AT = "dryRunAt";

    private final JobOperator jobOperator;

    private final JobRepository jobRepository;

    private final Map<String, Job> jobs;

    private final ExportRunLocks locks;

    private final SyncSummaries summaries;

    private final ExecutionStartHook startHook;

    private final SyncAudienceRepository audiences;

    private final SyncLedgerSummaryRepository ledgerSummaries;

    /**
     * @param jobs every job of the application; a request names the one it runs
     */
    public SyncLauncher(JobOperator jobOperator, JobRepository jobRepository, List<Job> jobs, ExportRunLocks locks,
            SyncSummaries summaries, ExecutionStartHook startHook, SyncAudienceRepository audiences,
            SyncLedgerSummaryRepository ledgerSummaries) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.jobs = jobs.stream().collect(Collectors.toUnmodifiableMap(Job::getName, job -> job));
        this.locks = locks;
        this.summaries = summaries;
        this.startHook = startHook;
        this.audiences = audiences;
        this.ledgerSummaries = ledgerSummaries;
    }

    /**
     * What came of asking for a run of any job: what the launcher did, and the execution
     * that tells the rest (the one it ran, or the one that completed before); null when
     * none did.
     */
    public record Launched(SyncOutcome.Kind kind, @Nullable JobExecution execution, @Nullable String message) {
    }

    public SyncOutcome run(SyncRequest request) {
        return run(request, execution -> {
        });
    }

    /**
     * Like {@link #run(SyncRequest)}; {@code onStart} gets the execution as soon as it
     * exists, before the job runs.
     */
    public SyncOutcome run(SyncRequest request, Consumer<JobExecution> onStart) {
        return outcomeOf(launch(request, onStart));
    }

    private SyncOutcome outcomeOf(Launched launched) {
        return new SyncOutcome(launched.kind(),
                launched.execution() == null ? null : summaries.of(launched.execution()), launched.message());
    }

    /**
     * Runs {@code request}'s job to its end, as {@link #run(SyncRequest, Consumer)} does
     * the tag sync; {@code onStart} gets the execution as soon as it exists, before the
     * job runs.
     */
    public Launched launch(ExportJobRequest request, Consumer<JobExecution> onStart) {
        JobParameters parameters = request.toJobParameters();
        // The audience's lock keeps its exports one at a time; the sync's own, as
        // versions before audiences take it,
        // keeps it from a process of such a version during an upgrade.
        Optional<ExportRunLocks.RunLock> lock = request.audienceName() == null
                ? locks.tryAcquire(lockName(request.jobName(), parameters))
                : locks.tryAcquire(lockName(request, parameters), lockName(request.jobName(), parameters));
        if (lock.isEmpty()) {
            return new Launched(SyncOutcome.Kind.ALREADY_RUNNING, null, request.audienceName() == null
                    ? "another process is running this sync right now (" + request.describe() + "); nothing was done"
                    : "another process is running a sync of audience " + request.audienceName()
                            + " right now (two exports of" + " one audience never run at once); nothing was done for "
                            + request.describe());
        }
        try (ExportRunLocks.RunLock held = lock.get()) {
            JobInstance instance = withoutOrphan(jobRepository.getJobInstance(request.jobName(), parameters));
            JobExecution last = instance == null ? null : jobRepository.getLastJobExecution(instance);
            if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
                return alreadyCompleted(last);
            }
            if (last != null && last.getStatus() == BatchStatus.ABANDONED) {
                return abandoned(request, last);
            }
            Optional<String> superseded = superseded(request);
            if (superseded.isPresent()) {
                return new Launched(SyncOutcome.Kind.SUPERSEDED, null, superseded.get());
            }
            if (instance != null && ledgerSummaries.find(instance.getInstanceId()).isPresent()) {
                // Pruning only takes a sync that can never run again; should that change
                // (its audience gone), its users
                // are no longer there to resume from.
                return new Launched(SyncOutcome.Kind.REFUSED, null,
                        "this sync's users were pruned after" + " sync.ledger-retention (job instance "
                                + instance.getInstanceId() + "); nothing was done."
                                + " To sync this export anew, run it with --full");
            }
            if (instance != null) {
                if (last != null && endedUnknown(last)) {
                    // Spring Batch cannot tell whether a chunk whose rollback failed was
                    // committed, and will not restart
                    // it. This job can: every step finds what is left to do in the
                    // ledger, not in the chunk's state.
                    log.warn(
                            "Execution {} of this sync ended UNKNOWN (PostgreSQL went away mid-chunk); marking it failed"
                                    + " and resuming from what the ledger says is done",
                            last.getId());
                    markFailed(last);
                }
                if (last != null && leftRunning(last)) {
                    // We hold the lock, so the process that ran this execution is gone:
                    // killed, or it lost PostgreSQL
                    // before the execution or one of its steps could record its end.
                    // Spring Batch's recovery refuses
                    // an UNKNOWN execution, hence after the marking above.
                    log.warn(
                            "Execution {} of this sync was left {} by a process that is gone; marking it failed and resuming",
                            last.getId(), whatWasLeftRunning(last));
                    last = jobOperator.recover(last);
                }
                if (last != null) {
                    log.info("Resuming sync {} after execution {} ended {}", request.describe(), last.getId(),
                            last.getStatus());
                }
            }
            else {
                log.info("Starting sync {}", request.describe());
            }
            JobExecution execution;
            startHook.notify(onStart);
            try {
                execution = jobOperator.start(job(request.jobName()), held.holder().addTo(parameters));
            }
            finally {
                startHook.clear();
            }
            return new Launched(SyncOutcome.Kind.RAN, execution, null);
        }
        catch (JobInstanceAlreadyCompleteException e) {
            // Spring Batch says so of an abandoned instance too.
            JobInstance instance = jobRepository.getJobInstance(request.jobName(), parameters);
            JobExecution last = jobRepository.getLastJobExecution(instance);
            return last.getStatus() == BatchStatus.ABANDONED ? abandoned(request, last) : alreadyCompleted(last);
        }
        catch (JobExecutionAlreadyRunningException e) {
            return new Launched(SyncOutcome.Kind.ALREADY_RUNNING, null,
                    "this sync is already running: " + e.getMessage());
        }
        catch (JobRestartException | InvalidJobParametersException e) {
            return new Launched(SyncOutcome.Kind.REFUSED, null, "this sync cannot be run again: " + e.getMessage());
        }
    }

    private Job job(String name) {
        Job job = jobs.get(name);
        if (job == null) {
            throw new IllegalStateException("no job named " + name);
        }
        return job;
    }

    /**
     * {@code instance}, or null when it has no execution: then it is deleted, so the
     * launch starts afresh. Spring Batch writes a new instance and its first execution in
     * two transactions; when the second fails (a parameter too long for its column,
     * PostgreSQL gone in between), the instance is left without any, and every later
     * launch of the same sync would fail on it ("Cannot find any job execution").
     * Whatever the cause, the next launch repairs it. We hold the sync's lock, so no
     * other launch is between those two transactions right now.
     */
    private JobInstance withoutOrphan(JobInstance instance) {
        if (instance == null || !jobRepository.getJobExecutions(instance).isEmpty()) {
            return instance;
        }
        log.warn(
                "Job instance {} of this sync has no execution (an earlier launch failed as it was created); deleting it"
                        + " and starting afresh",
                instance.getInstanceId());
        jobRepository.deleteJobInstance(instance);
        return null;
    }

    /**
     * Runs the plan of {@code request} and nothing else, in a job instance of its own:
     * the export is read and staged, and its users are sorted by what the real run would
     * do with them; nothing is sent, no bulk file is written, and nothing of the audience
     * changes. It takes no lock: it changes nothing another run could meet.
     */
    public SyncOutcome dryRun(SyncRequest request, Consumer<JobExecution> onStart) {
        return outcomeOf(dryRun((ExportJobRequest) request, onStart));
    }

    /**
     * The dry run of any job's request (see {@link #dryRun(SyncRequest, Consumer)}): it
     * always runs.
     */
    public Launched dryRun(ExportJobRequest request, Consumer<JobExecution> onStart) {
        JobParameters parameters = new JobParametersBuilder(request.toJobParameters())
            .addLong(DRY_RUN_AT, System.currentTimeMillis())
            .toJobParameters();
        log.info("Dry run of {}", request.describe());
        JobExecution execution;
        startHook.notify(onStart);
        try {
            execution = jobOperator.start(job(request.dryRunJobName()), parameters);
        }
        catch (JobExecutionAlreadyRunningException | JobRestartException | JobInstanceAlreadyCompleteException
                | InvalidJobParametersException e) {
            throw new IllegalStateException("a dry run always has a job instance of its own: " + e.getMessage(), e);
        }
        finally {
            startHook.clear();
        }
        return new Launched(SyncOutcome.Kind.RAN, execution, null);
    }

    /**
     * Whether the export of {@code request} can no longer be synced as asked, because its
     * audience follows a newer one: a sync of it that failed will never resume.
     */
    public boolean isSuperseded(ExportJobRequest request) {
        return superseded(request).isPresent();
    }

    /**
     * Why the export of {@code request} must not be synced: its audience already follows
     * a newer export, which this one would undo (members who left since would enter
     * again, and so on); {@code --full} syncs it all the same.
     */
    private Optional<String> superseded(ExportJobRequest request) {
        if (request.full() || request.audienceName() == null || request.exportRequestedAt().isEmpty()) {
            return Optional.empty();
        }
        return audiences.find(request.audienceName(), request.identifierSource().text())
            .filter(audience -> audience.lastExportRequestedAt() != null
                    && audience.lastExportRequestedAt().isAfter(request.exportRequestedAt().get()))
            .map(audience -> "superseded: audience " + audience.name() + " already follows " + audience.lastExport()
                    + ", requested at " + audience.lastExportRequestedAt() + ", after this export (requested at "
                    + request.exportRequestedAt().get() + "); syncing it would undo the newer one, so nothing was done"
                    + " (--full syncs it anyway)");
    }

    /**
     * Spring Batch refuses to restart an execution whose job or any step is still marked
     * running.
     */
    private static boolean leftRunning(JobExecution execution) {
        return execution.getStatus().isRunning()
                || execution.getStepExecutions().stream().anyMatch(step -> step.getStatus().isRunning());
    }

    private static String whatWasLeftRunning(JobExecution execution) {
        return execution.getStatus().isRunning() ? execution.getStatus().toString()
                : execution.getStepExecutions()
                    .stream()
                    .filter(step -> step.getStatus().isRunning())
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

    private Launched alreadyCompleted(JobExecution last) {
        return new Launched(SyncOutcome.Kind.ALREADY_COMPLETED, last, "this sync already completed at "
                + (last.getEndTime() == null ? "an unknown time" : TIME.format(last.getEndTime())) + " (job instance "
                + last.getJobInstance().getInstanceId() + ", execution " + last.getId() + "); nothing was done");
    }

    /**
     * Nothing is run: an operator gave this sync up, and Spring Batch never runs an
     * abandoned instance again.
     */
    private Launched abandoned(ExportJobRequest request, JobExecution last) {
        return new Launched(SyncOutcome.Kind.REFUSED, null, "this sync was abandoned by an operator (job instance "
                + last.getJobInstance().getInstanceId() + ", execution " + last.getId() + ") and is never run again;"
                + " nothing was done. To sync this export anew, give it other " + request.identifyingSettings());
    }

    /**
     * One lock per audience, so that two exports of one audience never run at once; for
     * an export without one, one lock per job instance.
     */
    static String lockName(ExportJobRequest request, JobParameters parameters) {
        return request.audienceName() == null ? lockName(request.jobName(), parameters) : request.jobName()
                + "|audience=" + request.audienceName() + "|identifier=" + request.identifierSource().text();
    }

    /**
     * One lock per job instance of the tag sync: the job name and the identifying
     * parameters.
     */
    static String lockName(JobParameters parameters) {
        return lockName(SegmentSyncJobConfiguration.JOB_NAME, parameters);
    }

    /** One lock per job instance: the job name and the identifying parameters. */
    static String lockName(String jobName, JobParameters parameters) {
        StringBuilder name = new StringBuilder(jobName);
        parameters.getIdentifyingParameters()
            .stream()
            .sorted(Comparator.comparing(JobParameter::name))
            .forEach(p -> name.append('|').append(p.name()).append('=').append(p.value()));
        return name.toString();
    }

}
