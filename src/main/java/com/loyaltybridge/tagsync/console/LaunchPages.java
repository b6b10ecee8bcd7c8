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
import com.loyaltybridge.tagsync.api.ExecutionDetails;
import com.loyaltybridge.tagsync.api.ExecutionView;
import com.loyaltybridge.tagsync.api.Executions;
import com.loyaltybridge.tagsync.api.LaunchRequest;
import com.loyaltybridge.tagsync.api.LaunchTargets;
import com.loyaltybridge.tagsync.api.SyncLaunches;
import com.loyaltybridge.tagsync.api.WalletExecutionView;
import com.loyaltybridge.tagsync.scan.ScanSettings;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.sync.PlanSummary;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Launching a sync or a run of offer wallets (operators only): choose a mapped segment
 * and its mapping's kind and one of its exports, or enter an export folder under the
 * export roots; its dry run plans it (the same dry run as the API's
 * {@code "dryRun": true}: it reads and stages the export and plans it against the
 * audience, sending nothing; the offers job's also reads and compares every wallet,
 * writing nothing); the plan page shows whom the real run would send (which wallets it
 * would write), and launches it. The export is checked exactly as the API's launch checks
 * it ({@link LaunchTargets}), and the run has its segment's mapping of that kind.
 */
@Controller
@ConditionalOnWebApplication
class LaunchPages {

    /** What launching in full does, in the words the operator confirms. */
    static final String FULL_CONSEQUENCE = "Full sends the tags to every member of the export, whatever the audience"
            + " already holds: counter tags go up by one for everyone, expiring tags start again for everyone.";

    /** What launching the real run from its plan does. */
    static final String LAUNCH_CONSEQUENCE = "The real run reads the export again and sends what it then needs: users"
            + " already tagged are never sent again. If this export already completed with these settings, nothing runs.";

    static final String WALLETS_LAUNCH_CONSEQUENCE = "The real run reads the export and every wallet again and writes"
            + " those that then differ from the one last written. If this export already completed with these settings,"
            + " nothing runs.";

    /** What launching offer wallets in full does, in the words the operator confirms. */
    static final String WALLETS_FULL_CONSEQUENCE = "Full writes every member's wallet to Braze, changed or not:"
            + " every member's attributes are sent again, and each costs Braze data points.";

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
    String choose(@RequestParam(required = false) String segment, @RequestParam(required = false) String kind,
            Model model) {
        model.addAttribute("segments",
                scanSettings.segments().stream().map(SegmentMapping::segmentId).distinct().toList());
        model.addAttribute("kinds", KindChoice.ALL);
        model.addAttribute("exportRoots", String.join(", ", scanSettings.exportRoots()));
        boolean chosenSegment = segment != null && !segment.isBlank();
        // Without a kind, the segment's mapping: tags first when it has both.
        SegmentMapping.Kind mappingKind = kind != null && !kind.isBlank() ? kindOf(kind)
                : chosenSegment ? scanSettings.mappingsOf(segment)
                    .stream()
                    .findFirst()
                    .map(SegmentMapping::mappingKind)
                    .orElse(SegmentMapping.Kind.TAGS) : null;
        Optional<AudiencesView.Audience> chosen = chosenSegment ? overview.mapped(segment, mappingKind)
                : Optional.empty();
        if (chosenSegment && chosen.isEmpty()) {
            throw ApiProblem.notFound("no segment mapping of kind " + mappingKind.text() + " for that segment id");
        }
        model.addAttribute("chosen", chosen.orElse(null));
        model.addAttribute("kind", mappingKind == null ? null : mappingKind.text());
        model.addAttribute("offers", mappingKind == SegmentMapping.Kind.OFFERS);
        model.addAttribute("fullConsequence", FULL_CONSEQUENCE);
        return "console/launch";
    }

    /** Starts the export's dry run, and shows its plan page. */
    @PostMapping("/launch/plan")
    String plan(@RequestParam(required = false) String export, @RequestParam(required = false) String location,
            @RequestParam(defaultValue = "false") boolean full, @RequestParam(required = false) String kind,
            Model model, HttpServletResponse response) {
        String folder = location != null && !location.isBlank() ? location.strip() : export;
        SyncLaunches.Launch dryRun;
        try {
            dryRun = launches.dryRun(targets.resolve(launchOf(folder, full, true, kind)));
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
     * sends (or which wallets it writes), and the button.
     */
    @GetMapping("/launch/plan/{id}")
    String showPlan(@PathVariable long id, Model model) {
        var execution = executions.get(id);
        if (!Executions.isDryRun(execution)) {
            return "redirect:/executions/" + id;
        }
        ExecutionDetails details = executions.details(execution);
        model.addAttribute("execution", details);
        model.addAttribute("progress", ProgressView.of(details, Math.max(1, settings.progressRefresh().toSeconds())));
        model.addAttribute("completed", "COMPLETED".equals(details.status()));
        if (details instanceof WalletExecutionView wallets) {
            model.addAttribute("wallets", WalletLook.of(wallets));
            model.addAttribute("fullConsequence", WALLETS_FULL_CONSEQUENCE);
            model.addAttribute("launchConsequence", WALLETS_LAUNCH_CONSEQUENCE);
            model.addAttribute("fullHint", "Or write every wallet, changed or not:");
            return "console/launch-wallet-plan";
        }
        ExecutionView view = (ExecutionView) details;
        model.addAttribute("plan",
                view.plan() == null ? null : PlanLook.of(view.plan(), PlanSummary.FIRST_IDENTIFIERS));
        model.addAttribute("fullConsequence", FULL_CONSEQUENCE);
        model.addAttribute("launchConsequence", LAUNCH_CONSEQUENCE);
        model.addAttribute("fullHint",
                "Or send every member whatever the audience holds (counter tags go up for everyone):");
        return "console/launch-plan";
    }

    @PostMapping("/launch")
    String launch(@RequestParam String export, @RequestParam(defaultValue = "false") boolean full,
            @RequestParam(defaultValue = "false") boolean confirmFull, @RequestParam(required = false) String kind,
            Model model, HttpServletResponse response, RedirectAttributes redirect) {
        SyncLaunches.Launch launch;
        boolean offers;
        try {
            offers = kind != null && !kind.isBlank() && kindOf(kind) == SegmentMapping.Kind.OFFERS;
            if (full && !confirmFull) {
                throw ApiProblem.invalid("full",
                        offers ? "confirm that every wallet is written again, or plan it without full"
                                : "confirm that counter tags go up for everyone, or plan it without full");
            }
            launch = launches.launch(targets.resolve(launchOf(export, full, false, kind)));
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
     * The API's launch of {@code export}: the segment mapping's settings of {@code kind}
     * (tags when absent); full only when asked for (else the mapping's).
     */
    private static LaunchRequest launchOf(String export, boolean full, boolean dryRun, String kind) {
        if (export == null || export.isBlank()) {
            throw ApiProblem.invalid("export", "choose an export, or enter an export folder");
        }
        return new LaunchRequest(export, null, null, null, null, null, null, full ? Boolean.TRUE : null, dryRun,
                kind == null || kind.isBlank() ? null : kind, null);
    }

    private static SegmentMapping.Kind kindOf(String kind) {
        try {
            return SegmentMapping.Kind.parse(kind);
        }
        catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("kind", e.getMessage());
        }
    }

    private String refused(ApiProblem problem, Model model, HttpServletResponse response) {
        response.setStatus(problem.status().value());
        return refusedWith(problem.getMessage(), model);
    }

    private String refusedWith(String message, Model model) {
        model.addAttribute("problem", message);
        return choose(null, null, model);
    }

}
