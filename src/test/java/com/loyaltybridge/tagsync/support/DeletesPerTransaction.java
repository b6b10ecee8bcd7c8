package com.loyaltybridge.tagsync.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * While open, every statement that deletes from the given tables records its transaction
 * and the rows it deleted (a trigger per table): how a prune's work was cut into
 * transactions, as PostgreSQL saw it.
 */
public final class DeletesPerTransaction implements AutoCloseable {

    private final JdbcTemplate jdbc;

    private final List<String> tables;

    private DeletesPerTransaction(JdbcTemplate jdbc, List<String> tables) {
        this.jdbc = jdbc;
        this.tables = tables;
    }

    public static DeletesPerTransaction observe(JdbcTemplate jdbc, String... tables) {
        DeletesPerTransaction observer = new DeletesPerTransaction(jdbc, List.of(tables));
        observer.close();
        jdbc.execute("CREATE TABLE prune_observed (txid BIGINT, deleted BIGINT)");
        jdbc.execute("""
                CREATE FUNCTION prune_observe() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO prune_observed SELECT txid_current(), count(*) FROM deleted_rows;
                    RETURN NULL;
                END $$""");
        for (String table : tables) {
            jdbc.execute("CREATE TRIGGER prune_observe AFTER DELETE ON " + table
                    + " REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION prune_observe()");
        }
        return observer;
    }

    /**
     * The rows deleted from the observed tables, per transaction, in transaction order.
     */
    public Map<Long, Long> rowsByTransaction() {
        Map<Long, Long> rows = new LinkedHashMap<>();
        jdbc.query("SELECT txid, sum(deleted) FROM prune_observed GROUP BY txid ORDER BY txid", rs -> {
            rows.put(rs.getLong(1), rs.getLong(2));
        });
        return rows;
    }

    /** Drops the triggers and what they recorded (also whatever an aborted test left). */
    @Override
    public void close() {
        for (String table : tables) {
            jdbc.execute("DROP TRIGGER IF EXISTS prune_observe ON " + table);
        }
        jdbc.execute("DROP FUNCTION IF EXISTS prune_observe() CASCADE");
        jdbc.execute("DROP TABLE IF EXISTS prune_observed");
    }

}
