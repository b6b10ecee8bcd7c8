package com.loyaltybridge.tagsync.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The audiences (table {@code sync_audience}): a segment synced export after export, and
 * the export it follows.
 */
@Repository
public class SyncAudienceRepository {

    private static final String COLUMNS = """
            audience_id, name, identifier_source, segment_id, created_at, last_export, last_export_requested_at,
            last_job_instance_id, last_synced_at, last_tags, last_ttl_seconds, seeded_from_job_instance_id""";

    private final JdbcTemplate jdbc;

    public SyncAudienceRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * An audience as recorded.
     *
     * @param lastExport the export its state follows (the last one synced to the end);
     * null before
     * @param lastExportRequestedAt when that export was requested; null outside Braze's
     * layout
     * @param seededFromJobInstanceId the sync from before audiences its first members
     * came from, if any
     */
    public record Audience(long id, String name, String identifierSource, String segmentId, Instant createdAt,
            String lastExport, Instant lastExportRequestedAt, Long lastJobInstanceId, Instant lastSyncedAt,
            String lastTags, Long lastTtlSeconds, Long seededFromJobInstanceId) {
    }

    public Optional<Audience> find(String name, String identifierSource) {
        return jdbc
            .query("SELECT " + COLUMNS + " FROM sync_audience WHERE name = ? AND identifier_source = ?",
                    SyncAudienceRepository::audience, name, identifierSource)
            .stream()
            .findFirst();
    }

    public Optional<Audience> byId(long audienceId) {
        return jdbc
            .query("SELECT " + COLUMNS + " FROM sync_audience WHERE audience_id = ?", SyncAudienceRepository::audience,
                    audienceId)
            .stream()
            .findFirst();
    }

    /** Every audience, by name. */
    public List<Audience> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM sync_audience ORDER BY name, identifier_source",
                SyncAudienceRepository::audience);
    }

    /** One page of the audiences, by name. */
    public List<Audience> page(int limit, long offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sync_audience ORDER BY name, identifier_source LIMIT ? OFFSET ?",
                SyncAudienceRepository::audience, limit, offset);
    }

    public long count() {
        return jdbc.queryForObject("SELECT count(*) FROM sync_audience", Long.class);
    }

    /**
     * The audience, recorded now if it was not: two syncs creating it at once find the
     * same row.
     */
    public Audience findOrCreate(String name, String identifierSource, String segmentId) {
        jdbc.update("""
                INSERT INTO sync_audience (name, identifier_source, segment_id) VALUES (?, ?, ?)
                ON CONFLICT (name, identifier_source) DO NOTHING""", name, identifierSource, segmentId);
        return find(name, identifierSource).orElseThrow();
    }

    /**
     * The export {@code jobInstanceId} synced is now the one the audience's state
     * follows.
     */
    public void markSynced(long audienceId, String export, Instant exportRequestedAt, long jobInstanceId, String tags,
            Long ttlSeconds) {
        jdbc.update("""
                UPDATE sync_audience SET last_export = ?, last_export_requested_at = ?, last_job_instance_id = ?,
                    last_synced_at = now(), last_tags = ?, last_ttl_seconds = ?
                WHERE audience_id = ?""", export, exportRequestedAt == null ? null : Timestamp.from(exportRequestedAt),
                jobInstanceId, tags, ttlSeconds, audienceId);
    }

    /**
     * The audience's first members came from the ledger of {@code jobInstanceId}, a sync
     * from before audiences.
     */
    public void markSeeded(long audienceId, long jobInstanceId) {
        jdbc.update("UPDATE sync_audience SET seeded_from_job_instance_id = ? WHERE audience_id = ?", jobInstanceId,
                audienceId);
    }

    private static Audience audience(ResultSet rs, int row) throws SQLException {
        return new Audience(rs.getLong("audience_id"), rs.getString("name"), rs.getString("identifier_source"),
                rs.getString("segment_id"), instant(rs, "created_at"), rs.getString("last_export"),
                instant(rs, "last_export_requested_at"), (Long) rs.getObject("last_job_instance_id"),
                instant(rs, "last_synced_at"), rs.getString("last_tags"), (Long) rs.getObject("last_ttl_seconds"),
                (Long) rs.getObject("seeded_from_job_instance_id"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

}
