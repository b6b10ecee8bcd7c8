package com.loyaltybridge.tagsync.console;

import java.io.Writer;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.loyaltybridge.tagsync.api.ApiPage;
import com.loyaltybridge.tagsync.api.ApiProblem;
import com.loyaltybridge.tagsync.api.CsvDownload;
import com.loyaltybridge.tagsync.api.ExecutionDetails;
import com.loyaltybridge.tagsync.api.ExecutionQueries;
import com.loyaltybridge.tagsync.api.ExecutionView;
import com.loyaltybridge.tagsync.api.Executions;
import com.loyaltybridge.tagsync.api.SyncLaunches;
import com.loyaltybridge.tagsync.api.WalletExecutionView;
import com.loyaltybridge.tagsync.scan.ScanSettings;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.sync.PlanSummary;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The executions pages, of tag syncs and of runs of offer wallets alike: the list, one
 * execution (each job's page of its own), its live progress (a fragment a page asks for
 * again while the run goes on), its CSV downloads, and the operator's restart, stop and
 * abandon, each behind a page that says what will happen to that job's run. Every number
 * comes from the API's own services ({@link ExecutionQueries}, {@link Executions}); every
 * action goes through the same checks as the API's, and the security chain lets only
 * operators reach them.
 */
@Controller
@ConditionalOnWebApplication
class ExecutionPages {

    private static final List<String> STATUSES = Arrays.stream(BatchStatus.values()).map(BatchStatus::name).toList();

    private final Executions executions;

    private final ExecutionQueries queries;

    private final SyncLaunches launches;

    private final ScanSettings scanSettings;

    private final ConsoleSettings settings;

    ExecutionPages(Executions executions, ExecutionQueries queries, SyncLaunches launches, ScanSettings scanSettings,
            ConsoleSettings settings) {
        this.executions = executions;
        this.queries = queries;
        this.launches = launches;
        this.scanSettings = scanSettings;
        this.settings = settings;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/executions";
    }

    @GetMapping("/executions")
    String list(@RequestParam(required = false) String status, @RequestParam(required = false) String segment,
            @RequestParam(required = false) String kind, @RequestParam(defaultValue = "0") int page, Model model) {
        String statusFilter = status == null || status.isBlank() ? null : status;
        String segmentFilter = segment == null || segment.isBlank() ? null : segment.strip();
        String kindFilter = kind == null || kind.isBlank() ? null : kind;
        if (statusFilter != null && !STATUSES.contains(statusFilter)) {
            throw ApiProblem.invalid("status", "no status " + statusFilter.toLowerCase(Locale.ROOT));
        }
        if (segmentFilter != null) {
            SegmentMapping.problemWithSegmentId(segmentFilter).ifPresent(problem -> {
                throw ApiProblem.invalid("segment", problem);
            });
        }
        SegmentMapping.Kind jobKind;
        try {
            jobKind = kindFilter == null ? null : SegmentMapping.Kind.parse(kindFilter);
        }
        catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("kind", e.getMessage());
        }
        if (page < 0) {
            throw ApiProblem.invalid("page", "pages are numbered from 0");
        }
        ApiPage<ExecutionQueries.ExecutionRow> rows = queries.withCounts(queries.executions(
                new ExecutionQueries.ExecutionFilter(segmentFilter, statusFilter, null, null, jobKind), page,
                settings.pageSize()));
        model.addAttribute("rows", rows.items()
            .stream()
            .map(row -> ExecutionRowView.of(row,
                    BatchStatus.valueOf(row.status()).isRunning() ? progress(executions.details(row.id())) : null))
            .toList());
        model.addAttribute("pager", Pager.of(page, settings.pageSize(), rows.total()));
        model.addAttribute("status", statusFilter);
        model.addAttribute("segment", segmentFilter);
        model.addAttribute("kind", jobKind == null ? null : jobKind.text());
        model.addAttribute("statuses", STATUSES);
        model.addAttribute("kinds", KindChoice.ALL);
        // A segment may be mapped twice, for tags and for offer wallets.
        model.addAttribute("segments",
                scanSettings.segments().stream().map(SegmentMapping::segmentId).distinct().toList());
        return "console/executions";
    }

    @GetMapping("/executions/{id}")
    String show(@PathVariable long id, @RequestParam(defaultValue = "0") int rejected,
            @RequestParam(defaultValue = "0") int skipped, Model model) {
        if (rejected < 0 || skipped < 0) {
            throw ApiProblem.invalid("page", "pages are numbered from 0");
        }
        JobExecution execution = executions.get(id);
        ExecutionDetails details = executions.details(execution);
        long instance = details.jobInstanceId();
        int size = settings.pageSize();
        model.addAttribute("execution", details);
        model.addAttribute("progress", progress(details));
        List<ExecutionView.StepView> steps;
        String exitDescription;
        if (details instanceof WalletExecutionView wallets) {
            steps = wallets.steps();
            exitDescription = wallets.exitDescription();
            times(model, wallets.startTime(), wallets.endTime());
            model.addAttribute("wallets", WalletLook.of(wallets));
            model.addAttribute("chart", ThroughputChart.of(queries.throughput(execution), "members"));
        }
        else {
            ExecutionView view = (ExecutionView) details;
            steps = view.steps();
            exitDescription = view.exitDescription();
            times(model, view.startTime(), view.endTime());
            model.addAttribute("chart", ThroughputChart.of(queries.throughput(execution)));
            model.addAttribute("bulkFile", queries.bulkFile(instance));
            model.addAttribute("plan",
                    view.plan() == null ? null : PlanLook.of(view.plan(), PlanSummary.FIRST_IDENTIFIERS));
        }
        model.addAttribute("steps",
                steps.stream()
                    .map(step -> new StepRow(step.name(), StatusLook.of(step.status(), false),
                            Formats.time(step.startTime()), Formats.duration(step.startTime(), step.endTime()),
                            Formats.count(step.readCount()), Formats.count(step.writeCount()),
                            Formats.count(step.commitCount()), Formats.count(step.rollbackCount())))
                    .toList());
        boolean offers = details instanceof WalletExecutionView;
        model.addAttribute("advice", "FAILED".equals(details.status()) || "STOPPED".equals(details.status())
                ? (offers ? FailureAdvice.forOfferWallets(exitDescription) : FailureAdvice.forFailure(exitDescription))
                    .orElse(null)
                : null);
        ApiPage<?> rejectedUsers = queries.rejectedUsers(instance, rejected, size);
        model.addAttribute("rejectedUsers", rejectedUsers.items());
        model.addAttribute("rejectedPager", Pager.of(rejected, size, rejectedUsers.total()));
        ApiPage<?> skippedLines = queries.skippedLines(instance, skipped, size);
        model.addAttribute("skippedLines", skippedLines.items());
        model.addAttribute("skippedPager", Pager.of(skipped, size, skippedLines.total()));
        BatchStatus status = execution.getStatus();
        // A dry run is never restarted: another dry run plans again (the API refuses it
        // too).
        model.addAttribute("canRestart",
                !details.dryRun() && (status == BatchStatus.FAILED || status == BatchStatus.STOPPED));
        model.addAttribute("canStop", status.isRunning() && status != BatchStatus.STOPPING);
        model.addAttribute("canAbandon",
                !status.isRunning() && status != BatchStatus.COMPLETED && status != BatchStatus.ABANDONED);
        return offers ? "console/wallet-execution" : "console/execution";
    }

    private static void times(Model model, LocalDateTime start, LocalDateTime end) {
        model.addAttribute("started", Formats.time(start));
        model.addAttribute("ended", Formats.time(end));
        model.addAttribute("duration", Formats.duration(start, end));
    }

    /**
     * The progress of a run, asked for again by its page while it runs; once it ended,
     * the page reloads to show it all.
     */
    @GetMapping("/executions/{id}/progress")
    String progressFragment(@PathVariable long id, Model model, HttpServletResponse response) {
        ProgressView progress = progress(executions.details(id));
        if (!progress.running()) {
            response.setHeader("HX-Refresh", "true");
        }
        model.addAttribute("progress", progress);
        return "console/fragments :: progress";
    }

    @GetMapping("/executions/{id}/rejected-users.csv")
    ResponseEntity<StreamingResponseBody> rejectedUsersCsv(@PathVariable long id) {
        return csv(id, "rejected-users", queries::writeRejectedUsersCsv);
    }

    @GetMapping("/executions/{id}/skipped-lines.csv")
    ResponseEntity<StreamingResponseBody> skippedLinesCsv(@PathVariable long id) {
        return csv(id, "skipped-lines", queries::writeSkippedLinesCsv);
    }

    /** The page that says what an action will do, with the button that does it. */
    @GetMapping("/executions/{id}/{action:restart|stop|abandon}")
    String confirm(@PathVariable long id, @PathVariable String action, Model model) {
        ExecutionDetails details = executions.details(id);
        boolean offers = details instanceof WalletExecutionView;
        Action chosen = Action.valueOf(action.toUpperCase(Locale.ROOT));
        model.addAttribute("execution", details);
        model.addAttribute("offers", offers);
        model.addAttribute("segmentId",
                offers ? ((WalletExecutionView) details).segmentId() : ((ExecutionView) details).segmentId());
        model.addAttribute("export",
                offers ? ((WalletExecutionView) details).export() : ((ExecutionView) details).export());
        model.addAttribute("status", StatusLook.of(details.status(), false));
        model.addAttribute("action", chosen);
        model.addAttribute("consequence", chosen.consequence(offers));
        return "console/confirm";
    }

    @PostMapping("/executions/{id}/restart")
    String restart(@PathVariable long id, RedirectAttributes redirect) {
        String run = runOf(executions.get(id));
        SyncLaunches.Launch launch = launches.launch(executions.restartRequest(id));
        return switch (launch.kind()) {
            case STARTED -> done(redirect, launch.executionId(), "Execution " + launch.executionId()
                    + " started: it resumes execution " + id + " where it stopped.");
            case ALREADY_COMPLETED -> done(redirect, launch.executionId(),
                    "This " + run + " already completed in execution " + launch.executionId() + "; nothing was run.");
            case ALREADY_RUNNING, REFUSED -> refused(redirect, id, launch.message());
            case BUSY ->
                refused(redirect, id, "This process already runs api.max-concurrent-syncs syncs; try again later.");
        };
    }

    @PostMapping("/executions/{id}/stop")
    String stop(@PathVariable long id, RedirectAttributes redirect) {
        if (!executions.requestStop(id)) {
            return refused(redirect, id,
                    "Execution " + id + " is not running (" + executions.get(id).getStatus() + ").");
        }
        return done(redirect, id,
                "Execution " + id + " stops at its next chunk boundary; it can be restarted once STOPPED.");
    }

    @PostMapping("/executions/{id}/abandon")
    String abandon(@PathVariable long id, RedirectAttributes redirect) {
        String run = runOf(executions.get(id));
        executions.abandon(id);
        return done(redirect, id, "Execution " + id + " is abandoned: this " + run + " will not run again.");
    }

    /** What an execution's run is called in a sentence. */
    private static String runOf(JobExecution execution) {
        return Executions.isOffers(execution) ? "run of offer wallets" : "sync";
    }

    /**
     * What each action does, in the words of its confirmation page: to a tag sync, and to
     * a run of offer wallets.
     */
    enum Action {

        RESTART("Restart",
                "Restart resumes this sync where it stopped, as a new execution. Users already tagged are never"
                        + " sent again; users whose call may have landed are settled first by reading their tags at SessionM. Lines"
                        + " already read are not read again.",
                "Restart resumes this run of offer wallets where it stopped, as a new execution. Wallets already"
                        + " written are not written again; requests under way when it stopped may be written twice,"
                        + " which sets the same attributes again (Braze attributes are idempotent). Lines already read"
                        + " are not read again.",
                false),
        STOP("Stop",
                "The run stops at its next chunk boundary (a chunk is about 20 seconds of calls), wherever it runs, and"
                        + " ends STOPPED. Nothing is lost: restarting it later resumes where it stopped.",
                "The run stops at its next chunk boundary (a chunk of wallets read and written), wherever it runs,"
                        + " and ends STOPPED. Nothing is lost: restarting it later resumes where it stopped, and"
                        + " wallets already written are not written again.",
                true),
        ABANDON("Abandon",
                "This sync will never run again: no scan, restart or launch runs it. Users already tagged stay"
                        + " tagged; those not yet tagged will not be. Syncing this export again needs other tag settings. This cannot"
                        + " be undone.",
                "This run of offer wallets never runs again: no scan, restart or launch runs it. Wallets already"
                        + " written stay in Braze; those not yet written are not written, and leavers not yet cleared"
                        + " keep their attributes. Writing this export's wallets again needs other settings (identifier,"
                        + " culture or audience); a newer export of the segment runs as usual. This cannot be undone.",
                true);

        private final String label;

        private final String consequence;

        private final String walletConsequence;

        private final boolean caution;

        Action(String label, String consequence, String walletConsequence, boolean caution) {
            this.label = label;
            this.consequence = consequence;
            this.walletConsequence = walletConsequence;
            this.caution = caution;
        }

        public String label() {
            return label;
        }

        /**
         * What it does to a tag sync, or with {@code offers} to a run of offer wallets.
         */
        public String consequence(boolean offers) {
            return offers ? walletConsequence : consequence;
        }

        public boolean caution() {
            return caution;
        }

        public String path() {
            return name().toLowerCase(Locale.ROOT);
        }

    }

    /** One step of an execution, as its table shows it. */
    record StepRow(String name, StatusLook status, String started, String duration, String read, String written,
            String commits, String rollbacks) {
    }

    private ProgressView progress(ExecutionDetails details) {
        return ProgressView.of(details, Math.max(1, settings.progressRefresh().toSeconds()));
    }

    private static String done(RedirectAttributes redirect, long executionId, String message) {
        redirect.addFlashAttribute("notice", message);
        return "redirect:/executions/" + executionId;
    }

    private static String refused(RedirectAttributes redirect, long executionId, String message) {
        redirect.addFlashAttribute("problem", message);
        return "redirect:/executions/" + executionId;
    }

    private ResponseEntity<StreamingResponseBody> csv(long id, String name, BiConsumer<Long, Writer> writer) {
        long jobInstanceId = executions.get(id).getJobInstance().getInstanceId();
        return CsvDownload.of(id, name, csv -> writer.accept(jobInstanceId, csv));
    }

}
