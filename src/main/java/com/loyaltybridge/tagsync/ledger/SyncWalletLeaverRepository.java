package com.loyaltybridge.tagsync.ledger;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Members of a wallet audience that the export of a run no longer holds (table
 * {@code sync_wallet_leaver}): recorded once the export is staged, then cleared in Braze
 * as the run's members are written, with the same intents and outcomes ({@code STAGED},
 * {@code SENDING}, {@code WRITTEN}, {@code REFUSED}; {@code UNCHANGED} when clearing is
 * off).
 */
@Repository
public class SyncWalletLeaverRepository {

    private static final String MARK_SENDING = """
            UPDATE sync_wallet_leaver SET state = %s, updated_at = now()
            WHERE job_instance_id = ? AND identifier = ANY(?::text[]) AND state = %s"""
        .formatted(LedgerState.SENDING.literal(), LedgerState.STAGED.literal());

    private static final String COMPLETE = """
            UPDATE sync_wallet_leaver AS l
            SET state = c.state, braze_message = c.braze_message, written_again = c.written_again, updated_at = now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::boolean[]) AS c(identifier, state, braze_message, written_again)
            WHERE l.job_instance_id = ? AND l.identifier = c.identifier""";

    /**
     * One batch of {@link #pruneBatch}: the run's next {@code limit} leavers by
     * identifier (the primary key's order, so each batch reads a range of its index), of
     * which those Braze refused stay.
     */
    private static final String PRUNE_BATCH = """
            WITH batch AS (
                SELECT max(identifier) AS last_identifier FROM (
                    SELECT identifier FROM sync_wallet_leaver WHERE job_instance_id = ? AND identifier > ?
                    ORDER BY identifier LIMIT ?) AS b),
            pruned AS (
                DELETE FROM sync_wallet_leaver AS l USING batch
                WHERE l.job_instance_id = ? AND l.identifier > ? AND l.identifier <= batch.last_identifier
                  AND l.state NOT IN (%s)
                RETURNING 1)
            SELECT (SELECT last_identifier FROM batch), (SELECT count(*) FROM pruned)"""
        .formatted(LedgerState.keptAfterPruningLiterals());

    private final JdbcTemplate jdbc;

    private final TransactionTemplate independentTransaction;

    public SyncWalletLeaverRepository(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.independentTransaction = new TransactionTemplate(transactionManager);
        this.independentTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** A member who left, as read back to be cleared. */
    public record Leaver(String identifier, LedgerState state, String brazeUserField, String brazeUserId) {
    }

    /** What became of a leaver's clearing. */
    public record Cleared(String identifier, LedgerState state, String brazeMessage, boolean writtenAgain) {
    }

    /**
     * Records, in the caller's transaction, the members of the audience ({@code members})
     * that the export of {@code jobInstanceId} does not hold, in {@code state}; returns
     * how many were recorded now. A member recorded before keeps its row, so a resumed
     * run records only those it had not.
     */
    public int recordLeavers(long jobInstanceId, SyncAudienceMemberWalletRepository.Members members,
            LedgerState state) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(jobInstanceId);
        parameters.addAll(members.parameters());
        parameters.add(jobInstanceId);
        return jdbc.update(SqlParameters.statement(
                """
                        INSERT INTO sync_wallet_leaver (job_instance_id, identifier, braze_user_field, braze_user_id, state)
                        SELECT ?, m.identifier, m.braze_user_field, m.braze_user_id, %s FROM (%s) AS m
                        WHERE NOT EXISTS (SELECT 1 FROM sync_user AS u WHERE u.job_instance_id = ? AND u.identifier = m.identifier)
                        ON CONFLICT DO NOTHING"""
                    .formatted(state.literal(), members.sql()),
                parameters));
    }

    /**
     * Commits, on its own and whatever happens to the caller's transaction, that these
     * leavers are about to be cleared.
     */
    public void recordIntents(long jobInstanceId, List<String> identifiers) {
        if (identifiers.isEmpty()) {
            return;
        }
        independentTransaction.executeWithoutResult(status -> jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(MARK_SENDING);
            statement.setLong(1, jobInstanceId);
            statement.setArray(2, connection.createArrayOf("text", identifiers.toArray(String[]::new)));
            return statement;
        }));
    }

    /**
     * Records what became of the clearing of these leavers, in the caller's transaction.
     */
    public void recordOutcomes(long jobInstanceId, List<Cleared> cleared) {
        if (cleared.isEmpty()) {
            return;
        }
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(COMPLETE);
            statement.setArray(1,
                    connection.createArrayOf("text", cleared.stream().map(Cleared::identifier).toArray(String[]::new)));
            statement.setArray(2, connection.createArrayOf("text",
                    cleared.stream().map(c -> c.state().name()).toArray(String[]::new)));
            statement.setArray(3, connection.createArrayOf("text",
                    cleared.stream().map(c -> SyncUserRepository.clip(c.brazeMessage(), 500)).toArray(String[]::new)));
            statement.setArray(4, connection.createArrayOf("boolean",
                    cleared.stream().map(c -> c.writtenAgain() ? Boolean.TRUE : null).toArray(Boolean[]::new)));
            statement.setLong(5, jobInstanceId);
            return statement;
        });
    }

    /**
     * Reads the leavers of a run still to be cleared, by identifier; restartable like the
     * ledger's readers.
     */
    public JdbcPagingItemReader<Leaver> pendingLeaversReader(String name, long jobInstanceId, int pageSize)
            throws Exception {
        return new JdbcPagingItemReaderBuilder<Leaver>().name(name)
            .dataSource(jdbc.getDataSource())
            .selectClause("SELECT identifier, state, braze_user_field, braze_user_id")
            .fromClause("FROM sync_wallet_leaver")
            .whereClause("WHERE job_instance_id = :jobInstanceId AND state IN (" + LedgerState.pendingLiterals() + ")")
            .parameterValues(Map.of("jobInstanceId", jobInstanceId))
            .sortKeys(Map.of("identifier", Order.ASCENDING))
            .pageSize(pageSize)
            .rowMapper((rs, row) -> new Leaver(rs.getString("identifier"), LedgerState.valueOf(rs.getString("state")),
                    rs.getString("braze_user_field"), rs.getString("braze_user_id")))
            .build();
    }

    /** The leavers of a run by state. */
    public Map<LedgerState, Long> countByState(long jobInstanceId) {
        Map<LedgerState, Long> counts = new EnumMap<>(LedgerState.class);
        jdbc.query("SELECT state, count(*) FROM sync_wallet_leaver WHERE job_instance_id = ? GROUP BY state", rs -> {
            counts.put(LedgerState.valueOf(rs.getString(1)), rs.getLong(2));
        }, jobInstanceId);
        return counts;
    }

    /** Leavers cleared while an earlier request clearing them may have landed. */
    public long writtenAgainCount(long jobInstanceId) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM sync_wallet_leaver WHERE job_instance_id = ? AND written_again", Long.class,
                jobInstanceId);
    }

    /**
     * What one batch of pruning did: the identifier it reached (null once past the last
     * leaver), and the rows it deleted.
     */
    public record PrunedBatch(String lastIdentifier, long deleted) {
    }

    /**
     * Deletes, in the caller's transaction, the rows among the run's next {@code limit}
     * leavers after {@code afterIdentifier} ("" for the first batch), except those whose
     * clearing Braze refused, which are kept as long as the execution is. For a run that
     * can never run again: see {@code sync.ledger-retention}.
     */
    public PrunedBatch pruneBatch(long jobInstanceId, String afterIdentifier, int limit) {
        return jdbc.queryForObject(PRUNE_BATCH, (rs, row) -> new PrunedBatch(rs.getString(1), rs.getLong(2)),
                jobInstanceId, afterIdentifier, limit, jobInstanceId, afterIdentifier);
    }

    /** Up to {@code limit} of the run's leavers, by identifier. */
    public List<String> firstIdentifiers(long jobInstanceId, int limit) {
        return jdbc.queryForList(
                "SELECT identifier FROM sync_wallet_leaver WHERE job_instance_id = ? ORDER BY identifier LIMIT ?",
                String.class, jobInstanceId, limit);
    }

}
