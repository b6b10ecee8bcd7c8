package com.loyaltybridge.tagsync.console;

import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.loyaltybridge.tagsync.api.ApiProblem;
import com.loyaltybridge.tagsync.api.ExecutionView;
import com.loyaltybridge.tagsync.api.Executions;
import com.loyaltybridge.tagsync.api.LaunchRequest;
import com.loyaltybridge.tagsync.api.LaunchTargets;
import com.loyaltybridge.tagsync.api.SyncLaunches;
import com.loyaltybridge.tagsync.scan.ScanSettings;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.sync.PlanSummary;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Launching a sync (operators only): choose a mapped segment and one of its exports, or
 * enter an export folder under the export roots; its dry run plans it (the same dry run
 * as the API's {@code "dryRun": true}: it reads and stages the export and plans it
 * against the audience, sending nothing); the plan page shows whom the real run would
 * send, and launches it. The export is checked exactly as the API's launch checks it
 * ({@link LaunchTargets}), and the sync runs with its segment's mapping.
 */
@Controller
@ConditionalOnWebApplication
class LaunchPages {

    /** What launching in full does, in the words the operator confirms. */
    static final String FULL_CONSEQUENCE = "Full sends the tags to every member of the export, whatever the audience"
            + " already holds: counter tags go up by one for everyone, expiring tags start again for everyone.";

    private final ScanSettings scanSettings;

    private final AudiencesOverview overview;

    private final LaunchTargets targets;

    private final SyncLaunches launches;

    private final Executions executions;

    private final ConsoleSettings settings;

    LaunchPages(ScanSettings scanSettings, AudiencesOverview overview, LaunchTargets targets, SyncLaunches launches,
            Executions executions, ConsoleSettings settings) {
        this.scanSettings = scanSettings;
        this.overview = overview;
        this.targets = targets;
        this.launches = launches;
        this.executions = executions;
        this.settings = settings;
    }

    @GetMapping("/launch")
    String choose(@RequestParam(required = false) String segment, Model model) {
        model.addAttribute("segments",
                scanSettings.segments()
                    .stream()
                    .filter(mapping -> mapping.mappingKind() == SegmentMapping.Kind.TAGS)
                    .map(SegmentMapping::segmentId)
                    .toList());
        model.addAttribute("exportRoots", String.join(", ", scanSettings.exportRoots()));
        Optional<AudiencesView.Audience> chosen = segment == null || segment.isBlank() ? Optional.empty()
                : overview.mapped(segment);
        if (segment != null && !segment.isBlank() && chosen.isEmpty()) {
            throw ApiProblem.notFound("no segment mapping for that segment id");
        }
        model.addAttribute("chosen", chosen.orElse(null));
        model.addAttribute("fullConsequence", FULL_CONSEQUENCE);
        return "console/launch";
    }

    /** Starts the export's dry run, and shows its plan page. */
    @PostMapping("/launch/plan")
    String plan(@RequestParam(required = false) String export, @RequestParam(required = false) String location,
            @RequestParam(defaultValue = "false") boolean full, Model model, HttpServletResponse response) {
        String folder = location != null && !location.isBlank() ? location.strip() : export;
        SyncLaunches.Launch dryRun;
        try {
            dryRun = launches.dryRun(targets.resolve(launchOf(folder, full, true)));
        }
        catch (ApiProblem problem) {
            return refused(problem, model, response);
        }
        if (dryRun.executionId() == null) {
            response.setStatus(503);
            return refusedWith("This process already runs api.max-concurrent-syncs syncs; try again later.", model);
        }
        return "redirect:/launch/plan/" + dryRun.executionId();
    }

    /**
     * A dry run's plan: while it runs, its progress; once it completed, whom the real run
     * sends, and the button.
     */
    @GetMapping("/launch/plan/{id}")
    String showPlan(@PathVariable long id, Model model) {
        var execution = executions.get(id);
        if (!Executions.isDryRun(execution)) {
            return "redirect:/executions/" + id;
        }
        ExecutionView view = executions.view(execution);
        model.addAttribute("execution", view);
        model.addAttribute("progress", ProgressView.of(view, Math.max(1, settings.progressRefresh().toSeconds())));
        model.addAttribute("plan",
                view.plan() == null ? null : PlanLook.of(view.plan(), PlanSummary.FIRST_IDENTIFIERS));
        model.addAttribute("completed", "COMPLETED".equals(view.status()));
        model.addAttribute("fullConsequence", FULL_CONSEQUENCE);
        return "console/launch-plan";
    }

    @PostMapping("/launch")
    String launch(@RequestParam String export, @RequestParam(defaultValue = "false") boolean full,
            @RequestParam(defaultValue = "false") boolean confirmFull, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        SyncLaunches.Launch launch;
        try {
            if (full && !confirmFull) {
                throw ApiProblem.invalid("full",
                        "confirm that counter tags go up for everyone, or plan it without full");
            }
            launch = launches.launch(targets.resolve(launchOf(export, full, false)));
        }
        catch (ApiProblem problem) {
            return refused(problem, model, response);
        }
        String message = switch (launch.kind()) {
            case STARTED -> "Execution " + launch.executionId() + " started.";
            case ALREADY_COMPLETED -> "This export already completed with these settings in execution "
                    + launch.executionId() + "; nothing was run.";
            case ALREADY_RUNNING, REFUSED -> launch.message();
            case BUSY -> "This process already runs api.max-concurrent-syncs syncs; try again later.";
        };
        if (launch.executionId() == null) {
            response.setStatus(launch.kind() == SyncLaunches.Launch.Kind.BUSY ? 503 : 409);
            return refusedWith(message, model);
        }
        redirect.addFlashAttribute("notice", message);
        return "redirect:/executions/" + launch.executionId();
    }

    /**
     * The API's launch of {@code export}: the segment mapping's settings; full only when
     * asked for (else the mapping's).
     */
    private static LaunchRequest launchOf(String export, boolean full, boolean dryRun) {
        if (export == null || export.isBlank()) {
            throw ApiProblem.invalid("export", "choose an export, or enter an export folder");
        }
        return new LaunchRequest(export, null, null, null, null, null, null, full ? Boolean.TRUE : null, dryRun);
    }

    private String refused(ApiProblem problem, Model model, HttpServletResponse response) {
        response.setStatus(problem.status().value());
        return refusedWith(problem.getMessage(), model);
    }

    private String refusedWith(String message, Model model) {
        model.addAttribute("problem", message);
        return choose(null, model);
    }

}
