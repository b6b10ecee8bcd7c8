package com.loyaltybridge.tagsync.api;

import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.text.SpreadsheetCsv;

/** Read-only queries behind the API: executions of the sync job, and the users and lines a sync could not use. */
@Repository
@ConditionalOnWebApplication
class ExecutionQueries {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    ExecutionQueries(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
    }

    /** A row of the execution list. */
    record ExecutionRow(long id, long jobInstanceId, String segmentId, String export, String status, String exitCode,
            LocalDateTime createTime, LocalDateTime startTime, LocalDateTime endTime) {
    }

    record ExecutionFilter(String segmentId, String status, Instant from, Instant to) {
    }

    ApiPage<ExecutionRow> executions(ExecutionFilter filter, int page, int size) {
        StringBuilder where = new StringBuilder("""
                FROM batch_job_execution e
                JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id AND i.job_name = ?
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id AND p.parameter_name = 'export'
                WHERE TRUE""");
        List<Object> arguments = new ArrayList<>(List.of(SegmentSyncJobConfiguration.JOB_NAME));
        if (filter.segmentId() != null) {
            where.append(" AND position(? IN p.parameter_value) > 0");
            arguments.add("/segment-export/" + filter.segmentId() + "/");
        }
        if (filter.status() != null) {
            where.append(" AND e.status = ?");
            arguments.add(filter.status());
        }
        if (filter.from() != null) {
            where.append(" AND e.create_time >= ?");
            arguments.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            where.append(" AND e.create_time < ?");
            arguments.add(Timestamp.from(filter.to()));
        }
        long total = jdbc.queryForObject("SELECT count(*) " + where, Long.class, arguments.toArray());
        List<Object> paged = new ArrayList<>(arguments);
        paged.add(size);
        paged.add((long) page * size);
        List<ExecutionRow> rows = jdbc.query("""
                SELECT e.job_execution_id, e.job_instance_id, p.parameter_value, e.status, e.exit_code,
                       e.create_time, e.start_time, e.end_time
                """ + where + " ORDER BY e.job_execution_id DESC LIMIT ? OFFSET ?",
                (rs, row) -> new ExecutionRow(rs.getLong(1), rs.getLong(2), SyncRequest.segmentIdOf(StorageLocation.parse(rs.getString(3))), rs.getString(3),
                        rs.getString(4), rs.getString(5), time(rs, 6), time(rs, 7), time(rs, 8)),
                paged.toArray());
        return new ApiPage<>(rows, page, size, total);
    }

    /** A user SessionM refused for good. */
    record RejectedUser(String identifier, Integer httpStatus, String code, String message, Instant at) {
    }

    /** A line of the export that did not become a user. */
    record SkippedLine(String objectKey, long lineNumber, String reason, String detail) {
    }

    private static final String REJECTED = """
            SELECT identifier, sessionm_status, sessionm_code, sessionm_message, updated_at
            FROM sync_user WHERE job_instance_id = ? AND state = 'REJECTED' ORDER BY user_seq""";
    private static final String SKIPPED = """
            SELECT object_key, line_number, reason, detail
            FROM sync_skipped_line WHERE job_instance_id = ? ORDER BY object_key, line_number""";

    ApiPage<RejectedUser> rejectedUsers(long jobInstanceId, int page, int size) {
        long total = jdbc.queryForObject("SELECT count(*) FROM sync_user WHERE job_instance_id = ? AND state = 'REJECTED'",
                Long.class, jobInstanceId);
        return new ApiPage<>(jdbc.query(REJECTED + " LIMIT ? OFFSET ?", (rs, row) -> rejectedUser(rs),
                jobInstanceId, size, (long) page * size), page, size, total);
    }

    ApiPage<SkippedLine> skippedLines(long jobInstanceId, int page, int size) {
        long total = jdbc.queryForObject("SELECT count(*) FROM sync_skipped_line WHERE job_instance_id = ?", Long.class, jobInstanceId);
        return new ApiPage<>(jdbc.query(SKIPPED + " LIMIT ? OFFSET ?", (rs, row) -> skippedLine(rs),
                jobInstanceId, size, (long) page * size), page, size, total);
    }

    /** Writes every rejected user as a CSV for people (see {@link SpreadsheetCsv}), streamed from PostgreSQL. */
    void writeRejectedUsersCsv(long jobInstanceId, Writer out) {
        streamCsv(REJECTED, jobInstanceId, out, new String[] {"identifier", "http_status", "code", "message", "at"},
                rs -> {
                    RejectedUser user = rejectedUser(rs);
                    return new Object[] {user.identifier(), user.httpStatus(), user.code(), user.message(), user.at()};
                });
    }

    /** Writes every skipped line as a CSV for people (see {@link SpreadsheetCsv}), streamed from PostgreSQL. */
    void writeSkippedLinesCsv(long jobInstanceId, Writer out) {
        streamCsv(SKIPPED, jobInstanceId, out, new String[] {"object_key", "line_number", "reason", "detail"},
                rs -> {
                    SkippedLine line = skippedLine(rs);
                    return new Object[] {line.objectKey(), line.lineNumber(), line.reason(), line.detail()};
                });
    }

    private interface CsvRow {
        Object[] of(ResultSet rs) throws SQLException;
    }

    private void streamCsv(String sql, long jobInstanceId, Writer out, String[] header, CsvRow row) {
        SpreadsheetCsv csv = SpreadsheetCsv.to(out, header);
        // PostgreSQL streams with a fetch size only inside a transaction; otherwise it reads the whole result first.
        readOnly.executeWithoutResult(status -> jdbc.query(connection -> {
            var statement = connection.prepareStatement(sql);
            statement.setFetchSize(1000);
            statement.setLong(1, jobInstanceId);
            return statement;
        }, rs -> {
            csv.row(row.of(rs));
        }));
        csv.flush();
    }

    private static RejectedUser rejectedUser(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp(5);
        return new RejectedUser(rs.getString(1), (Integer) rs.getObject(2), rs.getString(3), rs.getString(4),
                at == null ? null : at.toInstant());
    }

    private static SkippedLine skippedLine(ResultSet rs) throws SQLException {
        return new SkippedLine(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4));
    }

    private static LocalDateTime time(ResultSet rs, int column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toLocalDateTime();
    }
}
