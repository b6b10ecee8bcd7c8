package com.loyaltybridge.tagsync.console;

import java.util.List;

/**
 * What the Segments page shows, apart from where it comes from: today the segment mappings and their exports
 * ({@link SegmentMappingsOverview}); the audience sync's members and refresh waves can fill the same page later by
 * building this from their own source.
 *
 * @param segments one per configured segment, in the mappings' order
 */
record SegmentsView(List<Segment> segments, String exportRoots) {

    /**
     * One segment and what becomes of its exports.
     *
     * @param settings    the tag settings of its syncs, in one line (tags, TTL, mode, identifier, output)
     * @param lastSynced  its newest export whose sync completed, or null
     * @param problem     why its exports could not be listed, or null
     */
    record Segment(String segmentId, List<String> tags, String ttl, String mode, String identifier, String output,
            List<Export> exports, Export lastSynced, String problem) {
    }

    /**
     * One export folder of a segment.
     *
     * @param complete    "complete", or why not yet (Braze's callback not received and objects still settling)
     * @param sync        what its sync with the segment's settings did: its latest execution's status, or "not synced"
     * @param executionId that latest execution, or null
     */
    record Export(String name, String date, String requestedAt, String location, String complete, StatusLook sync,
            Long executionId) {
    }
}
