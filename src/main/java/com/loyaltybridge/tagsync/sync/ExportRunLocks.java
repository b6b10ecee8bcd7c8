package com.loyaltybridge.tagsync.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * One process at a time per sync, across machines: a PostgreSQL session advisory lock held on a
 * dedicated connection for the whole run. PostgreSQL releases it when that connection ends, so a
 * killed process never leaves a sync locked, and a run that gets the lock knows that any execution
 * still marked running belongs to a process that is gone.
 * <p>
 * The other side of that coin: when the lock's connection ends (PostgreSQL restarted, the connection was
 * terminated or timed out), the lock is gone although this process still runs. {@link #requireHeld()}
 * finds that out before more users are sent, so two processes never send the same sync at once.
 */
@Component
public class ExportRunLocks {

    private static final Logger log = LoggerFactory.getLogger(ExportRunLocks.class);

    private static final int LIVENESS_TIMEOUT_SECONDS = 10;

    private final DataSource dataSource;
    private final AtomicReference<RunLock> held = new AtomicReference<>();

    public ExportRunLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The lock for {@code name}, or empty when another process holds it. */
    public Optional<RunLock> tryAcquire(String name) {
        long key = keyOf(name);
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                statement.setLong(1, key);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        RunLock lock = new RunLock(connection, key);
                        held.set(lock);
                        return Optional.of(lock);
                    }
                }
            }
            connection.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new DataAccessResourceFailureException("could not take the run lock in PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * Returns if this process still holds the run lock it took: its connection still answers, and PostgreSQL keeps
     * a session's advisory lock for as long as the session lives.
     *
     * @throws RunLockLostException when the lock's connection has ended
     */
    public void requireHeld() {
        RunLock lock = held.get();
        if (lock == null) {
            throw new IllegalStateException("this process holds no sync run lock");
        }
        lock.requireAlive();
    }

    static long keyOf(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing a connection failed", e);
            }
        }
    }

    /** A held lock; closing it releases the lock and its connection. */
    public final class RunLock implements AutoCloseable {

        private final Connection connection;
        private final long key;

        private RunLock(Connection connection, long key) {
            this.connection = connection;
            this.key = key;
        }

        private void requireAlive() {
            boolean alive;
            try {
                alive = connection.isValid(LIVENESS_TIMEOUT_SECONDS);
            } catch (SQLException e) {
                alive = false;
            }
            if (!alive) {
                throw new RunLockLostException();
            }
        }

        @Override
        public void close() {
            held.compareAndSet(this, null);
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                statement.setLong(1, key);
                statement.execute();
                connection.close();
            } catch (SQLException e) {
                // A pooled connection must not go back to the pool still holding the lock: drop it instead.
                try {
                    connection.abort(Runnable::run);
                } catch (SQLException abortFailure) {
                    log.debug("aborting the lock connection failed", abortFailure);
                }
            }
        }
    }
}
