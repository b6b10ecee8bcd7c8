package com.loyaltybridge.tagsync.api;

import java.time.Instant;
import java.util.List;

/**
 * One audience as the API shows it: a segment synced export after export, what its last
 * sync was, how many members it has now and when its next TTL refresh is due.
 *
 * @param id the audience's number ({@code /api/audiences/{id}/members})
 * @param name the Braze segment id, or the name given with {@code audience}
 * @param segmentId the Braze segment of its exports; null outside Braze's layout
 * @param identifier where members' identifiers come from: {@code external_id},
 * {@code custom_attribute:NAME} or {@code alias:LABEL}
 * @param tags the tags of its last sync; empty before one completed
 * @param ttl their time to live in seconds; null for counter tags
 * @param members members now: those holding a tag from us, or being sent one (not LEFT)
 * @param lastExport the export its state follows, the last one synced to the end; null
 * before
 * @param lastExportRequestedAt when that export was requested (the EPOCH of its folder):
 * older ones are not synced
 * @param lastJobInstanceId the sync of that export
 * @param lastExecutionId that sync's execution that completed it
 * @param lastSyncedAt when it completed
 * @param nextRefreshAt when the next wave of TTL refreshes is due: the first expiry of a
 * tag held from us, minus {@code sync.ttl-refresh-before}; null for counter tags or with
 * no expiring tag held
 * @param refreshDue members a sync starting now would refresh: an expiring tag held from
 * us ends before now plus {@code sync.ttl-refresh-before}; 0 for counter tags
 * @param seededFromJobInstanceId the sync from before audiences whose tagged users were
 * its first members, if any
 * @param kind {@code tags}, or {@code offers} for an audience of offer wallets
 * ({@code offers:SEGMENT}): its members are those whose wallet was written to Braze, it
 * has no tags nor refreshes, and its runs are the offers job's
 */
public record AudienceView(long id, String name, String segmentId, String identifier, List<String> tags, Long ttl,
        long members, String lastExport, Instant lastExportRequestedAt, Long lastJobInstanceId, Long lastExecutionId,
        Instant lastSyncedAt, Instant nextRefreshAt, long refreshDue, Long seededFromJobInstanceId, String kind) {
}
