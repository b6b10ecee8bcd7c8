package com.loyaltybridge.tagsync.scan;

import java.util.List;
import java.util.Optional;

import org.springframework.boot.context.properties.bind.DefaultValue;

import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.sync.SyncMode;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.text.UntrustedText;

/**
 * What to do with the exports of one Braze segment: the tag settings of {@code sync}, from the segment
 * mappings file. Checked when bound, so a typo stops the application before any work. The segment is the audience
 * of its exports: each sync of one sends what changed since the last one synced.
 *
 * @param segmentId  Braze segment id: the folder under {@code segment-export/}
 * @param tags       tag names to put on every user of the segment
 * @param ttl        time to live of the tags in seconds; absent for counter tags
 * @param mode       {@code api}, {@code csv} or {@code auto}
 * @param identifier {@code external_id}, {@code custom_attribute:NAME} or {@code alias:LABEL}
 * @param output     where csv mode writes; absent for {@code bulk-file.output}
 * @param full       send every member of the next sync whatever the audience's state ({@code --full}: counter tags go
 *                   up for everyone). For one-off use: set it, let one scan sync, remove it; left in place, every new
 *                   export is sent in full, and an export already synced is synced again in full
 */
public record SegmentMapping(String segmentId, List<String> tags, Long ttl, @DefaultValue("auto") String mode,
        @DefaultValue("external_id") String identifier, String output, @DefaultValue("false") boolean full) {

    /** Braze's segment ids are UUIDs; this bounds what a request or a mapping can make us look for. */
    public static final int MAX_SEGMENT_ID_LENGTH = 255;

    public SegmentMapping {
        problemWithSegmentId(segmentId).ifPresent(problem -> {
            throw new IllegalArgumentException("segment-id " + problem);
        });
        if (tags == null || tags.isEmpty()) {
            throw new IllegalArgumentException("segment " + segmentId + " has no tags");
        }
        SyncRequest.problemWithTags(tags).ifPresent(problem -> {
            throw new IllegalArgumentException("segment " + segmentId + ": " + problem);
        });
        tags = List.copyOf(tags);
        if (ttl != null && (ttl < 1 || ttl > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("segment " + segmentId + ": ttl " + ttl + " is not a number of seconds between 1 and "
                    + Integer.MAX_VALUE);
        }
        try {
            SyncMode.parse(mode);
            IdentifierSource.parse(identifier);
            if (output != null) {
                StorageLocation.parse(output);
            }
        } catch (IllegalArgumentException e) {
            // Not chained: the message says it all, and a start refusal shows the innermost message of the chain.
            throw new IllegalArgumentException("segment " + segmentId + ": " + e.getMessage());
        }
    }

    /**
     * Why {@code segmentId} cannot be a Braze segment id, which names a folder of the export layout
     * ({@code segment-export/SEGMENT_ID/}), in one line quoting it; empty when it can.
     */
    public static Optional<String> problemWithSegmentId(String segmentId) {
        if (segmentId == null || segmentId.isBlank()) {
            return Optional.of("is empty: expected a Braze segment id");
        }
        if (segmentId.length() > MAX_SEGMENT_ID_LENGTH) {
            return Optional.of(UntrustedText.quote(segmentId) + " is not a Braze segment id: longer than "
                    + MAX_SEGMENT_ID_LENGTH + " characters");
        }
        if (segmentId.contains("/") || segmentId.equals(".") || segmentId.equals("..")) {
            return Optional.of(UntrustedText.quote(segmentId) + " is not a Braze segment id: it names no single folder");
        }
        return UntrustedText.forbiddenCharacterIn(segmentId)
                .map(character -> UntrustedText.quote(segmentId) + " is not a Braze segment id: it holds " + character);
    }

    public SyncMode syncMode() {
        return SyncMode.parse(mode);
    }

    /**
     * The sync of {@code export}, an export folder of this segment, with this mapping's settings, in the segment's
     * audience.
     */
    public SyncRequest requestFor(StorageLocation export) {
        return new SyncRequest(export, tags, ttl, syncMode(), IdentifierSource.parse(identifier),
                output == null ? null : StorageLocation.parse(output), null, full);
    }
}
