package com.loyaltybridge.tagsync.api;

import java.net.URI;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.sync.SyncRequest;

/**
 * Launches a sync and answers as the API promises: 202 with {@code Location: /api/executions/{id}} once it started;
 * 200 with the earlier execution when it already completed; 409 when it is running elsewhere or cannot run again;
 * 503 when this process already runs {@code api.max-concurrent-syncs} syncs.
 */
@Component
@ConditionalOnWebApplication
class LaunchResponses {

    /** The body of a 202: the execution that started. */
    record Started(long executionId, String status, String export) {
    }

    private final SyncLaunches launches;
    private final Executions executions;

    LaunchResponses(SyncLaunches launches, Executions executions) {
        this.launches = launches;
        this.executions = executions;
    }

    ResponseEntity<Object> launch(SyncRequest request) {
        SyncLaunches.Launch launch = launches.launch(request);
        return switch (launch.kind()) {
            case STARTED -> ResponseEntity.accepted().location(URI.create("/api/executions/" + launch.executionId()))
                    .body(new Started(launch.executionId(), "STARTED", request.export().uri()));
            case ALREADY_COMPLETED -> ResponseEntity.ok()
                    .location(URI.create("/api/executions/" + launch.executionId()))
                    .body(executions.view(launch.executionId()));
            case ALREADY_RUNNING, REFUSED -> ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, launch.outcome().message()));
            case BUSY -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "60")
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                            "this process already runs api.max-concurrent-syncs syncs; try again later"));
        };
    }
}
