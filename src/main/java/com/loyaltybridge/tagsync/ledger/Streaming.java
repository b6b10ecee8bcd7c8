package com.loyaltybridge.tagsync.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reading every row of a sync from PostgreSQL a few at a time, for lists that may be long
 * (rejected users, skipped lines).
 */
final class Streaming {

    private static final int FETCH_SIZE = 1000;

    /** What to do with each row. */
    @FunctionalInterface
    interface RowHandler {

        void handle(ResultSet rs) throws SQLException;

    }

    private Streaming() {
    }

    static TransactionTemplate readOnly(PlatformTransactionManager transactionManager) {
        TransactionTemplate readOnly = new TransactionTemplate(transactionManager);
        readOnly.setReadOnly(true);
        return readOnly;
    }

    /**
     * Runs {@code sql}, whose one parameter is the job instance, and hands over each row
     * as it arrives.
     */
    static void forEachRow(JdbcTemplate jdbc, TransactionTemplate readOnly, String sql, long jobInstanceId,
            RowHandler handler) {
        // PostgreSQL streams with a fetch size only inside a transaction; otherwise it
        // reads the whole result first.
        readOnly.executeWithoutResult(status -> jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(sql);
            statement.setFetchSize(FETCH_SIZE);
            statement.setLong(1, jobInstanceId);
            return statement;
        }, handler::handle));
    }

}
