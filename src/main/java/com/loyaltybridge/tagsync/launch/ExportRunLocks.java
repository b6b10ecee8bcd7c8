package com.loyaltybridge.tagsync.launch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.sync.RunLockCheck;
import com.loyaltybridge.tagsync.sync.RunLockLostException;

/**
 * One process at a time per sync, across machines: a PostgreSQL session advisory lock
 * held on a dedicated connection for the whole run. PostgreSQL releases it when that
 * connection ends, so a killed process never leaves a sync locked, and a run that gets
 * the lock knows that any execution still marked running belongs to a process that is
 * gone.
 * <p>
 * The other side of that coin: when the lock's connection ends (PostgreSQL restarted, the
 * connection was terminated or timed out), the lock is gone although this process still
 * runs. A run finds that out before it sends more users ({@link #requireHeld}), so two
 * processes never send the same sync at once.
 * <p>
 * Several syncs run at once in one process ({@code serve}), each under its own lock. So
 * nothing of a lock lives in this bean: {@link #tryAcquire} hands the launcher a
 * {@link RunLock}, the launcher hands its {@link Holder} to the run (a job parameter,
 * {@link Holder#of}), and the run asks PostgreSQL whether that very session still holds
 * that very lock ({@link #forRun}).
 */
@Component
public class ExportRunLocks implements RunLockCheck {

    private static final Logger log = LoggerFactory.getLogger(ExportRunLocks.class);

    /**
     * The session that holds an advisory lock, as PostgreSQL shows it. A bigint key
     * appears as its high and low 32 bits (classid, objid, objsubid 1). The session is
     * told apart by its process id and start time, so a new session that reuses the
     * process id of an ended one is not mistaken for it.
     */
    private static final String STILL_HELD = """
            SELECT EXISTS (
                SELECT 1 FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                  AND l.classid = ?::bigint::oid AND l.objid = ?::bigint::oid
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.pid = ? AND (extract(epoch FROM a.backend_start) * 1000000)::bigint = ?)""";

    private final DataSource dataSource;

    private final JdbcTemplate jdbc;

    public ExportRunLocks(DataSource dataSource, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /**
     * The lock for {@code name}, and on the same connection those for {@code alsoNames};
     * empty when another process (or another run of this one) holds any of them. The run
     * checks only the first ({@link Holder}); closing releases them all.
     */
    public Optional<RunLock> tryAcquire(String name, String... alsoNames) {
        long key = keyOf(name);
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            Holder holder = null;
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT pg_try_advisory_lock(?), pg_backend_pid(),
                           (SELECT (extract(epoch FROM backend_start) * 1000000)::bigint
                            FROM pg_stat_activity WHERE pid = pg_backend_pid())""")) {
                statement.setLong(1, key);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        holder = new Holder(key, result.getInt(2), result.getLong(3));
                    }
                }
            }
            if (holder != null && tryAcquireAll(connection, alsoNames)) {
                return Optional.of(new RunLock(connection, holder));
            }
            releaseAll(connection);
            connection.close();
            return Optional.empty();
        }
        catch (SQLException e) {
            closeQuietly(connection);
            throw new DataAccessResourceFailureException("could not take the run lock in PostgreSQL: " + e.getMessage(),
                    e);
        }
    }

    private static boolean tryAcquireAll(Connection connection, String... names) throws SQLException {
        for (String name : names) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                statement.setLong(1, keyOf(name));
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (!result.getBoolean(1)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static void releaseAll(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock_all()")) {
            statement.execute();
        }
    }

    @Override
    public Runnable forRun(JobParameters parameters) {
        Holder holder = Holder.of(parameters);
        return () -> requireHeld(holder);
    }

    /**
     * Returns if the session of {@code holder} still holds its lock: PostgreSQL keeps a
     * session's advisory lock for as long as the session lives, and not a moment longer.
     * @throws RunLockLostException when that session has ended
     */
    public void requireHeld(Holder holder) {
        Boolean held = jdbc.queryForObject(STILL_HELD, Boolean.class, holder.key() >>> 32, holder.key() & 0xFFFF_FFFFL,
                holder.pid(), holder.sessionStartMicros());
        if (!Boolean.TRUE.equals(held)) {
            throw new RunLockLostException();
        }
    }

    static long keyOf(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException e) {
                log.debug("closing a connection failed", e);
            }
        }
    }

    /**
     * Which PostgreSQL session holds which lock: what a run needs to check its own lock,
     * in a form that travels as a job parameter ({@link #text()}, {@link #parse}).
     *
     * @param key the advisory lock's key
     * @param pid the holding session's backend process id
     * @param sessionStartMicros when that session started, in microseconds since the
     * epoch
     */
    public record Holder(long key, int pid, long sessionStartMicros) {

        /**
         * The job parameter that carries the holder of an execution's lock (not
         * identifying: each run has its own).
         */
        static final String JOB_PARAMETER = "runLock";

        /** {@code parameters} with this holder added. */
        JobParameters addTo(JobParameters parameters) {
            return new JobParametersBuilder(parameters).addString(JOB_PARAMETER, text(), false).toJobParameters();
        }

        /** The holder of the lock of the execution that runs with {@code parameters}. */
        static Holder of(JobParameters parameters) {
            String text = parameters.getString(JOB_PARAMETER);
            if (text == null) {
                throw new IllegalStateException("this execution was started without a run lock");
            }
            String[] parts = text.split(":");
            return new Holder(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
        }

        private String text() {
            return key + ":" + pid + ":" + sessionStartMicros;
        }
    }

    /** A held lock; closing it releases the lock and its connection. */
    public static final class RunLock implements AutoCloseable {

        private final Connection connection;

        private final Holder holder;

        private RunLock(Connection connection, Holder holder) {
            this.connection = connection;
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }

        @Override
        public void close() {
            try {
                releaseAll(connection);
                connection.close();
            }
            catch (SQLException e) {
                // A pooled connection must not go back to the pool still holding the
                // lock: drop it instead.
                try {
                    connection.abort(Runnable::run);
                }
                catch (SQLException abortFailure) {
                    log.debug("aborting the lock connection failed", abortFailure);
                }
            }
        }

    }

}
