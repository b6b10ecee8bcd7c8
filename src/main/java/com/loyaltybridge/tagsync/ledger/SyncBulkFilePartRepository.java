package com.loyaltybridge.tagsync.ledger;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import com.loyaltybridge.tagsync.bulkfile.PublishedPart;

/** The published parts of a sync's bulk file (table {@code sync_bulk_file_part}). */
@Repository
public class SyncBulkFilePartRepository {

    /** A published part and the range of users it holds. */
    public record RecordedPart(PublishedPart part, long firstUserSeq, long lastUserSeq) {
    }

    private final JdbcTemplate jdbc;

    public SyncBulkFilePartRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<RecordedPart> partsOf(long jobInstanceId) {
        return jdbc.query("""
                SELECT part_number, location, first_user_seq, last_user_seq, user_count, row_count, byte_count, sha256
                FROM sync_bulk_file_part WHERE job_instance_id = ? ORDER BY part_number""", (rs, row) -> {
            String location = rs.getString("location");
            PublishedPart part = new PublishedPart(rs.getInt("part_number"),
                    location.substring(location.lastIndexOf('/') + 1), location, rs.getLong("user_count"),
                    rs.getLong("row_count"), rs.getLong("byte_count"), rs.getString("sha256"));
            return new RecordedPart(part, rs.getLong("first_user_seq"), rs.getLong("last_user_seq"));
        }, jobInstanceId);
    }

    /** A published part and when it was published. */
    public record PublishedAt(PublishedPart part, Instant publishedAt) {
    }

    /**
     * The published parts of a sync's bulk file with the moment each was published, in
     * order.
     */
    public List<PublishedAt> publishedParts(long jobInstanceId) {
        return jdbc.query("""
                SELECT part_number, location, user_count, row_count, byte_count, sha256, published_at
                FROM sync_bulk_file_part WHERE job_instance_id = ? ORDER BY part_number""", (rs, row) -> {
            String location = rs.getString("location");
            return new PublishedAt(new PublishedPart(rs.getInt("part_number"),
                    location.substring(location.lastIndexOf('/') + 1), location, rs.getLong("user_count"),
                    rs.getLong("row_count"), rs.getLong("byte_count"), rs.getString("sha256")),
                    rs.getTimestamp("published_at").toInstant());
        }, jobInstanceId);
    }

    public void record(long jobInstanceId, RecordedPart recorded) {
        PublishedPart part = recorded.part();
        jdbc.update("""
                INSERT INTO sync_bulk_file_part (job_instance_id, part_number, location, first_user_seq, last_user_seq,
                    user_count, row_count, byte_count, sha256, published_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())""", jobInstanceId, part.number(), part.location(),
                recorded.firstUserSeq(), recorded.lastUserSeq(), part.users(), part.rows(), part.bytes(),
                part.sha256());
    }

    /** Users in the parts published so far. */
    public long usersWritten(long jobInstanceId) {
        return jdbc.queryForObject(
                "SELECT coalesce(sum(user_count), 0) FROM sync_bulk_file_part WHERE job_instance_id = ?", Long.class,
                jobInstanceId);
    }

}
