package com.loyaltybridge.tagsync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server of one test's own, on its own port and data directory, that the
 * test may stop and start again or whose connections it may terminate. Never the shared
 * server: other builds use that one.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final String USER = "postgres";

    private final Path dataDirectory;

    private final int port;

    private EmbeddedPostgres server;

    private PrivatePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    public static PrivatePostgres start() {
        try {
            PrivatePostgres postgres = new PrivatePostgres(Files.createTempDirectory("private-postgres-"), freePort());
            postgres.startAgain();
            return postgres;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the stopped server on the same port and data: to clients it is the same
     * database back again.
     */
    public void startAgain() {
        try {
            server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("the private PostgreSQL did not start", e);
        }
    }

    /**
     * Stops the server the way an administrator does ({@code pg_ctl stop -m fast}): every
     * session ends.
     */
    public void stop() {
        try {
            server.close();
            server = null;
        }
        catch (IOException e) {
            throw new UncheckedIOException("the private PostgreSQL did not stop", e);
        }
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /**
     * The settings that point the application at this server, with {@code password} (the
     * server trusts any).
     */
    public Map<String, String> springProperties(String password) {
        return Map.of("spring.datasource.url", url(), "spring.datasource.username", USER, "spring.datasource.password",
                password);
    }

    /**
     * A fresh connection per statement, so this template never holds one the server could
     * cut.
     */
    public JdbcTemplate jdbc() {
        return new JdbcTemplate(new DriverManagerDataSource(url(), USER, ""));
    }

    /**
     * Ends every other session of this server, as {@code pg_terminate_backend} does for
     * an administrator.
     */
    public int terminateConnections() {
        return jdbc().queryForObject("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()""", Integer.class);
    }

    /**
     * Ends only the sessions that hold advisory locks: a sync's run lock (one session
     * holds all its locks); returns how many.
     */
    public int terminateAdvisoryLockHolders() {
        return jdbc().queryForObject(
                """
                        SELECT count(pg_terminate_backend(pid)) FROM (SELECT DISTINCT pid FROM pg_locks
                            WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
                            AS holders""",
                Integer.class);
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            stop();
        }
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
