package com.loyaltybridge.tagsync.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.loyaltybridge.tagsync.sync.ExportJobRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Launching syncs and runs of the offers job: {@code POST /api/syncs} (operator).
 */
@RestController
@ConditionalOnWebApplication
@RequestMapping("/api/syncs")
@Tag(name = "syncs")
class SyncController {

    private final LaunchTargets targets;

    private final LaunchResponses responses;

    SyncController(LaunchTargets targets, LaunchResponses responses) {
        this.targets = targets;
        this.responses = responses;
    }

    @PostMapping
    @Operation(
            summary = "Launch the sync of an export, or of a configured segment's newest complete export, or its dry run",
            description = "202 with Location once the execution exists; 200 with the earlier execution if it already "
                    + "completed; 409 if it (or another export of its audience) is running elsewhere, or if the audience "
                    + "already follows a newer export; 400 naming the field at fault; 404 if the segment has no complete "
                    + "export. A dry run (\"dryRun\": true) always starts an execution of its own (202 with Location), "
                    + "whose view holds the plan. With \"kind\": \"offers\" it runs the offers job instead: the "
                    + "members' SessionM offer wallets written to their Braze profiles where they changed")
    ResponseEntity<Object> launch(@RequestBody LaunchRequest launch) {
        ExportJobRequest request = targets.resolve(launch);
        return LaunchTargets.isDryRun(launch) ? responses.dryRun(request) : responses.launch(request);
    }

}
