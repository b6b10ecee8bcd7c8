package com.loyaltybridge.tagsync.ledger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
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
 * The exactly-once ledger (table {@code sync_user}): one row per distinct user of an
 * export.
 * <p>
 * Staging runs inside the chunk transaction, so users and the reader's position commit
 * together; it keeps every line, and {@link #removeDuplicates} then leaves the first line
 * of each identifier, before anyone is sent. The intent to call SessionM and the outcome
 * ({@link #record}) commit on their own, before and after the calls, whatever happens to
 * the chunk: after a crash, a user left {@link LedgerState#SENDING} is exactly one whose
 * call may have landed. Every method costs a constant number of round trips, whatever the
 * number of users it covers.
 */
@Repository
public class SyncUserRepository {

    /**
     * The rows a sync sends (or writes to the bulk file), as a condition on the table
     * aliased {@code %s}: those with a reason. A plan of the difference leaves members
     * who need nothing without one.
     */
    static final String TO_SEND = "%s.send_reason IS NOT NULL";

    private static final String STAGE = """
            INSERT INTO sync_user (job_instance_id, identifier, user_seq, state, send_reason)
            SELECT ?, u.identifier, u.user_seq, %s, ?
            FROM unnest(?::text[], ?::bigint[]) AS u(identifier, user_seq)""".formatted(LedgerState.STAGED.literal());

    private static final String STAGE_UNSTAGED_ONLY = STAGE + """

            ON CONFLICT (job_instance_id, user_seq) DO NOTHING""";

    /**
     * Like {@link #STAGE}, with who each member is in Braze: the offers job's staging
     * (the tag sync's stays as it is).
     */
    private static final String STAGE_MEMBERS = """
            INSERT INTO sync_user (job_instance_id, identifier, user_seq, state, send_reason, braze_user_field, braze_user_id,
                                   language)
            SELECT ?, u.identifier, u.user_seq, %s, ?, u.braze_user_field, u.braze_user_id, u.language
            FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])
                AS u(identifier, user_seq, braze_user_field, braze_user_id, language)"""
        .formatted(LedgerState.STAGED.literal());

    private static final String STAGE_MEMBERS_UNSTAGED_ONLY = STAGE_MEMBERS + """

            ON CONFLICT (job_instance_id, user_seq) DO NOTHING""";

    /**
     * The outcomes of the offers job's members: SessionM's refusal of the read, or
     * Braze's answer to the write.
     */
    private static final String COMPLETE_WALLETS = """
            UPDATE sync_user AS u
            SET state = c.state, sessionm_status = c.status, sessionm_code = c.code, sessionm_message = c.message,
                braze_message = c.braze_message, written_again = c.written_again, updated_at = now()
            FROM unnest(?::bigint[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::boolean[])
                AS c(user_seq, state, status, code, message, braze_message, written_again)
            WHERE u.job_instance_id = ? AND u.user_seq = c.user_seq""";

    /**
     * Keeps the first line of each identifier: the later ones leave the ledger and become
     * skipped lines naming it. Identifiers are grouped by hashing (byte equality, as
     * their collation is "C"): a third faster than sorting them. The one statement that
     * writes another table ({@code sync_skipped_line}, with the object names of
     * {@code sync_export_object}): the whole pass is one round trip, and it is a pass
     * over this table.
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
     * For {@link #REMOVE_DUPLICATES}, in its transaction only. Grouping a million
     * identifiers in memory takes about 150 MB (PostgreSQL allows twice work_mem for
     * hashing), and spills to disk beyond. Planned from statistics taken before staging,
     * the join could become a nested loop over every user for each repeated one.
     */
    private static final String REMOVE_DUPLICATES_SETTINGS = "SELECT set_config('work_mem', '64MB', true), set_config('enable_nestloop', 'off', true)";

    /**
     * For {@link #PLAN}, in its transaction only: hashing a million users and the
     * audience's state takes memory, and compiling the statement (JIT) costs more than it
     * saves for one pass.
     */
    private static final String PLAN_SETTINGS = "SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)";

    /**
     * Each user's decision, per tag (see {@link #planDifference}); {@code %s} is the
     * state's query.
     */
    private static final String PLAN = """
            CREATE TEMPORARY TABLE audience_plan ON COMMIT DROP AS
            WITH state AS (%%s),
            pair AS (
                SELECT u.user_seq, t.tag, s.status = %3$s AS settle,
                       CASE
                           WHEN s.status IS NULL OR s.status = %1$s THEN 1
                           WHEN s.status IN (%2$s, %3$s) THEN 2
                           WHEN ?::timestamptz IS NOT NULL AND (s.expires_at IS NULL OR s.expires_at < ?::timestamptz) THEN 3
                           WHEN s.expires_at IS NOT NULL AND s.expires_at <= ?::timestamptz THEN 1
                       END AS reason
                FROM sync_user AS u CROSS JOIN unnest(?::text[]) AS t(tag)
                LEFT JOIN state AS s ON s.identifier = u.identifier AND s.tag = t.tag
                WHERE u.job_instance_id = ?)
            SELECT user_seq, (ARRAY['%4$s', '%5$s', '%6$s'])[min(reason)] AS reason,
                   array_agg(tag ORDER BY tag) AS tags, bool_or(settle) AS settle
            FROM pair WHERE reason IS NOT NULL GROUP BY user_seq"""
        .formatted(MemberTagStatus.LEFT.literal(), MemberTagStatus.REJECTED.literal(),
                MemberTagStatus.SENDING.literal(), SendReason.ENTERING, SendReason.RETRY, SendReason.REFRESH);

    /**
     * The decisions of {@link #PLAN} onto the users that need something; a user due every
     * tag gets them all (null).
     */
    private static final String WRITE_PLAN = """
            UPDATE sync_user AS u SET send_reason = p.reason,
                tags_due = CASE WHEN cardinality(p.tags) = ? THEN NULL ELSE p.tags END,
                state = CASE WHEN p.settle THEN %s ELSE u.state END
            FROM audience_plan AS p WHERE u.job_instance_id = ? AND u.user_seq = p.user_seq"""
        .formatted(LedgerState.SENDING.literal());

    private static final String MARK_SENDING = """
            UPDATE sync_user SET state = %s, updated_at = now()
            WHERE job_instance_id = ? AND user_seq = ANY(?::bigint[]) AND state = %s"""
        .formatted(LedgerState.SENDING.literal(), LedgerState.STAGED.literal());

    private static final String COMPLETE = """
            UPDATE sync_user AS u
            SET state = c.state, sessionm_status = c.status, sessionm_code = c.code,
                sessionm_message = c.message, updated_at = now()
            FROM unnest(?::bigint[], ?::text[], ?::int[], ?::text[], ?::text[]) AS c(user_seq, state, status, code, message)
            WHERE u.job_instance_id = ? AND u.user_seq = c.user_seq""";

    private static final String REJECTED = """
            SELECT identifier, sessionm_status, sessionm_code, sessionm_message, updated_at
            FROM sync_user WHERE job_instance_id = ? AND state = %s ORDER BY user_seq"""
        .formatted(LedgerState.REJECTED.literal());

    /**
     * One batch of {@link #pruneBatch}: the next {@code limit} rows of the sync by
     * position (the primary key's order, so each batch reads a range of its index, not
     * the whole sync again), of which those a person may still have to look at stay.
     */
    private static final String PRUNE_BATCH = """
            WITH batch AS (
                SELECT max(user_seq) AS last_user_seq FROM (
                    SELECT user_seq FROM sync_user WHERE job_instance_id = ? AND user_seq > ? ORDER BY user_seq LIMIT ?) AS b),
            pruned AS (
                DELETE FROM sync_user AS u USING batch
                WHERE u.job_instance_id = ? AND u.user_seq > ? AND u.user_seq <= batch.last_user_seq
                  AND u.state NOT IN (%s)
                RETURNING 1)
            SELECT (SELECT last_user_seq FROM batch), (SELECT count(*) FROM pruned)"""
        .formatted(LedgerState.keptAfterPruningLiterals());

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

    /** Like {@link #stage(long, List, SendReason)}, for a sync that sends every user. */
    public void stage(long jobInstanceId, List<ExportUser> users) {
        stage(jobInstanceId, users, SendReason.FULL);
    }

    /**
     * Adds one row per user to the ledger in the caller's transaction, duplicates
     * included: see {@link #removeDuplicates}. A line staged before (a resumed run can
     * read a few lines again) is not added twice. The users go in with a plain insert
     * under a savepoint, and only when that meets a line staged before is it rolled back
     * and done again skipping those: a constant number of round trips either way.
     * @param reason why every user is sent, when the plan sends everyone; null when the
     * plan decides user by user
     */
    public void stage(long jobInstanceId, List<ExportUser> users, SendReason reason) {
        if (users.isEmpty()) {
            return;
        }
        // What the chunk commits is its users together with the reader's position: should
        // PostgreSQL lose the last
        // commits in a crash, it loses both, and the resumed run reads those lines again.
        // Not waiting for each commit
        // to reach the disk is then safe, and saves a wait per chunk.
        jdbc.execute("SET LOCAL synchronous_commit = off");
        String[] identifiers = users.stream().map(ExportUser::identifier).toArray(String[]::new);
        Long[] positions = users.stream().map(ExportUser::position).toArray(Long[]::new);
        // Members of the offers job come with who they are in Braze (their parser reads
        // it for every user, or none).
        String[][] profiles = users.get(0).profile() == null ? null
                : new String[][] { users.stream().map(user -> user.profile().field()).toArray(String[]::new),
                        users.stream().map(user -> user.profile().id()).toArray(String[]::new),
                        users.stream().map(user -> user.profile().language()).toArray(String[]::new) };
        try {
            // Lines read twice are rare: a plain insert costs PostgreSQL half of ON
            // CONFLICT's work per row.
            savepoint.executeWithoutResult(status -> jdbc
                .update(connection -> stageStatement(connection, profiles == null ? STAGE : STAGE_MEMBERS,
                        jobInstanceId, reason, identifiers, positions, profiles)));
        }
        catch (DuplicateKeyException stagedBefore) {
            jdbc.update(connection -> stageStatement(connection,
                    profiles == null ? STAGE_UNSTAGED_ONLY : STAGE_MEMBERS_UNSTAGED_ONLY, jobInstanceId, reason,
                    identifiers, positions, profiles));
        }
    }

    private static PreparedStatement stageStatement(Connection connection, String sql, long jobInstanceId,
            SendReason reason, String[] identifiers, Long[] positions, String[][] profiles) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setLong(1, jobInstanceId);
        statement.setString(2, reason == null ? null : reason.name());
        statement.setArray(3, connection.createArrayOf("text", identifiers));
        statement.setArray(4, connection.createArrayOf("bigint", positions));
        if (profiles != null) {
            for (int i = 0; i < profiles.length; i++) {
                statement.setArray(5 + i, connection.createArrayOf("text", profiles[i]));
            }
        }
        return statement;
    }

    /**
     * Leaves one row per identifier, the first in export order, in one statement of the
     * caller's transaction. Each row removed is recorded as a skipped line that names the
     * line it repeats; {@code objectKeyPrefix} is what the keys of the export's objects
     * begin with. Returns how many rows were removed.
     */
    public int removeDuplicates(long jobInstanceId, String objectKeyPrefix) {
        jdbc.queryForList(REMOVE_DUPLICATES_SETTINGS);
        return jdbc.update(REMOVE_DUPLICATES, jobInstanceId, jobInstanceId, jobInstanceId, jobInstanceId,
                objectKeyPrefix, SkipReason.DUPLICATE_USER.code(), objectKeyPrefix, jobInstanceId, jobInstanceId);
    }

    /**
     * Commits, on its own and whatever happens to the caller's transaction, that the
     * {@code sending} users are about to be called and what became of the
     * {@code completed} ones.
     */
    public void record(long jobInstanceId, List<Long> sending, List<Completion> completed) {
        if (sending.isEmpty() && completed.isEmpty()) {
            return;
        }
        independentTransaction.executeWithoutResult(status -> recordInTransaction(jobInstanceId, sending, completed));
    }

    /**
     * Like {@link #record}, in the caller's transaction: for a caller that commits more
     * with it (the audience's state).
     */
    public void recordInTransaction(long jobInstanceId, List<Long> sending, List<Completion> completed) {
        if (!sending.isEmpty()) {
            markSending(jobInstanceId, sending);
        }
        if (!completed.isEmpty()) {
            complete(jobInstanceId, completed);
        }
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
            statement.setArray(1,
                    array(connection, "bigint", completions.stream().map(Completion::userSeq).toArray(Long[]::new)));
            statement.setArray(2,
                    array(connection, "text", completions.stream().map(c -> c.state().name()).toArray(String[]::new)));
            statement.setArray(3, array(connection, "int4",
                    completions.stream().map(Completion::httpStatus).toArray(Integer[]::new)));
            statement.setArray(4, array(connection, "text",
                    completions.stream().map(c -> clip(c.code(), 100)).toArray(String[]::new)));
            statement.setArray(5, array(connection, "text",
                    completions.stream().map(c -> clip(c.message(), 500)).toArray(String[]::new)));
            statement.setLong(6, jobInstanceId);
            return statement;
        });
    }

    private static Array array(Connection connection, String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }

    /**
     * Calls {@code consumer} for up to {@code limit} users to send after
     * {@code afterUserSeq}, in export order, streaming; with the tags each is sent, null
     * for all of the sync's.
     */
    public void forEachUserAfter(long jobInstanceId, long afterUserSeq, int limit, UserConsumer consumer) {
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    SELECT user_seq, identifier, tags_due FROM sync_user AS u
                    WHERE job_instance_id = ? AND user_seq > ? AND %s ORDER BY user_seq LIMIT ?"""
                .formatted(TO_SEND.formatted("u")));
            // A round trip per 10,000 users (about 300 KB) rather than per 1,000: reading
            // back a million users waits less.
            statement.setFetchSize(10_000);
            statement.setLong(1, jobInstanceId);
            statement.setLong(2, afterUserSeq);
            statement.setInt(3, limit);
            return statement;
        }, rs -> {
            consumer.accept(rs.getLong(1), rs.getString(2), tags(rs.getArray(3)));
        });
    }

    /**
     * What an export's plan of the difference decides, user by user, against the
     * audience's {@code state}: per tag of {@code tags}, a member not in it (or back
     * after leaving) is entering; one SessionM refused, or whose call may have landed, is
     * retried (the latter settled by reading its tags first: it is marked
     * {@code SENDING}); an expiring tag ending before {@code refreshDueBefore} is
     * refreshed (null for counter tags, never refreshed); a counter tag that was an
     * expiring one and has ended is entering again. A user's reason is the first of these
     * for any of its tags, and it is sent the tags that need it ({@code tags_due}, null
     * for all). Members who need nothing keep no reason.
     * <p>
     * One set-based pass in the caller's transaction: the decisions are computed into a
     * temporary table, where PostgreSQL reads the staged users and the state in parallel
     * (never in an UPDATE), then written to the users that need something, usually a
     * small part of the export. Returns the users by reason.
     */
    public Map<SendReason, Long> planDifference(long jobInstanceId, SyncAudienceMemberTagRepository.StateSource state,
            List<String> tags, Instant runStart, Instant refreshDueBefore) {
        jdbc.queryForList(PLAN_SETTINGS);
        List<Object> parameters = new ArrayList<>(state.parameters());
        Object dueBefore = SqlParameters.nullable(refreshDueBefore == null ? null : Timestamp.from(refreshDueBefore));
        parameters.addAll(
                List.of(dueBefore, dueBefore, Timestamp.from(runStart), tags.toArray(String[]::new), jobInstanceId));
        jdbc.update(SqlParameters.statement(PLAN.formatted(state.sql()), parameters));
        jdbc.update(WRITE_PLAN, tags.size(), jobInstanceId);
        Map<SendReason, Long> counts = new EnumMap<>(SendReason.class);
        jdbc.query("SELECT reason, count(*) FROM audience_plan GROUP BY reason", rs -> {
            counts.put(SendReason.valueOf(rs.getString(1)), rs.getLong(2));
        });
        jdbc.execute("DROP TABLE audience_plan");
        return counts;
    }

    @FunctionalInterface
    public interface UserConsumer {

        /**
         * @param tags the tags the user is sent; null for all of the sync's
         */
        void accept(long userSeq, String identifier, List<String> tags);

    }

    private static List<String> tags(Array tags) throws SQLException {
        return tags == null ? null : List.of((String[]) tags.getArray());
    }

    /**
     * Brings PostgreSQL's statistics of the ledger up to date with the users just staged.
     * Planned with the figures from before staging, where this sync had no rows,
     * recording outcomes picks a plan that reads every row of the sync for each batch
     * (hundreds of milliseconds per round trip at a hundred thousand users), and so does
     * reading the users back into the bulk file, part after part.
     */
    public void refreshPlannerStatistics() {
        jdbc.execute("ANALYZE sync_user");
    }

    public long userCount(long jobInstanceId) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_user WHERE job_instance_id = ?", Long.class,
                jobInstanceId);
    }

    /** Users the sync sends (or writes to the bulk file). */
    public long toSendCount(long jobInstanceId) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM sync_user AS u WHERE job_instance_id = ? AND " + TO_SEND.formatted("u"),
                Long.class, jobInstanceId);
    }

    /**
     * Rows the bulk file of the sync holds: one per user it sends and tag it is sent,
     * {@code allTags} for all of them.
     */
    public long rowsToWrite(long jobInstanceId, int allTags) {
        return jdbc.queryForObject(
                "SELECT coalesce(sum(coalesce(cardinality(tags_due), ?)), 0) FROM sync_user AS u"
                        + " WHERE job_instance_id = ? AND " + TO_SEND.formatted("u"),
                Long.class, allTags, jobInstanceId);
    }

    /** Every user of the sync by state. */
    public Map<LedgerState, Long> countByState(long jobInstanceId) {
        return countByState(jobInstanceId, false);
    }

    /**
     * The users of the sync by state; {@code toSendOnly}: only those it sends, for a sync
     * whose plan sends the difference, whose other users are members who need nothing
     * (they stay {@code STAGED}).
     */
    public Map<LedgerState, Long> countByState(long jobInstanceId, boolean toSendOnly) {
        Map<LedgerState, Long> counts = new EnumMap<>(LedgerState.class);
        for (LedgerState state : LedgerState.values()) {
            counts.put(state, 0L);
        }
        jdbc.query("SELECT state, count(*) FROM sync_user AS u WHERE job_instance_id = ?"
                + (toSendOnly ? " AND " + TO_SEND.formatted("u") : "") + " GROUP BY state", rs -> {
                    counts.put(LedgerState.valueOf(rs.getString(1)), rs.getLong(2));
                }, jobInstanceId);
        return counts;
    }

    /**
     * Up to {@code limit} identifiers sent for {@code reason} (null: of users who need
     * nothing), in export order.
     */
    public List<String> firstIdentifiers(long jobInstanceId, SendReason reason, int limit) {
        return jdbc.queryForList("SELECT identifier FROM sync_user WHERE job_instance_id = ? AND "
                + (reason == null ? "send_reason IS NULL" : "send_reason = " + reason.literal())
                + " ORDER BY user_seq LIMIT ?", String.class, jobInstanceId, limit);
    }

    /**
     * Gives every user of a sync that was staged before plans existed the reason to be
     * sent it had then: all of them (a sync started before an upgrade and resumed after).
     * Returns how many.
     */
    public int sendEveryone(long jobInstanceId, SendReason reason) {
        return jdbc.update("UPDATE sync_user SET send_reason = ? WHERE job_instance_id = ? AND send_reason IS NULL",
                reason.name(), jobInstanceId);
    }

    /**
     * What one batch of pruning did: the position it reached (null once past the last
     * row), and the rows it deleted.
     */
    public record PrunedBatch(Long lastUserSeq, long deleted) {
    }

    /**
     * Deletes, in the caller's transaction, the rows among the next {@code limit} of the
     * sync after position {@code afterUserSeq} (-1 for the first batch), except those of
     * users refused or left in doubt, which are kept as long as the execution is. For a
     * sync that can never run again: see {@code sync.ledger-retention}.
     */
    public PrunedBatch pruneBatch(long jobInstanceId, long afterUserSeq, int limit) {
        return jdbc.queryForObject(PRUNE_BATCH, (rs, row) -> new PrunedBatch((Long) rs.getObject(1), rs.getLong(2)),
                jobInstanceId, afterUserSeq, limit, jobInstanceId, afterUserSeq);
    }

    /**
     * Rejected users by SessionM error code (or HTTP status where SessionM gave no code),
     * most frequent first.
     */
    public Map<String, Long> rejectionsByCode(long jobInstanceId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("""
                SELECT coalesce(sessionm_code, 'http_' || sessionm_status, 'unknown') AS code, count(*) AS users
                FROM sync_user WHERE job_instance_id = ? AND state = %s
                GROUP BY 1 ORDER BY 2 DESC, 1""".formatted(LedgerState.REJECTED.literal()), rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        }, jobInstanceId);
        return counts;
    }

    /**
     * Users whose outcome (tagged, already tagged, in doubt, rejected) was recorded from
     * {@code from} on, counted per interval of {@code intervalMillis}: element i counts
     * [from + i x interval, from + (i + 1) x interval). The pace of a sync over time, as
     * the console's throughput chart draws it; outcomes past the last interval are left
     * out.
     */
    public long[] outcomesPerInterval(long jobInstanceId, Instant from, long intervalMillis, int intervals) {
        long[] counts = new long[intervals];
        Timestamp start = Timestamp.from(from);
        Timestamp end = Timestamp.from(from.plusMillis(intervalMillis * intervals));
        jdbc.query("""
                SELECT floor(extract(epoch FROM updated_at - ?) * 1000 / ?)::int AS interval, count(*)
                FROM sync_user WHERE job_instance_id = ? AND state NOT IN (%s) AND updated_at >= ? AND updated_at < ?
                GROUP BY 1""".formatted(LedgerState.pendingLiterals()), rs -> {
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

    /**
     * Every rejected user, in export order, streamed from PostgreSQL rather than read
     * into memory first.
     */
    public void forEachRejectedUser(long jobInstanceId, Consumer<RejectedUser> consumer) {
        Streaming.forEachRow(jdbc, readOnly, REJECTED, jobInstanceId, rs -> consumer.accept(rejectedUser(rs)));
    }

    private static RejectedUser rejectedUser(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp(5);
        return new RejectedUser(rs.getString(1), (Integer) rs.getObject(2), rs.getString(3), rs.getString(4),
                at == null ? null : at.toInstant());
    }

    /**
     * Reads the users of a sync still to tag, in export order, a page at a time;
     * restartable, as Spring Batch saves the last {@code user_seq} read in the step's
     * execution context under {@code name}.
     */
    public JdbcPagingItemReader<LedgerEntry> pendingUsersReader(String name, long jobInstanceId, int pageSize)
            throws Exception {
        return new JdbcPagingItemReaderBuilder<LedgerEntry>().name(name)
            .dataSource(jdbc.getDataSource())
            .selectClause("SELECT user_seq, identifier, state, tags_due")
            .fromClause("FROM sync_user AS u")
            .whereClause("WHERE job_instance_id = :jobInstanceId AND state IN (" + LedgerState.pendingLiterals()
                    + ") AND " + TO_SEND.formatted("u"))
            .parameterValues(Map.of("jobInstanceId", jobInstanceId))
            .sortKeys(Map.of("user_seq", Order.ASCENDING))
            .pageSize(pageSize)
            .rowMapper((rs, row) -> new LedgerEntry(rs.getLong("user_seq"), rs.getString("identifier"),
                    LedgerState.valueOf(rs.getString("state")), tags(rs.getArray("tags_due"))))
            .build();
    }

    // ---- the offers job's members

    /**
     * The outcome of one member's wallet, as it is to be recorded: SessionM's refusal of
     * the read (status, code, message), or what became of its write to Braze
     * ({@code brazeMessage} when Braze did not take it).
     *
     * @param writtenAgain the member's attributes were written while an earlier request
     * carrying them may have landed
     */
    public record WalletCompletion(long userSeq, LedgerState state, Integer sessionmStatus, String sessionmCode,
            String sessionmMessage, String brazeMessage, boolean writtenAgain) {

        public static WalletCompletion of(long userSeq, LedgerState state) {
            return new WalletCompletion(userSeq, state, null, null, null, null, false);
        }
    }

    /**
     * Records the outcomes of members' wallets in the caller's transaction (the chunk's,
     * with the audience's state that follows them): one round trip whatever their number.
     */
    public void recordWalletOutcomes(long jobInstanceId, List<WalletCompletion> completions) {
        if (completions.isEmpty()) {
            return;
        }
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(COMPLETE_WALLETS);
            statement.setArray(1, array(connection, "bigint",
                    completions.stream().map(WalletCompletion::userSeq).toArray(Long[]::new)));
            statement.setArray(2,
                    array(connection, "text", completions.stream().map(c -> c.state().name()).toArray(String[]::new)));
            statement.setArray(3, array(connection, "int4",
                    completions.stream().map(WalletCompletion::sessionmStatus).toArray(Integer[]::new)));
            statement.setArray(4, array(connection, "text",
                    completions.stream().map(c -> clip(c.sessionmCode(), 100)).toArray(String[]::new)));
            statement.setArray(5, array(connection, "text",
                    completions.stream().map(c -> clip(c.sessionmMessage(), 500)).toArray(String[]::new)));
            statement.setArray(6, array(connection, "text",
                    completions.stream().map(c -> clip(c.brazeMessage(), 500)).toArray(String[]::new)));
            statement.setArray(7, array(connection, "boolean",
                    completions.stream().map(c -> c.writtenAgain() ? Boolean.TRUE : null).toArray(Boolean[]::new)));
            statement.setLong(8, jobInstanceId);
            return statement;
        });
    }

    /**
     * Reads the members of an offers run whose wallet is still to be read, in export
     * order, a page at a time; restartable like {@link #pendingUsersReader}.
     */
    public JdbcPagingItemReader<WalletMember> pendingMembersReader(String name, long jobInstanceId, int pageSize)
            throws Exception {
        return new JdbcPagingItemReaderBuilder<WalletMember>().name(name)
            .dataSource(jdbc.getDataSource())
            .selectClause("SELECT user_seq, identifier, state, braze_user_field, braze_user_id, language")
            .fromClause("FROM sync_user")
            .whereClause("WHERE job_instance_id = :jobInstanceId AND state IN (" + LedgerState.pendingLiterals() + ")")
            .parameterValues(Map.of("jobInstanceId", jobInstanceId))
            .sortKeys(Map.of("user_seq", Order.ASCENDING))
            .pageSize(pageSize)
            .rowMapper((rs, row) -> new WalletMember(rs.getLong("user_seq"), rs.getString("identifier"),
                    LedgerState.valueOf(rs.getString("state")), rs.getString("braze_user_field"),
                    rs.getString("braze_user_id"), rs.getString("language")))
            .build();
    }

    /**
     * Members whose attributes were written while an earlier request carrying them may
     * have landed.
     */
    public long writtenAgainCount(long jobInstanceId) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_user WHERE job_instance_id = ? AND written_again",
                Long.class, jobInstanceId);
    }

    /** Members Braze did not take, by its message: the five most frequent. */
    public Map<String, Long> refusalsByMessage(long jobInstanceId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query(
                """
                        SELECT coalesce(braze_message, 'unknown'), count(*) FROM sync_user WHERE job_instance_id = ? AND state = %s
                        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"""
                    .formatted(LedgerState.REFUSED.literal()),
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                }, jobInstanceId);
        return counts;
    }

    /** Up to {@code limit} identifiers of users in {@code state}, in export order. */
    public List<String> firstIdentifiersIn(long jobInstanceId, LedgerState state, int limit) {
        return jdbc.queryForList("SELECT identifier FROM sync_user WHERE job_instance_id = ? AND state = "
                + state.literal() + " ORDER BY user_seq LIMIT ?", String.class, jobInstanceId, limit);
    }

    static String clip(String text, int max) {
        if (text == null) {
            return null;
        }
        String printable = text.codePoints()
            .map(c -> Character.isISOControl(c) ? '?' : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
        return printable.length() <= max ? printable : printable.substring(0, max - 1) + "…";
    }

}
