package com.loyaltybridge.tagsync.api;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.loyaltybridge.tagsync.ledger.SyncExportReadyRepository;
import com.loyaltybridge.tagsync.scan.ExportDiscovery;
import com.loyaltybridge.tagsync.scan.ScanSettings;
import com.loyaltybridge.tagsync.scan.SegmentExport;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.text.UntrustedText;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Braze's export completion callback: the {@code callback_endpoint} of
 * {@code /users/export/segment} is
 * {@code https://HOST/api/braze/export-callbacks/SEGMENT_ID}. Braze's body says only
 * {@code "success": true}, so the export is the one named by {@code object_prefix} (query
 * parameter or body field, {@code UUID-EPOCH}) when given, else the segment's newest
 * export. It is recorded as complete (so scans take it at once, too), then the run of
 * each of the segment's mappings is launched: its tag sync, its offer wallets, or both.
 */
@RestController
@ConditionalOnWebApplication
@RequestMapping("/api/braze/export-callbacks")
@Tag(name = "braze")
class BrazeCallbackController {

    private static final Logger log = LoggerFactory.getLogger(BrazeCallbackController.class);

    /**
     * What Braze posts; {@code url} (present without own storage) is never used nor
     * logged: it is a presigned link.
     */
    record BrazeCallback(Boolean success, @JsonProperty("object_prefix") String objectPrefix) {
    }

    private final ScanSettings settings;

    private final ExportDiscovery discovery;

    private final SyncExportReadyRepository readiness;

    private final LaunchResponses launches;

    BrazeCallbackController(ScanSettings settings, ExportDiscovery discovery, SyncExportReadyRepository readiness,
            LaunchResponses launches) {
        this.settings = settings;
        this.discovery = discovery;
        this.readiness = readiness;
        this.launches = launches;
    }

    @PostMapping("/{segmentId}")
    @Operation(summary = "Braze's export completion callback: marks the export complete and launches its sync")
    ResponseEntity<Object> exportReady(@PathVariable String segmentId,
            @RequestParam(name = "object_prefix", required = false) String objectPrefixParameter,
            @RequestBody(required = false) BrazeCallback callback) {
        SegmentMapping.problemWithSegmentId(segmentId).ifPresent(problem -> {
            throw ApiProblem.invalid("segmentId", problem);
        });
        List<SegmentMapping> mappings = settings.mappingsOf(segmentId);
        if (mappings.isEmpty()) {
            throw ApiProblem.notFound("segment " + UntrustedText.quote(segmentId) + " is not configured");
        }
        if (callback != null && Boolean.FALSE.equals(callback.success())) {
            throw ApiProblem.invalid("success", "Braze reported a failed export; nothing to sync");
        }
        String objectPrefix = objectPrefixParameter != null ? objectPrefixParameter
                : callback == null ? null : callback.objectPrefix();
        if (objectPrefix != null && !SegmentExport.isExportName(objectPrefix)) {
            throw ApiProblem.invalid("object_prefix",
                    UntrustedText.quote(objectPrefix) + " is not the name of an export folder (UUID-EPOCH)");
        }
        SegmentExport export = exportOf(segmentId, objectPrefix)
            .orElseThrow(() -> ApiProblem.notFound("no export of segment " + segmentId
                    + (objectPrefix == null ? "" : " named " + objectPrefix) + " under the export roots"));
        readiness.markReady(export.folder(), export.segmentId());
        log.info("Braze says export {} is complete; launching its {}", export.folder(),
                mappings.size() == 1 ? "run" : mappings.size() + " runs (tags and offer wallets)");
        if (mappings.size() == 1) {
            return launches.launch(mappings.get(0).jobRequestFor(export.folder()));
        }
        List<MappingLaunch> launched = mappings.stream().map(mapping -> {
            ResponseEntity<Object> response = launches.launch(mapping.jobRequestFor(export.folder()));
            return new MappingLaunch(mapping.mappingKind().text(), response.getStatusCode().value(),
                    response.getBody());
        }).toList();
        HttpStatusCode status = launched.stream().anyMatch(launch -> launch.status() == HttpStatus.ACCEPTED.value())
                ? HttpStatus.ACCEPTED : HttpStatusCode.valueOf(launched.get(0).status());
        return ResponseEntity.status(status).body(new MappingLaunches(launched));
    }

    /**
     * What came of launching the run of one of the segment's mappings: the status and
     * body the API answers a launch of it with.
     */
    record MappingLaunch(String kind, int status, Object result) {
    }

    /**
     * The answer when a segment is mapped for tags and offer wallets: both runs are
     * launched, each answered as a launch of its own (202 when either started).
     */
    record MappingLaunches(List<MappingLaunch> launches) {
    }

    private Optional<SegmentExport> exportOf(String segmentId, String objectPrefix) {
        var exports = discovery.exportsOf(segmentId);
        if (objectPrefix == null) {
            return exports.isEmpty() ? Optional.empty() : Optional.of(exports.get(exports.size() - 1));
        }
        return exports.stream().filter(export -> export.name().equals(objectPrefix)).findFirst();
    }

}
