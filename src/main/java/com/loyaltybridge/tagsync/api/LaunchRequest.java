package com.loyaltybridge.tagsync.api;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What to sync. Either {@code export} (an export folder under a configured export root)
 * or {@code segment} (its newest complete export). The tag settings come from the
 * segment's mapping unless {@code tags} is given, and then from {@code tags},
 * {@code ttl}, {@code mode} and {@code identifier}. Where a bulk file goes is never the
 * caller's choice: the mapping's output or {@code bulk-file.output}. {@code audience},
 * {@code full} and {@code dryRun} are those of {@code sync}: absent, the export's
 * segment, the mapping's {@code full}, a real run. With {@code kind} {@code offers} it
 * asks for the offers job instead: the settings come from the segment's mapping of kind
 * {@code offers} unless {@code identifier} is given, and then from {@code identifier} and
 * {@code culture}; tag settings are refused.
 */
@Schema(description = "A sync to launch: an export folder, or a configured segment (its newest complete export)")
public record LaunchRequest(@Schema(
        description = "Export folder, e.g. s3://braze-exports/segment-export/SEGMENT/2026-11-28/UUID-EPOCH/") String export,
        @Schema(description = "Configured segment id: its newest complete export, with its mapping's settings") String segment,
        @Schema(description = "Tag names; given, they and ttl/mode/identifier replace the segment mapping's") List<String> tags,
        @Schema(description = "Time to live of the tags in seconds; absent for counter tags") Long ttl,
        @Schema(description = "api, csv or auto (default)") String mode,
        @Schema(description = "external_id (default), custom_attribute:NAME or alias:LABEL") String identifier,
        @Schema(description = "The audience the export belongs to; default its Braze segment") String audience,
        @Schema(description = "Send every member whatever the audience's state (counter tags go up for everyone); also"
                + " syncs an export older than the audience's last one. Default: the segment mapping's full, else false") Boolean full,
        @Schema(description = "Read and stage the export and plan it, sending nothing and changing nothing: 202 with"
                + " Location; the execution's view holds the plan") Boolean dryRun,
        @Schema(description = "tags (default): tag the members in SessionM; offers: write the members' SessionM offer"
                + " wallets to their Braze profiles") String kind,
        @Schema(description = "kind offers: the culture of members without a language in the export; default the"
                + " segment mapping's, else sessionm.connect.culture") String culture) {

    /** A tag sync's request, as the console makes one. */
    public LaunchRequest(String export, String segment, List<String> tags, Long ttl, String mode, String identifier,
            String audience, Boolean full, Boolean dryRun) {
        this(export, segment, tags, ttl, mode, identifier, audience, full, dryRun, null, null);
    }
}
