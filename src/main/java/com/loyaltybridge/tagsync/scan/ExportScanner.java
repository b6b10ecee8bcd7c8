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

import com.loyaltybridge.tagsync.launch.SyncLauncher;
import com.loyaltybridge.tagsync.sync.ExportJobRequest;
import com.loyaltybridge.tagsync.sync.ExportJobSummaries;
import com.loyaltybridge.tagsync.sync.ExportJobSummary;

/**
 * One scan, what the CronJob runs: for each segment mapping, the newest complete export
 * is synced (a mapping of kind {@code offers}: its wallets written to Braze), if it was
 * not yet; a sync of it that failed before is run again (it resumes) until it has had
 * {@code scan.max-attempts} executions, then left for a person. Every older export that
 * was never synced is superseded: reported, never sent. Its audience follows the newest
 * export, which an older one would undo; and a new deployment over a year of daily
 * exports syncs one, not 365. An older export whose sync failed is not resumed either.
 * <p>
 * Every launch goes through {@link SyncLauncher}, whose lock per audience makes two scans
 * at once (or a scan and the REST API, or a {@code sync} by hand) skip what the other is
 * running.
 */
@Service
public class ExportScanner {

    private static final Logger log = LoggerFactory.getLogger(ExportScanner.class);

    private final ScanSettings settings;

    private final ExportDiscovery discovery;

    private final JobRepository jobRepository;

    private final SyncLauncher launcher;

    private final List<ExportJobSummaries> summaries;

    /**
     * @param summaries those of every job a mapping can run
     */
    public ExportScanner(ScanSettings settings, ExportDiscovery discovery, JobRepository jobRepository,
            SyncLauncher launcher, List<ExportJobSummaries> summaries) {
        this.settings = settings;
        this.discovery = discovery;
        this.jobRepository = jobRepository;
        this.launcher = launcher;
        this.summaries = summaries;
    }

    /**
     * What was found, segment by segment and oldest export first; exports synced by
     * earlier runs are only counted.
     */
    public ScanReport scan() {
        return scan(false);
    }

    /**
     * Like {@link #scan()}; with {@code dryRun}, the newest complete export of each
     * segment that the scan would sync is planned instead (see
     * {@link SyncLauncher#dryRun}): nothing is sent, nothing of an audience changes.
     */
    public ScanReport scan(boolean dryRun) {
        List<ScanResult> results = new ArrayList<>();
        int syncedBefore = 0;
        for (SegmentMapping segment : settings.segments()) {
            List<SurveyedExport> exports = survey(segment);
            log.info("Scan found {} exports of segment {} ({})", exports.size(), segment.segmentId(), segment.kind());
            for (SurveyedExport export : exports) {
                switch (export.standing()) {
                    case SYNCED -> syncedBefore++;
                    case NEXT -> results.add(handle(export, dryRun));
                    case SUPERSEDED -> results
                        .add(new ScanResult(export.export(), ScanResult.Action.SUPERSEDED, null, export.detail()));
                    case NOT_COMPLETE -> results
                        .add(new ScanResult(export.export(), ScanResult.Action.NOT_COMPLETE, null, export.detail()));
                }
            }
        }
        return new ScanReport(results, syncedBefore);
    }

    /**
     * Where an export of a mapped segment stands for a scan.
     * <ul>
     * <li>{@code SYNCED}: its sync with the mapping's settings completed;</li>
     * <li>{@code NEXT}: the newest complete export, not synced yet: the next scan syncs
     * it (or resumes its sync), within {@code scan.max-attempts};</li>
     * <li>{@code SUPERSEDED}: older than the newest complete one and not synced: never
     * sent, nor resumed;</li>
     * <li>{@code NOT_COMPLETE}: newer than the newest complete one, still being
     * written.</li>
     * </ul>
     */
    public enum Standing {

        SYNCED, NEXT, SUPERSEDED, NOT_COMPLETE

    }

    /**
     * One export of a mapped segment as a scan judges it, before it runs anything.
     *
     * @param request the sync the mapping makes of it
     * @param executions the executions of that sync so far, oldest first
     * @param detail why, in words, for {@code SUPERSEDED} and {@code NOT_COMPLETE}; null
     * otherwise
     */
    public record SurveyedExport(SegmentExport export, ExportJobRequest request, Standing standing,
            List<JobExecution> executions, String detail) {

        /** The latest execution of its sync; null when it never ran. */
        public JobExecution last() {
            return executions.isEmpty() ? null : executions.get(executions.size() - 1);
        }
    }

    /**
     * The exports of one mapped segment, oldest first, each with where it stands (see
     * {@link Standing}): what a scan decides, and what the console shows of a segment's
     * exports. Reads the store and the job repository; runs nothing.
     */
    public List<SurveyedExport> survey(SegmentMapping segment) {
        List<Candidate> candidates = discovery.exportsOf(segment.segmentId())
            .stream()
            .map(export -> candidate(export, segment.jobRequestFor(export.folder())))
            .toList();
        // From the newest back to the newest complete one: those after it are not
        // complete yet.
        List<SurveyedExport> notComplete = new ArrayList<>();
        int newest = candidates.size() - 1;
        for (; newest >= 0; newest--) {
            Candidate candidate = candidates.get(newest);
            // An export a sync has run for was complete then.
            if (candidate.last() != null) {
                break;
            }
            ExportDiscovery.Completeness completeness = discovery.completenessOf(candidate.export());
            if (completeness.complete()) {
                break;
            }
            notComplete.add(0, candidate.surveyed(Standing.NOT_COMPLETE, notComplete(completeness)));
        }
        List<SurveyedExport> surveyed = new ArrayList<>();
        for (int i = 0; i <= newest; i++) {
            Candidate candidate = candidates.get(i);
            if (candidate.completed()) {
                surveyed.add(candidate.surveyed(Standing.SYNCED, null));
            }
            else if (i < newest) {
                surveyed.add(candidate.surveyed(Standing.SUPERSEDED, superseded(candidate, candidates.get(newest))));
            }
            else {
                surveyed.add(candidate.surveyed(Standing.NEXT, null));
            }
        }
        surveyed.addAll(notComplete);
        return surveyed;
    }

    private Candidate candidate(SegmentExport export, ExportJobRequest request) {
        JobInstance instance = jobRepository.getJobInstance(request.jobName(), request.toJobParameters());
        List<JobExecution> executions = instance == null ? List.of()
                : jobRepository.getJobExecutions(instance)
                    .stream()
                    .sorted(Comparator.comparing(JobExecution::getId))
                    .toList();
        JobExecution last = executions.isEmpty() ? null : executions.get(executions.size() - 1);
        return new Candidate(export, request, executions, last);
    }

    private String notComplete(ExportDiscovery.Completeness completeness) {
        return completeness.newestObject() == null ? "not complete: the folder holds no object yet"
                : "not complete yet: newest object written at "
                        + completeness.newestObject().truncatedTo(ChronoUnit.SECONDS) + ", settles after "
                        + settings.settleTime().toMinutes() + " min";
    }

    /**
     * An export older than the newest complete one, and not synced: never sent, nor
     * resumed.
     */
    private static String superseded(Candidate older, Candidate newest) {
        JobExecution last = older.last();
        String head = "superseded by the newer export " + newest.export().date() + "/" + newest.export().name() + ": ";
        String detail;
        if (last == null) {
            detail = "never synced, never sent";
        }
        else if (last.getStatus() == BatchStatus.ABANDONED) {
            detail = "abandoned by an operator (execution " + last.getId() + ")";
        }
        else if (last.getStatus().isRunning()) {
            detail = "execution " + last.getId() + " is marked " + last.getStatus()
                    + " (running in another process, or left by one that is gone); not resumed";
        }
        else {
            detail = "its sync ended " + last.getStatus() + " (execution " + last.getId() + ") and is not resumed";
        }
        return head + detail;
    }

    /**
     * The newest complete export, not yet synced: the rules of attempts, then its sync or
     * its dry run.
     */
    private ScanResult handle(SurveyedExport candidate, boolean dryRun) {
        SegmentExport export = candidate.export();
        JobExecution last = candidate.last();
        if (last != null && last.getStatus() == BatchStatus.ABANDONED) {
            return new ScanResult(export, ScanResult.Action.ABANDONED, null,
                    "abandoned by an operator (execution " + last.getId() + "); not run again");
        }
        if (last != null && !last.getStatus().isRunning() && candidate.executions().size() >= settings.maxAttempts()) {
            return new ScanResult(export, ScanResult.Action.GAVE_UP, null,
                    "ended " + last.getStatus() + " after " + candidate.executions().size()
                            + " executions (scan.max-attempts=" + settings.maxAttempts() + ", last execution "
                            + last.getId() + "): left for a person to restart or abandon");
        }
        if (dryRun) {
            return new ScanResult(export, ScanResult.Action.PLANNED,
                    summaryOf(launcher.dryRun(candidate.request(), execution -> {
                    }).execution()), null);
        }
        return run(export, candidate.request());
    }

    private ScanResult run(SegmentExport export, ExportJobRequest request) {
        SyncLauncher.Launched launched = launcher.launch(request, execution -> {
        });
        return switch (launched.kind()) {
            case RAN -> new ScanResult(export, ScanResult.Action.RAN, summaryOf(launched.execution()), null);
            case ALREADY_COMPLETED -> new ScanResult(export, ScanResult.Action.COMPLETED_ELSEWHERE, null,
                    "completed by another process (execution " + launched.execution().getId() + ")");
            case ALREADY_RUNNING -> new ScanResult(export, ScanResult.Action.RUNNING_ELSEWHERE, null,
                    request.audienceName() == null ? "running in another process; skipped"
                            : "running elsewhere: another process runs a sync of audience " + request.audienceName()
                                    + " (two exports of one audience never run at once); skipped");
            case REFUSED -> new ScanResult(export, ScanResult.Action.NOT_RUNNABLE, null, launched.message());
            case SUPERSEDED -> new ScanResult(export, ScanResult.Action.SUPERSEDED, null, launched.message());
        };
    }

    private ExportJobSummary summaryOf(JobExecution execution) {
        return summaries.stream()
            .filter(job -> job.summarises(execution))
            .findFirst()
            .orElseThrow(
                    () -> new IllegalStateException("no summary of job " + execution.getJobInstance().getJobName()))
            .of(execution);
    }

    /**
     * An export of a segment with the sync the mapping makes of it, and that sync's
     * executions so far.
     *
     * @param last the latest of them; null when there is none
     */
    private record Candidate(SegmentExport export, ExportJobRequest request, List<JobExecution> executions,
            JobExecution last) {

        boolean completed() {
            return last != null && last.getStatus() == BatchStatus.COMPLETED;
        }

        SurveyedExport surveyed(Standing standing, String detail) {
            return new SurveyedExport(export, request, standing, executions, detail);
        }
    }

}
