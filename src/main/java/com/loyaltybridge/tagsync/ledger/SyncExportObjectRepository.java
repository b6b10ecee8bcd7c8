package com.loyaltybridge.tagsync.ledger;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * The objects of an export as listed when its sync first started (table
 * {@code sync_export_object}).
 */
@Repository
public class SyncExportObjectRepository {

    private final JdbcTemplate jdbc;

    public SyncExportObjectRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<StoredObject> objectsOf(long jobInstanceId, StorageLocation export) {
        return jdbc.query("""
                SELECT object_name, size_bytes, etag, last_modified FROM sync_export_object
                WHERE job_instance_id = ? ORDER BY object_index""", (rs, row) -> {
            Timestamp modified = rs.getTimestamp("last_modified");
            return new StoredObject(export, rs.getString("object_name"), rs.getLong("size_bytes"), rs.getString("etag"),
                    modified == null ? null : modified.toInstant());
        }, jobInstanceId);
    }

    public void record(long jobInstanceId, List<StoredObject> objects) {
        jdbc.batchUpdate(
                """
                        INSERT INTO sync_export_object (job_instance_id, object_index, object_name, size_bytes, etag, last_modified)
                        VALUES (?, ?, ?, ?, ?, ?)""",
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int index) throws SQLException {
                        StoredObject object = objects.get(index);
                        ps.setLong(1, jobInstanceId);
                        ps.setInt(2, index);
                        ps.setString(3, object.name());
                        ps.setLong(4, object.size());
                        ps.setString(5, object.etag());
                        ps.setTimestamp(6,
                                object.lastModified() == null ? null : Timestamp.from(object.lastModified()));
                    }

                    @Override
                    public int getBatchSize() {
                        return objects.size();
                    }
                });
    }

}
