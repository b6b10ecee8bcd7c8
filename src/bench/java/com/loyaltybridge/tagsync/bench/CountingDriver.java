package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A JDBC driver for {@code jdbc:counting:postgresql://...} that hands every call to PgJDBC and counts the round
 * trips to PostgreSQL: each statement execution, commit, rollback and savepoint, with the time spent waiting for it, by SQL
 * text. The benchmark runs the sync with it (as {@code spring.datasource.driver-class-name}) and reads the
 * counts, written to the file named by the system property {@value #REPORT_PROPERTY} when the JVM ends.
 * Round trips made by fetching further rows of a cursor are not counted: the sync's cursors fetch few pages.
 * <p>
 * With {@value #EXPLAIN_PROPERTY} set (statement beginnings separated by {@code |}), each prepared statement that begins
 * so is run as {@code EXPLAIN (ANALYZE, BUFFERS)} of itself instead (which runs it), its plan appended to the file named
 * by {@value #EXPLAIN_REPORT_PROPERTY}; it then reports no rows changed, so use it where the caller does not count them.
 */
public final class CountingDriver implements Driver {

    static final String PREFIX = "jdbc:counting:";
    static final String REPORT_PROPERTY = "bench.round-trips-report";
    static final String EXPLAIN_PROPERTY = "bench.explain";
    static final String EXPLAIN_REPORT_PROPERTY = "bench.explain-report";
    private static final List<String> EXPLAINED = System.getProperty(EXPLAIN_PROPERTY) == null ? List.of()
            : List.of(System.getProperty(EXPLAIN_PROPERTY).split("\\|"));

    private static final Map<String, Tally> TALLIES = new ConcurrentHashMap<>();

    static {
        try {
            DriverManager.registerDriver(new CountingDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
        String report = System.getProperty(REPORT_PROPERTY);
        if (report != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> writeReport(Path.of(report))));
        }
    }

    private record Tally(LongAdder calls, LongAdder nanos) {

        void record(long elapsedNanos) {
            calls.increment();
            nanos.add(elapsedNanos);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection connection = DriverManager.getConnection("jdbc:" + url.substring(PREFIX.length()), info);
        return proxy(Connection.class, connection, new ConnectionHandler(connection));
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    /** One line per statement text: {@code calls<TAB>milliseconds<TAB>sql}, most called first. */
    static void writeReport(Path file) {
        String report = TALLIES.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Tally> entry) -> entry.getValue().calls().sum()).reversed())
                .map(entry -> String.format(Locale.ROOT, "%d\t%.1f\t%s", entry.getValue().calls().sum(),
                        entry.getValue().nanos().sum() / 1e6, entry.getKey()))
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.writeString(file, report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void count(String sql, long nanos) {
        TALLIES.computeIfAbsent(sql.replaceAll("\\s+", " ").strip(), key -> new Tally(new LongAdder(), new LongAdder()))
                .record(nanos);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(CountingDriver.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static final class ConnectionHandler implements InvocationHandler {

        /** Connection methods that talk to the server (PgJDBC sends savepoint commands as statements). */
        private static final java.util.Set<String> ROUND_TRIPS = java.util.Set.of("commit", "rollback", "setSavepoint",
                "releaseSavepoint");

        private final Connection connection;

        ConnectionHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("unwrap") || name.equals("isWrapperFor")) {
                return CountingDriver.invoke(connection, method, args);
            }
            if (ROUND_TRIPS.contains(name)) {
                long start = System.nanoTime();
                Object result = CountingDriver.invoke(connection, method, args);
                count(name.equals("rollback") && args != null ? "ROLLBACK TO SAVEPOINT" : name.toUpperCase(Locale.ROOT),
                        System.nanoTime() - start);
                return result;
            }
            if (name.equals("prepareStatement") && args != null && args[0] instanceof String sql && explained(sql)) {
                PreparedStatement explain = connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql);
                return proxy(PreparedStatement.class, explain, new ExplainHandler(explain, sql));
            }
            Object result = CountingDriver.invoke(connection, method, args);
            if (result instanceof CallableStatement statement) {
                return proxy(CallableStatement.class, statement, new StatementHandler(statement, (String) args[0]));
            }
            if (result instanceof PreparedStatement statement) {
                return proxy(PreparedStatement.class, statement, new StatementHandler(statement, (String) args[0]));
            }
            if (result instanceof Statement statement) {
                return proxy(Statement.class, statement, new StatementHandler(statement, null));
            }
            return result;
        }
    }

    private static boolean explained(String sql) {
        String normalized = sql.replaceAll("\\s+", " ").strip();
        return EXPLAINED.stream().anyMatch(normalized::startsWith);
    }

    /** A statement run as EXPLAIN ANALYZE of itself: its plan goes to the report, its caller sees no rows changed. */
    private static final class ExplainHandler implements InvocationHandler {

        private final PreparedStatement statement;
        private final String sql;

        ExplainHandler(PreparedStatement statement, String sql) {
            this.statement = statement;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (!method.getName().startsWith("execute")) {
                return CountingDriver.invoke(statement, method, args);
            }
            long start = System.nanoTime();
            StringBuilder plan = new StringBuilder("-- ").append(sql.replaceAll("\\s+", " ").strip()).append('\n');
            statement.execute();
            try (ResultSet rows = statement.getResultSet()) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            count(sql, System.nanoTime() - start);
            appendExplained(plan.append('\n').toString());
            return switch (method.getName()) {
                case "executeUpdate" -> 0;
                case "executeLargeUpdate" -> 0L;
                case "execute" -> false;
                default -> throw new SQLFeatureNotSupportedException(method.getName() + " of an explained statement");
            };
        }
    }

    private static synchronized void appendExplained(String plan) {
        try {
            Files.writeString(Path.of(System.getProperty(EXPLAIN_REPORT_PROPERTY)), plan, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class StatementHandler implements InvocationHandler {

        private final Statement statement;
        private final String preparedSql;

        StatementHandler(Statement statement, String preparedSql) {
            this.statement = statement;
            this.preparedSql = preparedSql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (!method.getName().startsWith("execute")) {
                return CountingDriver.invoke(statement, method, args);
            }
            String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : preparedSql;
            long start = System.nanoTime();
            try {
                return CountingDriver.invoke(statement, method, args);
            } finally {
                count(method.getName().equals("executeBatch") ? "BATCH " + sql : String.valueOf(sql), System.nanoTime() - start);
            }
        }
    }
}
