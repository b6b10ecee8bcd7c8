package com.loyaltybridge.tagsync.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * Exports Braze has said are complete (its completion callback), table
 * {@code sync_export_ready}.
 */
@Repository
public class SyncExportReadyRepository {

    private final JdbcTemplate jdbc;

    public SyncExportReadyRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records that Braze said the export in {@code folder}, of segment {@code segmentId},
     * is complete.
     */
    public void markReady(StorageLocation folder, String segmentId) {
        jdbc.update("""
                INSERT INTO sync_export_ready (export_location, segment_id, received_at) VALUES (?, ?, now())
                ON CONFLICT (export_location) DO NOTHING""", folder.uri(), segmentId);
    }

    public boolean isReady(StorageLocation folder) {
        return Boolean.TRUE
            .equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM sync_export_ready WHERE export_location = ?)",
                    Boolean.class, folder.uri()));
    }

}
