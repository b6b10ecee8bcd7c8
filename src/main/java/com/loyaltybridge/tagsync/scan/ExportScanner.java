package com.loyaltybridge.tagsync.scan;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Service;

import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.launch.SyncLauncher;
import com.loyaltybridge.tagsync.launch.SyncOutcome;
import com.loyaltybridge.tagsync.sync.SyncRequest;

/**
 * One scan, what the CronJob runs: for each segment mapping, every export that is complete and not yet
 * synced is synced, oldest first, one after the other; a sync that failed before is run again (it resumes)
 * until it has had {@code scan.max-attempts} executions, then left for a person.
 * <p>
 * Every launch goes through {@link SyncLauncher}, whose lock per sync makes two scans at once (or a scan and
 * the REST API) skip what the other is running.
 */
@Service
public class ExportScanner {

    private static final Logger log = LoggerFactory.getLogger(ExportScanner.class);

    private final ScanSettings settings;
    private final ExportDiscovery discovery;
    private final JobRepository jobRepository;
    private final SyncLauncher launcher;

    public ExportScanner(ScanSettings settings, ExportDiscovery discovery, JobRepository jobRepository, SyncLauncher launcher) {
        this.settings = settings;
        this.discovery = discovery;
        this.jobRepository = jobRepository;
        this.launcher = launcher;
    }

    /** What was found, in the order it was handled; exports synced by earlier runs are only counted. */
    public ScanReport scan() {
        List<Candidate> candidates = new ArrayList<>();
        for (SegmentMapping segment : settings.segments()) {
            for (SegmentExport export : discovery.exportsOf(segment.segmentId())) {
                candidates.add(new Candidate(export, segment.requestFor(export.folder())));
            }
        }
        candidates.sort(Comparator.comparing(Candidate::export, SegmentExport.OLDEST_FIRST));
        log.info("Scan found {} exports of {} segments", candidates.size(), settings.segments().size());

        List<ScanResult> results = new ArrayList<>();
        int syncedBefore = 0;
        for (Candidate candidate : candidates) {
            JobInstance instance = jobRepository.getJobInstance(SegmentSyncJobConfiguration.JOB_NAME,
                    candidate.request().toJobParameters());
            List<JobExecution> executions = instance == null ? List.of() : jobRepository.getJobExecutions(instance);
            JobExecution last = executions.stream().max(Comparator.comparing(JobExecution::getId)).orElse(null);
            if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
                syncedBefore++;
            } else {
                results.add(handle(candidate, executions, last));
            }
        }
        return new ScanReport(results, syncedBefore);
    }

    private ScanResult handle(Candidate candidate, List<JobExecution> executions, JobExecution last) {
        SegmentExport export = candidate.export();
        if (last == null) {
            ExportDiscovery.Completeness completeness = discovery.completenessOf(export);
            if (!completeness.complete()) {
                return new ScanResult(export, ScanResult.Action.NOT_COMPLETE, null, completeness.newestObject() == null
                        ? "not complete: the folder holds no object yet"
                        : "not complete yet: newest object written at " + completeness.newestObject().truncatedTo(ChronoUnit.SECONDS)
                                + ", settles after " + settings.settleTime().toMinutes() + " min");
            }
        } else if (last.getStatus() == BatchStatus.ABANDONED) {
            return new ScanResult(export, ScanResult.Action.ABANDONED, null,
                    "abandoned by an operator (execution " + last.getId() + "); not run again");
        } else if (!last.getStatus().isRunning() && executions.size() >= settings.maxAttempts()) {
            return new ScanResult(export, ScanResult.Action.GAVE_UP, null, "ended " + last.getStatus() + " after "
                    + executions.size() + " executions (scan.max-attempts=" + settings.maxAttempts() + ", last execution "
                    + last.getId() + "): left for a person to restart or abandon");
        }
        return run(export, candidate.request());
    }

    private ScanResult run(SegmentExport export, SyncRequest request) {
        SyncOutcome outcome = launcher.run(request);
        return switch (outcome.kind()) {
            case RAN -> new ScanResult(export, ScanResult.Action.RAN, outcome.summary(), null);
            case ALREADY_COMPLETED -> new ScanResult(export, ScanResult.Action.COMPLETED_ELSEWHERE, null,
                    "completed by another process (execution " + outcome.summary().jobExecutionId() + ")");
            case ALREADY_RUNNING -> new ScanResult(export, ScanResult.Action.RUNNING_ELSEWHERE, null,
                    "running in another process; skipped");
            case REFUSED -> new ScanResult(export, ScanResult.Action.NOT_RUNNABLE, null, outcome.message());
        };
    }

    private record Candidate(SegmentExport export, SyncRequest request) {
    }
}
