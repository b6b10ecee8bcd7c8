package com.loyaltybridge.tagsync.ledger;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Members of an audience that an export no longer holds (table {@code sync_left_user}),
 * recorded per sync by its plan so that they can be listed after the audience has moved
 * on.
 */
@Repository
public class SyncLeftUserRepository {

    private static final String LEFT = "SELECT identifier, tags FROM sync_left_user WHERE job_instance_id = ? ORDER BY identifier";

    private final JdbcTemplate jdbc;

    private final TransactionTemplate readOnly;

    public SyncLeftUserRepository(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.readOnly = Streaming.readOnly(transactionManager);
    }

    /** A member who left, with the tags it had from us. */
    public record LeftUser(String identifier, List<String> tags) {
    }

    /**
     * Records the members of {@code state} (those holding a tag from us) whose identifier
     * the export of {@code jobInstanceId} does not hold, in the caller's transaction;
     * returns how many. The anti join is computed into a temporary table first:
     * PostgreSQL runs it in parallel there, never in an INSERT.
     */
    public int recordLeavers(long jobInstanceId, SyncAudienceMemberTagRepository.StateSource state) {
        // In the caller's transaction only. A nested loop over the staged users for each
        // member, chosen from statistics
        // taken while the audience's state was still empty (its first sync just filled
        // it; autovacuum analyzes it within
        // minutes, a dry run can come sooner), took 102 s for 20,000 members in the
        // benchmark and grows with their
        // square; the hash anti join reads each side once.
        jdbc.queryForList("SELECT set_config('work_mem', '64MB', true), set_config('enable_nestloop', 'off', true)");
        List<Object> parameters = new ArrayList<>(state.parameters());
        parameters.add(jobInstanceId);
        jdbc.update(SqlParameters.statement(
                """
                        CREATE TEMPORARY TABLE left_member ON COMMIT DROP AS
                        SELECT s.identifier, array_agg(s.tag ORDER BY s.tag) AS tags FROM (%s) AS s
                        WHERE s.status IN (%s, %s)
                          AND NOT EXISTS (SELECT 1 FROM sync_user AS u WHERE u.job_instance_id = ? AND u.identifier = s.identifier)
                        GROUP BY s.identifier"""
                    .formatted(state.sql(), MemberTagStatus.TAGGED.literal(), MemberTagStatus.IN_DOUBT.literal()),
                parameters));
        int recorded = jdbc.update(
                """
                        INSERT INTO sync_left_user (job_instance_id, identifier, tags) SELECT ?, identifier, tags FROM left_member
                        ON CONFLICT DO NOTHING""",
                jobInstanceId);
        jdbc.execute("DROP TABLE left_member");
        return recorded;
    }

    public long count(long jobInstanceId) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_left_user WHERE job_instance_id = ?", Long.class,
                jobInstanceId);
    }

    /** One page of them, by identifier. */
    public List<LeftUser> leftUsers(long jobInstanceId, int limit, long offset) {
        return jdbc.query(LEFT + " LIMIT ? OFFSET ?", (rs, row) -> leftUser(rs), jobInstanceId, limit, offset);
    }

    /** Every one of them, by identifier, streamed from PostgreSQL. */
    public void forEachLeftUser(long jobInstanceId, Consumer<LeftUser> consumer) {
        Streaming.forEachRow(jdbc, readOnly, LEFT, jobInstanceId, rs -> consumer.accept(leftUser(rs)));
    }

    /**
     * The identifier that ends the next batch of at most {@code limit} of the sync's rows
     * after {@code afterIdentifier} ("" for the first), in the primary key's order; empty
     * once past the last. With {@link #deleteBatch}: pruning in bounded transactions.
     */
    public Optional<String> batchEnd(long jobInstanceId, String afterIdentifier, int limit) {
        return Optional.ofNullable(jdbc.queryForObject(
                """
                        SELECT max(identifier) FROM (
                            SELECT identifier FROM sync_left_user WHERE job_instance_id = ? AND identifier > ? ORDER BY identifier LIMIT ?) AS b""",
                String.class, jobInstanceId, afterIdentifier, limit));
    }

    /**
     * Deletes the sync's rows after {@code afterIdentifier} up to {@code lastIdentifier},
     * in the caller's transaction.
     */
    public int deleteBatch(long jobInstanceId, String afterIdentifier, String lastIdentifier) {
        return jdbc.update(
                "DELETE FROM sync_left_user WHERE job_instance_id = ? AND identifier > ? AND identifier <= ?",
                jobInstanceId, afterIdentifier, lastIdentifier);
    }

    private static LeftUser leftUser(ResultSet rs) throws SQLException {
        Array tags = rs.getArray(2);
        return new LeftUser(rs.getString(1), List.of((String[]) tags.getArray()));
    }

}
