package com.loyaltybridge.tagsync.console;

import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.loyaltybridge.tagsync.api.ApiProblem;
import com.loyaltybridge.tagsync.api.LaunchRequest;
import com.loyaltybridge.tagsync.api.LaunchTargets;
import com.loyaltybridge.tagsync.api.SyncLaunches;
import com.loyaltybridge.tagsync.scan.ScanSettings;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.sync.SyncRequest;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Launching a sync (operators only): choose a mapped segment and one of its exports, or enter an export folder under
 * the export roots; review what will run; launch. The export is checked exactly as the API's launch checks it
 * ({@link LaunchTargets}), and the sync runs with its segment's mapping.
 * <p>
 * The review step is where a plan of the sync (users entering, calls, time at the rate limit) will be shown before
 * anything is sent: {@link LaunchReview} is what it shows.
 */
@Controller
@ConditionalOnWebApplication
class LaunchPages {

    private final ScanSettings scanSettings;
    private final SegmentMappingsOverview overview;
    private final LaunchTargets targets;
    private final SyncLaunches launches;

    LaunchPages(ScanSettings scanSettings, SegmentMappingsOverview overview, LaunchTargets targets, SyncLaunches launches) {
        this.scanSettings = scanSettings;
        this.overview = overview;
        this.targets = targets;
        this.launches = launches;
    }

    /** What the review page shows of the sync about to run. */
    record LaunchReview(String export, String segmentId, String tags, String ttl, String mode, String identifier, String output) {

        static LaunchReview of(SyncRequest request) {
            return new LaunchReview(request.export().uri(), request.segmentId(), String.join(", ", request.tags()),
                    request.ttlSeconds() == null ? "none (counter tags)" : Formats.count(request.ttlSeconds()) + " s",
                    request.mode().text(), request.identifierSource().text(),
                    request.output() == null ? "bulk-file.output" : request.output().uri());
        }
    }

    @GetMapping("/launch")
    String choose(@RequestParam(required = false) String segment, Model model) {
        model.addAttribute("segments", scanSettings.segments().stream().map(SegmentMapping::segmentId).toList());
        model.addAttribute("exportRoots", String.join(", ", scanSettings.exportRoots()));
        Optional<SegmentsView.Segment> chosen = segment == null || segment.isBlank() ? Optional.empty() : overview.segment(segment);
        if (segment != null && !segment.isBlank() && chosen.isEmpty()) {
            throw ApiProblem.notFound("no segment mapping for that segment id");
        }
        model.addAttribute("chosen", chosen.orElse(null));
        return "console/launch";
    }

    @PostMapping("/launch/review")
    String review(@RequestParam(required = false) String export, @RequestParam(required = false) String location, Model model,
            HttpServletResponse response) {
        String folder = location != null && !location.isBlank() ? location.strip() : export;
        try {
            model.addAttribute("review", LaunchReview.of(targets.resolve(launchOf(folder))));
        } catch (ApiProblem problem) {
            return refused(problem, model, response);
        }
        return "console/launch-review";
    }

    @PostMapping("/launch")
    String launch(@RequestParam String export, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        SyncLaunches.Launch launch;
        try {
            launch = launches.launch(targets.resolve(launchOf(export)));
        } catch (ApiProblem problem) {
            return refused(problem, model, response);
        }
        String message = switch (launch.kind()) {
            case STARTED -> "Execution " + launch.executionId() + " started.";
            case ALREADY_COMPLETED -> "This export already completed with these settings in execution " + launch.executionId()
                    + "; nothing was run.";
            case ALREADY_RUNNING, REFUSED -> launch.outcome().message();
            case BUSY -> "This process already runs api.max-concurrent-syncs syncs; try again later.";
        };
        if (launch.executionId() == null) {
            response.setStatus(launch.kind() == SyncLaunches.Launch.Kind.BUSY ? 503 : 409);
            return refusedWith(message, model);
        }
        redirect.addFlashAttribute("notice", message);
        return "redirect:/executions/" + launch.executionId();
    }

    private static LaunchRequest launchOf(String export) {
        if (export == null || export.isBlank()) {
            throw ApiProblem.invalid("export", "choose an export, or enter an export folder");
        }
        return new LaunchRequest(export, null, null, null, null, null, null, null, null);
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
