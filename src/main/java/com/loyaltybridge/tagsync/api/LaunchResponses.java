package com.loyaltybridge.tagsync.api;

import java.net.URI;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.sync.ExportJobRequest;
import com.loyaltybridge.tagsync.wallet.OfferWalletRequest;

/**
 * Launches a sync (or its dry run) and answers as the API promises: 202 with
 * {@code Location: /api/executions/{id}} once it started; 200 with the earlier execution
 * when it already completed; 409 when it (or another export of its audience) is running
 * elsewhere, or it cannot run again; 503 when this process already runs
 * {@code api.max-concurrent-syncs} syncs.
 */
@Component
@ConditionalOnWebApplication
class LaunchResponses {

    /** The body of a 202: the execution that started, and whether it is a dry run. */
    record Started(long executionId, String status, String export, boolean dryRun, String kind) {
    }

    private final SyncLaunches launches;

    private final Executions executions;

    LaunchResponses(SyncLaunches launches, Executions executions) {
        this.launches = launches;
        this.executions = executions;
    }

    ResponseEntity<Object> launch(ExportJobRequest request) {
        return answer(request, launches.launch(request), false);
    }

    /**
     * A dry run starts an execution of its own whatever runs: 202, or 503 when this
     * process is at its limit.
     */
    ResponseEntity<Object> dryRun(ExportJobRequest request) {
        return answer(request, launches.dryRun(request), true);
    }

    private ResponseEntity<Object> answer(ExportJobRequest request, SyncLaunches.Launch launch, boolean dryRun) {
        return switch (launch.kind()) {
            case STARTED -> ResponseEntity.accepted()
                .location(URI.create("/api/executions/" + launch.executionId()))
                .body(new Started(launch.executionId(), "STARTED", request.export().uri(), dryRun,
                        request instanceof OfferWalletRequest ? SegmentMapping.Kind.OFFERS.text()
                                : SegmentMapping.Kind.TAGS.text()));
            case ALREADY_COMPLETED -> ResponseEntity.ok()
                .location(URI.create("/api/executions/" + launch.executionId()))
                .body(executions.details(launch.executionId()));
            case ALREADY_RUNNING, REFUSED -> ResponseEntity.status(HttpStatus.CONFLICT)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, launch.message()));
            case BUSY -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "60")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                        "this process already runs api.max-concurrent-syncs syncs; try again later"));
        };
    }

}
