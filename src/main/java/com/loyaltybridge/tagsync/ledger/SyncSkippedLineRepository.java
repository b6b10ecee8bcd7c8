package com.loyaltybridge.tagsync.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.brazeexport.ExportRecord;

/**
 * Lines of an export that did not become a user, with where and why (table
 * {@code sync_skipped_line}).
 */
@Repository
public class SyncSkippedLineRepository {

    private static final String RECORD = """
            INSERT INTO sync_skipped_line (job_instance_id, object_key, line_number, reason, detail)
            SELECT ?, s.object_key, s.line_number, s.reason, s.detail
            FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[]) AS s(object_key, line_number, reason, detail)
            ON CONFLICT DO NOTHING""";

    private static final String IN_ORDER = """
            SELECT object_key, line_number, reason, detail
            FROM sync_skipped_line WHERE job_instance_id = ? ORDER BY object_key, line_number""";

    private final JdbcTemplate jdbc;

    private final TransactionTemplate readOnly;

    public SyncSkippedLineRepository(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.readOnly = Streaming.readOnly(transactionManager);
    }

    /** A line of the export that did not become a user, as recorded. */
    public record SkippedLine(String objectKey, long lineNumber, String reason, String detail) {
    }

    /**
     * Records the lines in the caller's transaction (the chunk's), in one statement, and
     * returns how many were new: a line recorded before (read again by a resumed run) is
     * not recorded twice.
     */
    public int record(long jobInstanceId, List<ExportRecord.SkippedLine> lines) {
        if (lines.isEmpty()) {
            return 0;
        }
        return jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(RECORD);
            statement.setLong(1, jobInstanceId);
            statement.setArray(2, connection.createArrayOf("text",
                    lines.stream().map(ExportRecord.SkippedLine::objectKey).toArray(String[]::new)));
            statement.setArray(3, connection.createArrayOf("bigint",
                    lines.stream().map(ExportRecord.SkippedLine::lineNumber).toArray(Long[]::new)));
            statement.setArray(4, connection.createArrayOf("text",
                    lines.stream().map(l -> l.reason().code()).toArray(String[]::new)));
            statement.setArray(5, connection.createArrayOf("text",
                    lines.stream().map(l -> SyncUserRepository.clip(l.detail(), 500)).toArray(String[]::new)));
            return statement;
        });
    }

    public long count(long jobInstanceId) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_skipped_line WHERE job_instance_id = ?", Long.class,
                jobInstanceId);
    }

    /**
     * Skipped lines of each of several syncs at once (one statement); syncs without any
     * are left out.
     */
    public Map<Long, Long> countOf(Collection<Long> jobInstanceIds) {
        Map<Long, Long> counts = new HashMap<>();
        if (jobInstanceIds.isEmpty()) {
            return counts;
        }
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "SELECT job_instance_id, count(*) FROM sync_skipped_line WHERE job_instance_id = ANY (?) GROUP BY 1");
            statement.setArray(1, connection.createArrayOf("bigint", jobInstanceIds.toArray()));
            return statement;
        }, rs -> {
            counts.put(rs.getLong(1), rs.getLong(2));
        });
        return counts;
    }

    /** Skipped lines by reason code, most frequent first. */
    public Map<String, Long> countByReason(long jobInstanceId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("""
                SELECT reason, count(*) FROM sync_skipped_line WHERE job_instance_id = ?
                GROUP BY reason ORDER BY 2 DESC, 1""", rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        }, jobInstanceId);
        return counts;
    }

    /** One page of the skipped lines, by object and line. */
    public List<SkippedLine> skippedLines(long jobInstanceId, int limit, long offset) {
        return jdbc.query(IN_ORDER + " LIMIT ? OFFSET ?", (rs, row) -> skippedLine(rs), jobInstanceId, limit, offset);
    }

    /**
     * Every skipped line, by object and line, streamed from PostgreSQL rather than read
     * into memory first.
     */
    public void forEachSkippedLine(long jobInstanceId, Consumer<SkippedLine> consumer) {
        Streaming.forEachRow(jdbc, readOnly, IN_ORDER, jobInstanceId, rs -> consumer.accept(skippedLine(rs)));
    }

    private static SkippedLine skippedLine(ResultSet rs) throws SQLException {
        return new SkippedLine(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4));
    }

}
