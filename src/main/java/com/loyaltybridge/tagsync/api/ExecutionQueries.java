package com.loyaltybridge.tagsync.api;

import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import com.loyaltybridge.tagsync.ledger.SyncLeftUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncLeftUserRepository.LeftUser;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository.SkippedLine;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository.RejectedUser;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.text.SpreadsheetCsv;

/**
 * Read-only queries behind the API: executions of the sync job and its dry run (Spring Batch's tables; this is their
 * one reader outside Spring Batch), and, through the ledger's repositories, the users and lines a sync could not use
 * and the members who left its audience.
 */
@Repository
@ConditionalOnWebApplication
class ExecutionQueries {

    private final JdbcTemplate jdbc;
    private final SyncUserRepository users;
    private final SyncSkippedLineRepository skippedLines;
    private final SyncLeftUserRepository leftUsers;

    ExecutionQueries(JdbcTemplate jdbc, SyncUserRepository users, SyncSkippedLineRepository skippedLines,
            SyncLeftUserRepository leftUsers) {
        this.jdbc = jdbc;
        this.users = users;
        this.skippedLines = skippedLines;
        this.leftUsers = leftUsers;
    }

    /** A row of the execution list; {@code dryRun} for an execution of a dry run. */
    record ExecutionRow(long id, long jobInstanceId, String segmentId, String export, String status, String exitCode,
            LocalDateTime createTime, LocalDateTime startTime, LocalDateTime endTime, boolean dryRun) {
    }

    record ExecutionFilter(String segmentId, String status, Instant from, Instant to) {
    }

    ApiPage<ExecutionRow> executions(ExecutionFilter filter, int page, int size) {
        StringBuilder where = new StringBuilder("""
                FROM batch_job_execution e
                JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id AND i.job_name IN (?, ?)
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id AND p.parameter_name = 'export'
                WHERE TRUE""");
        List<Object> arguments = new ArrayList<>(List.of(SegmentSyncJobConfiguration.JOB_NAME,
                SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME));
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
        List<Object> paged = new ArrayList<>(List.of(SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME));
        paged.addAll(arguments);
        paged.add(size);
        paged.add((long) page * size);
        List<ExecutionRow> rows = jdbc.query("""
                SELECT e.job_execution_id, e.job_instance_id, p.parameter_value, e.status, e.exit_code,
                       e.create_time, e.start_time, e.end_time, i.job_name = ?
                """ + where + " ORDER BY e.job_execution_id DESC LIMIT ? OFFSET ?",
                (rs, row) -> new ExecutionRow(rs.getLong(1), rs.getLong(2), SyncRequest.segmentIdOf(StorageLocation.parse(rs.getString(3))), rs.getString(3),
                        rs.getString(4), rs.getString(5), time(rs, 6), time(rs, 7), time(rs, 8), rs.getBoolean(9)),
                paged.toArray());
        return new ApiPage<>(rows, page, size, total);
    }

    ApiPage<RejectedUser> rejectedUsers(long jobInstanceId, int page, int size) {
        return new ApiPage<>(users.rejectedUsers(jobInstanceId, size, (long) page * size), page, size,
                users.rejectedCount(jobInstanceId));
    }

    ApiPage<SkippedLine> skippedLines(long jobInstanceId, int page, int size) {
        return new ApiPage<>(skippedLines.skippedLines(jobInstanceId, size, (long) page * size), page, size,
                skippedLines.count(jobInstanceId));
    }

    ApiPage<LeftUser> leftUsers(long jobInstanceId, int page, int size) {
        return new ApiPage<>(leftUsers.leftUsers(jobInstanceId, size, (long) page * size), page, size, leftUsers.count(jobInstanceId));
    }

    /** Writes every member who left as a CSV for people (see {@link SpreadsheetCsv}), streamed from PostgreSQL. */
    void writeLeftUsersCsv(long jobInstanceId, Writer out) {
        writeCsv(out, new String[] {"identifier", "tags"}, printer -> leftUsers.forEachLeftUser(jobInstanceId,
                user -> printer.accept(new Object[] {user.identifier(), String.join(",", user.tags())})));
    }

    /** Writes every rejected user as a CSV for people (see {@link SpreadsheetCsv}), streamed from PostgreSQL. */
    void writeRejectedUsersCsv(long jobInstanceId, Writer out) {
        writeCsv(out, new String[] {"identifier", "http_status", "code", "message", "at"},
                printer -> users.forEachRejectedUser(jobInstanceId, user -> printer.accept(
                        new Object[] {user.identifier(), user.httpStatus(), user.code(), user.message(), user.at()})));
    }

    /** Writes every skipped line as a CSV for people (see {@link SpreadsheetCsv}), streamed from PostgreSQL. */
    void writeSkippedLinesCsv(long jobInstanceId, Writer out) {
        writeCsv(out, new String[] {"object_key", "line_number", "reason", "detail"},
                printer -> skippedLines.forEachSkippedLine(jobInstanceId, line -> printer.accept(
                        new Object[] {line.objectKey(), line.lineNumber(), line.reason(), line.detail()})));
    }

    /** {@code rows} hands each row to the consumer it is given, which prints it as a CSV for people. */
    private static void writeCsv(Writer out, String[] header, Consumer<Consumer<Object[]>> rows) {
        SpreadsheetCsv csv = SpreadsheetCsv.to(out, header);
        rows.accept(csv::row);
        csv.flush();
    }

    private static LocalDateTime time(ResultSet rs, int column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toLocalDateTime();
    }
}
