package com.loyaltybridge.tagsync.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

import org.springframework.jdbc.core.PreparedStatementCreator;

/**
 * Statements whose parameters are composed from several parts (a plan's query over a
 * state source, say): a list of values where a {@code String[]} is a text array and
 * {@link #nullable} marks a bigint or a timestamp that may be null, which JDBC can only
 * send with its type.
 */
final class SqlParameters {

    private static final Object NULL_BIGINT = new Object();

    private static final Object NULL_TIMESTAMP = new Object();

    private SqlParameters() {
    }

    static Object nullable(Long value) {
        return value == null ? NULL_BIGINT : value;
    }

    static Object nullable(java.sql.Timestamp value) {
        return value == null ? NULL_TIMESTAMP : value;
    }

    static PreparedStatementCreator statement(String sql, List<Object> parameters) {
        return connection -> bind(connection, connection.prepareStatement(sql), parameters);
    }

    static PreparedStatement bind(Connection connection, PreparedStatement statement, List<Object> parameters)
            throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object parameter = parameters.get(i);
            if (parameter instanceof String[] texts) {
                statement.setArray(i + 1, connection.createArrayOf("text", texts));
            }
            else if (parameter == NULL_BIGINT) {
                statement.setNull(i + 1, Types.BIGINT);
            }
            else if (parameter == NULL_TIMESTAMP) {
                statement.setNull(i + 1, Types.TIMESTAMP_WITH_TIMEZONE);
            }
            else {
                statement.setObject(i + 1, parameter);
            }
        }
        return statement;
    }

}
