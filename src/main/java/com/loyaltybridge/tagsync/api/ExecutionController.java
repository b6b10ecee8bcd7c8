package com.loyaltybridge.tagsync.api;

import java.io.Writer;
import java.time.Instant;
import java.util.function.BiConsumer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.batch.core.BatchStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import com.loyaltybridge.tagsync.ledger.SyncLeftUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.scan.SegmentMapping;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Executions of syncs and of runs of offer wallets, and of their dry runs: list and show
 * (viewer); restart, stop and abandon (operator); users a sync could not use, and the
 * members who left its audience.
 */
@RestController
@ConditionalOnWebApplication
@RequestMapping("/api/executions")
@Tag(name = "executions")
class ExecutionController {

    private final Executions executions;

    private final ExecutionQueries queries;

    private final LaunchResponses launches;

    ExecutionController(Executions executions, ExecutionQueries queries, LaunchResponses launches) {
        this.executions = executions;
        this.queries = queries;
        this.launches = launches;
    }

    @GetMapping
    @Operation(summary = "Executions of syncs, runs of offer wallets and their dry runs, newest first, filtered by"
            + " kind (tags or offers), segment, status and creation time [from, to); with counts=true, what each"
            + " one's run has done so far")
    ApiPage<ExecutionQueries.ExecutionRow> list(@RequestParam(required = false) String segment,
            @RequestParam(required = false) BatchStatus status, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int size,
            @RequestParam(defaultValue = "false") boolean counts, @RequestParam(required = false) String kind) {
        if (segment != null) {
            SegmentMapping.problemWithSegmentId(segment).ifPresent(problem -> {
                throw ApiProblem.invalid("segment", problem);
            });
        }
        SegmentMapping.Kind jobKind;
        try {
            jobKind = kind == null ? null : SegmentMapping.Kind.parse(kind);
        }
        catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("kind", e.getMessage());
        }
        ApiPage<ExecutionQueries.ExecutionRow> rows = queries.executions(
                new ExecutionQueries.ExecutionFilter(segment, status == null ? null : status.name(), from, to, jobKind),
                page, size);
        return counts ? queries.withCounts(rows) : rows;
    }

    @GetMapping("/{id}")
    @Operation(
            summary = "One execution: steps, counts, the plan (for a dry run with the first identifiers of each group and"
                    + " the estimate), progress, throughput, times and exit description")
    ExecutionDetails show(@PathVariable long id) {
        return executions.details(id);
    }

    @PostMapping("/{id}/restart")
    @Operation(
            summary = "Run a failed or stopped execution's sync again: it resumes where it stopped (202 with Location)")
    ResponseEntity<Object> restart(@PathVariable long id) {
        return launches.launch(executions.restartRequest(id));
    }

    @PostMapping("/{id}/stop")
    @Operation(
            summary = "Ask a running execution to stop at its next chunk boundary, in whichever process runs it (202)")
    ResponseEntity<ExecutionDetails> stop(@PathVariable long id) {
        if (!executions.requestStop(id)) {
            throw ApiProblem.conflict("execution " + id + " is not running (" + executions.get(id).getStatus() + ")");
        }
        return ResponseEntity.accepted().body(executions.details(id));
    }

    @PostMapping("/{id}/abandon")
    @Operation(summary = "Give up a failed or stopped execution for good: no scan or restart runs its sync again")
    ExecutionDetails abandon(@PathVariable long id) {
        return executions.abandon(id);
    }

    @GetMapping("/{id}/rejected-users")
    @Operation(summary = "Users SessionM refused for good, in export order, paged")
    ApiPage<SyncUserRepository.RejectedUser> rejectedUsers(@PathVariable long id,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "100") @Min(1) @Max(10000) int size) {
        return queries.rejectedUsers(instanceOf(id), page, size);
    }

    @GetMapping(value = "/{id}/rejected-users.csv", produces = "text/csv")
    @Operation(summary = "All users SessionM refused for good, as a CSV download")
    ResponseEntity<StreamingResponseBody> rejectedUsersCsv(@PathVariable long id) {
        return csv(id, "rejected-users", queries::writeRejectedUsersCsv);
    }

    @GetMapping("/{id}/skipped-lines")
    @Operation(summary = "Lines of the export that did not become a user (object, line, reason), paged")
    ApiPage<SyncSkippedLineRepository.SkippedLine> skippedLines(@PathVariable long id,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "100") @Min(1) @Max(10000) int size) {
        return queries.skippedLines(instanceOf(id), page, size);
    }

    @GetMapping(value = "/{id}/skipped-lines.csv", produces = "text/csv")
    @Operation(summary = "All skipped lines of the export, as a CSV download")
    ResponseEntity<StreamingResponseBody> skippedLinesCsv(@PathVariable long id) {
        return csv(id, "skipped-lines", queries::writeSkippedLinesCsv);
    }

    @GetMapping("/{id}/throughput")
    @Operation(summary = "Users done per interval over this execution's run (at most 60 intervals of a second or more)")
    ExecutionQueries.Throughput throughput(@PathVariable long id) {
        return queries.throughput(executions.get(id));
    }

    @GetMapping("/{id}/bulk-file")
    @Operation(
            summary = "The sync's bulk file: its published parts (location, users, rows, bytes, SHA-256, when) and manifest")
    ExecutionQueries.BulkFile bulkFile(@PathVariable long id) {
        return queries.bulkFile(instanceOf(id));
    }

    @GetMapping("/{id}/left-users")
    @Operation(
            summary = "Members of the audience that the sync's export no longer holds, with the tags they had from us;"
                    + " by identifier, paged")
    ApiPage<SyncLeftUserRepository.LeftUser> leftUsers(@PathVariable long id,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "100") @Min(1) @Max(10000) int size) {
        return queries.leftUsers(instanceOf(id), page, size);
    }

    @GetMapping(value = "/{id}/left-users.csv", produces = "text/csv")
    @Operation(summary = "All members who left the audience with the sync's export, as a CSV download")
    ResponseEntity<StreamingResponseBody> leftUsersCsv(@PathVariable long id) {
        return csv(id, "left-users", queries::writeLeftUsersCsv);
    }

    private long instanceOf(long executionId) {
        return executions.get(executionId).getJobInstance().getInstanceId();
    }

    private ResponseEntity<StreamingResponseBody> csv(long id, String name, BiConsumer<Long, Writer> writer) {
        long jobInstanceId = instanceOf(id);
        return CsvDownload.of(id, name, csv -> writer.accept(jobInstanceId, csv));
    }

}
