package com.loyaltybridge.tagsync.ledger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.brazeexport.ExportRecord.ExportUser;
import com.loyaltybridge.tagsync.brazeexport.SkipReason;

/**
 * The exactly-once ledger (table {@code sync_user}): one row per distinct user of an export.
 * <p>
 * Staging runs inside the chunk transaction, so users and the reader's position commit together; it keeps every
 * line, and {@link #removeDuplicates} then leaves the first line of each identifier, before anyone is sent.
 * The intent to call SessionM and the outcome ({@link #record}) commit on their own, before and after
 * the calls, whatever happens to the chunk: after a crash, a user left {@link LedgerState#SENDING}
 * is exactly one whose call may have landed.
 * Every method costs a constant number of round trips, whatever the number of users it covers.
 */
@Repository
public class SyncUserRepository {

    private static final String STAGE = """
            INSERT INTO sync_user (job_instance_id, identifier, user_seq, state)
            SELECT ?, u.identifier, u.user_seq, %s
            FROM unnest(?::text[], ?::bigint[]) AS u(identifier, user_seq)""".formatted(LedgerState.STAGED.literal());

    private static final String STAGE_UNSTAGED_ONLY = STAGE + """

            ON CONFLICT (job_instance_id, user_seq) DO NOTHING""";

    /**
     * Keeps the first line of each identifier: the later ones leave the ledger and become skipped lines naming it.
     * Identifiers are grouped by hashing (byte equality, as their collation is "C"): a third faster than sorting them.
     * The one statement that writes another table ({@code sync_skipped_line}, with the object names of
     * {@code sync_export_object}): the whole pass is one round trip, and it is a pass over this table.
     */
    private static final String REMOVE_DUPLICATES = """
            WITH repeated AS MATERIALIZED (
                SELECT identifier, min(user_seq) AS first_user_seq FROM sync_user
                WHERE job_instance_id = ? GROUP BY identifier HAVING count(*) > 1),
            duplicate AS (
                SELECT u.user_seq, r.first_user_seq FROM sync_user AS u JOIN repeated AS r ON u.identifier = r.identifier
                WHERE u.job_instance_id = ? AND u.user_seq <> r.first_user_seq),
            removed AS (
                DELETE FROM sync_user AS u USING duplicate AS d
                WHERE u.job_instance_id = ? AND u.user_seq = d.user_seq
                RETURNING d.user_seq, d.first_user_seq)
            INSERT INTO sync_skipped_line (job_instance_id, object_key, line_number, reason, detail)
            SELECT ?, ? || line_object.object_name, r.user_seq & 4294967295, ?,
                   'identifier already seen at line ' || (r.first_user_seq & 4294967295) || ' of ' || ? || first_object.object_name
            FROM removed AS r
            JOIN sync_export_object AS line_object
                ON line_object.job_instance_id = ? AND line_object.object_index = r.user_seq >> 32
            JOIN sync_export_object AS first_object
                ON first_object.job_instance_id = ? AND first_object.object_index = r.first_user_seq >> 32
            ON CONFLICT DO NOTHING""";

    /**
     * For {@link #REMOVE_DUPLICATES}, in its transaction only. Grouping a million identifiers in memory takes about
     * 150 MB (PostgreSQL allows twice work_mem for hashing), and spills to disk beyond. Planned from statistics taken
     * before staging, the join could become a nested loop over every user for each repeated one.
     */
    private static final String REMOVE_DUPLICATES_SETTINGS =
            "SELECT set_config('work_mem', '64MB', true), set_config('enable_nestloop', 'off', true)";

    private static final String MARK_SENDING = """
            UPDATE sync_user SET state = %s, updated_at = now()
            WHERE job_instance_id = ? AND user_seq = ANY(?::bigint[]) AND state = %s""".formatted(LedgerState.SENDING.literal(),
            LedgerState.STAGED.literal());

    private static final String COMPLETE = """
            UPDATE sync_user AS u
            SET state = c.state, sessionm_status = c.status, sessionm_code = c.code,
                sessionm_message = c.message, updated_at = now()
            FROM unnest(?::bigint[], ?::text[], ?::int[], ?::text[], ?::text[]) AS c(user_seq, state, status, code, message)
            WHERE u.job_instance_id = ? AND u.user_seq = c.user_seq""";

    private static final String REJECTED = """
            SELECT identifier, sessionm_status, sessionm_code, sessionm_message, updated_at
            FROM sync_user WHERE job_instance_id = ? AND state = %s ORDER BY user_seq""".formatted(LedgerState.REJECTED.literal());

    private final JdbcTemplate jdbc;
    private final TransactionTemplate independentTransaction;
    private final TransactionTemplate savepoint;
    private final TransactionTemplate readOnly;

    public SyncUserRepository(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.readOnly = Streaming.readOnly(transactionManager);
        this.independentTransaction = new TransactionTemplate(transactionManager);
        this.independentTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** The outcome of one user's call, as it is to be recorded. */
    public record Completion(long userSeq, LedgerState state, Integer httpStatus, String code, String message) {
    }

    /**
     * Adds one row per user to the ledger in the caller's transaction, duplicates included: see
     * {@link #removeDuplicates}. A line staged before (a resumed run can read a few lines again) is not added twice.
     * The users go in with a plain insert under a savepoint, and only when that meets a line staged before is it
     * rolled back and done again skipping those: a constant number of round trips either way.
     */
    public void stage(long jobInstanceId, List<ExportUser> users) {
        if (users.isEmpty()) {
            return;
        }
        // What the chunk commits is its users together with the reader's position: should PostgreSQL lose the last
        // commits in a crash, it loses both, and the resumed run reads those lines again. Not waiting for each commit
        // to reach the disk is then safe, and saves a wait per chunk.
        jdbc.execute("SET LOCAL synchronous_commit = off");
        String[] identifiers = users.stream().map(ExportUser::identifier).toArray(String[]::new);
        Long[] positions = users.stream().map(ExportUser::position).toArray(Long[]::new);
        try {
            // Lines read twice are rare: a plain insert costs PostgreSQL half of ON CONFLICT's work per row.
            savepoint.executeWithoutResult(status -> jdbc.update(connection -> stageStatement(connection, STAGE,
                    jobInstanceId, identifiers, positions)));
        } catch (DuplicateKeyException stagedBefore) {
            jdbc.update(connection -> stageStatement(connection, STAGE_UNSTAGED_ONLY, jobInstanceId, identifiers, positions));
        }
    }

    private static PreparedStatement stageStatement(Connection connection, String sql, long jobInstanceId,
            String[] identifiers, Long[] positions) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setLong(1, jobInstanceId);
        statement.setArray(2, connection.createArrayOf("text", identifiers));
        statement.setArray(3, connection.createArrayOf("bigint", positions));
        return statement;
    }

    /**
     * Leaves one row per identifier, the first in export order, in one statement of the caller's transaction. Each
     * row removed is recorded as a skipped line that names the line it repeats; {@code objectKeyPrefix} is what the
     * keys of the export's objects begin with. Returns how many rows were removed.
     */
    public int removeDuplicates(long jobInstanceId, String objectKeyPrefix) {
        jdbc.queryForList(REMOVE_DUPLICATES_SETTINGS);
        return jdbc.update(REMOVE_DUPLICATES, jobInstanceId, jobInstanceId, jobInstanceId, jobInstanceId, objectKeyPrefix,
                SkipReason.DUPLICATE_USER.code(), objectKeyPrefix, jobInstanceId, jobInstanceId);
    }

    /**
     * Commits, on its own and whatever happens to the caller's transaction, that the {@code sending} users
     * are about to be called and what became of the {@code completed} ones.
     */
    public void record(long jobInstanceId, List<Long> sending, List<Completion> completed) {
        if (sending.isEmpty() && completed.isEmpty()) {
            return;
        }
        independentTransaction.executeWithoutResult(status -> {
            if (!sending.isEmpty()) {
                markSending(jobInstanceId, sending);
            }
            if (!completed.isEmpty()) {
                complete(jobInstanceId, completed);
            }
        });
    }

    private void markSending(long jobInstanceId, List<Long> userSeqs) {
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(MARK_SENDING);
            statement.setLong(1, jobInstanceId);
            statement.setArray(2, connection.createArrayOf("bigint", userSeqs.toArray(Long[]::new)));
            return statement;
        });
    }

    private void complete(long jobInstanceId, List<Completion> completions) {
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(COMPLETE);
            statement.setArray(1, array(connection, "bigint", completions.stream().map(Completion::userSeq).toArray(Long[]::new)));
            statement.setArray(2, array(connection, "text", completions.stream().map(c -> c.state().name()).toArray(String[]::new)));
            statement.setArray(3, array(connection, "int4", completions.stream().map(Completion::httpStatus).toArray(Integer[]::new)));
            statement.setArray(4, array(connection, "text", completions.stream().map(c -> clip(c.code(), 100)).toArray(String[]::new)));
            statement.setArray(5, array(connection, "text", completions.stream().map(c -> clip(c.message(), 500)).toArray(String[]::new)));
            statement.setLong(6, jobInstanceId);
            return statement;
        });
    }

    private static Array array(Connection connection, String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }

    /** Calls {@code consumer} for up to {@code limit} users after {@code afterUserSeq}, in export order, streaming. */
    public void forEachUserAfter(long jobInstanceId, long afterUserSeq, int limit, UserConsumer consumer) {
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    SELECT user_seq, identifier FROM sync_user
                    WHERE job_instance_id = ? AND user_seq > ? ORDER BY user_seq LIMIT ?""");
            // A round trip per 10,000 users (about 300 KB) rather than per 1,000: reading back a million users waits less.
            statement.setFetchSize(10_000);
            statement.setLong(1, jobInstanceId);
            statement.setLong(2, afterUserSeq);
            statement.setInt(3, limit);
            return statement;
        }, rs -> {
            consumer.accept(rs.getLong(1), rs.getString(2));
        });
    }

    @FunctionalInterface
    public interface UserConsumer {
        void accept(long userSeq, String identifier);
    }

    /**
     * Brings PostgreSQL's statistics of the ledger up to date with the users just staged. Planned with the figures
     * from before staging, where this sync had no rows, recording outcomes picks a plan that reads every row of the
     * sync for each batch (hundreds of milliseconds per round trip at a hundred thousand users), and so does reading
     * the users back into the bulk file, part after part.
     */
    public void refreshPlannerStatistics() {
        jdbc.execute("ANALYZE sync_user");
    }

    public long userCount(long jobInstanceId) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_user WHERE job_instance_id = ?", Long.class, jobInstanceId);
    }

    public Map<LedgerState, Long> countByState(long jobInstanceId) {
        Map<LedgerState, Long> counts = new EnumMap<>(LedgerState.class);
        for (LedgerState state : LedgerState.values()) {
            counts.put(state, 0L);
        }
        jdbc.query("SELECT state, count(*) FROM sync_user WHERE job_instance_id = ? GROUP BY state",
                rs -> {
                    counts.put(LedgerState.valueOf(rs.getString(1)), rs.getLong(2));
                }, jobInstanceId);
        return counts;
    }

    /** Users by state of each of several syncs at once (one statement): for a list of executions. */
    public Map<Long, Map<LedgerState, Long>> countByStateOf(Collection<Long> jobInstanceIds) {
        Map<Long, Map<LedgerState, Long>> counts = new HashMap<>();
        if (jobInstanceIds.isEmpty()) {
            return counts;
        }
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "SELECT job_instance_id, state, count(*) FROM sync_user WHERE job_instance_id = ANY (?) GROUP BY 1, 2");
            statement.setArray(1, connection.createArrayOf("bigint", jobInstanceIds.toArray()));
            return statement;
        }, rs -> {
            counts.computeIfAbsent(rs.getLong(1), id -> new EnumMap<>(LedgerState.class))
                    .put(LedgerState.valueOf(rs.getString(2)), rs.getLong(3));
        });
        return counts;
    }

    /** Rejected users by SessionM error code (or HTTP status where SessionM gave no code), most frequent first. */
    public Map<String, Long> rejectionsByCode(long jobInstanceId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("""
                SELECT coalesce(sessionm_code, 'http_' || sessionm_status, 'unknown') AS code, count(*) AS users
                FROM sync_user WHERE job_instance_id = ? AND state = %s
                GROUP BY 1 ORDER BY 2 DESC, 1""".formatted(LedgerState.REJECTED.literal()),
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                }, jobInstanceId);
        return counts;
    }

    /**
     * Users whose outcome (tagged, already tagged, in doubt, rejected) was recorded from {@code from} on, counted per
     * interval of {@code intervalMillis}: element i counts [from + i x interval, from + (i + 1) x interval). The pace of
     * a sync over time, as the console's throughput chart draws it; outcomes past the last interval are left out.
     */
    public long[] outcomesPerInterval(long jobInstanceId, Instant from, long intervalMillis, int intervals) {
        long[] counts = new long[intervals];
        Timestamp start = Timestamp.from(from);
        Timestamp end = Timestamp.from(from.plusMillis(intervalMillis * intervals));
        jdbc.query("""
                SELECT floor(extract(epoch FROM updated_at - ?) * 1000 / ?)::int AS interval, count(*)
                FROM sync_user WHERE job_instance_id = ? AND state NOT IN (%s) AND updated_at >= ? AND updated_at < ?
                GROUP BY 1""".formatted(LedgerState.pendingLiterals()),
                rs -> {
                    int interval = rs.getInt(1);
                    if (interval >= 0 && interval < intervals) {
                        counts[interval] += rs.getLong(2);
                    }
                }, start, intervalMillis, jobInstanceId, start, end);
        return counts;
    }

    /** A user SessionM refused for good, as recorded. */
    public record RejectedUser(String identifier, Integer httpStatus, String code, String message, Instant at) {
    }

    public long rejectedCount(long jobInstanceId) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_user WHERE job_instance_id = ? AND state = "
                + LedgerState.REJECTED.literal(), Long.class, jobInstanceId);
    }

    /** One page of the rejected users, in export order. */
    public List<RejectedUser> rejectedUsers(long jobInstanceId, int limit, long offset) {
        return jdbc.query(REJECTED + " LIMIT ? OFFSET ?", (rs, row) -> rejectedUser(rs), jobInstanceId, limit, offset);
    }

    /** Every rejected user, in export order, streamed from PostgreSQL rather than read into memory first. */
    public void forEachRejectedUser(long jobInstanceId, Consumer<RejectedUser> consumer) {
        Streaming.forEachRow(jdbc, readOnly, REJECTED, jobInstanceId, rs -> consumer.accept(rejectedUser(rs)));
    }

    private static RejectedUser rejectedUser(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp(5);
        return new RejectedUser(rs.getString(1), (Integer) rs.getObject(2), rs.getString(3), rs.getString(4),
                at == null ? null : at.toInstant());
    }

    /**
     * Reads the users of a sync still to tag, in export order, a page at a time; restartable, as Spring Batch saves
     * the last {@code user_seq} read in the step's execution context under {@code name}.
     */
    public JdbcPagingItemReader<LedgerEntry> pendingUsersReader(String name, long jobInstanceId, int pageSize) throws Exception {
        return new JdbcPagingItemReaderBuilder<LedgerEntry>()
                .name(name)
                .dataSource(jdbc.getDataSource())
                .selectClause("SELECT user_seq, identifier, state")
                .fromClause("FROM sync_user")
                .whereClause("WHERE job_instance_id = :jobInstanceId AND state IN (" + LedgerState.pendingLiterals() + ")")
                .parameterValues(Map.of("jobInstanceId", jobInstanceId))
                .sortKeys(Map.of("user_seq", Order.ASCENDING))
                .pageSize(pageSize)
                .rowMapper((rs, row) -> new LedgerEntry(rs.getLong("user_seq"), rs.getString("identifier"),
                        LedgerState.valueOf(rs.getString("state"))))
                .build();
    }

    static String clip(String text, int max) {
        if (text == null) {
            return null;
        }
        String printable = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() <= max ? printable : printable.substring(0, max - 1) + "…";
    }
}
