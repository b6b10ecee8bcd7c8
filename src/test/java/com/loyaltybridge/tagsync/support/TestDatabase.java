package com.loyaltybridge.tagsync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The real PostgreSQL the tests run against, found in this order:
 * <ol>
 * <li>TEST_DATABASE_URL (with TEST_DATABASE_USERNAME, TEST_DATABASE_PASSWORD): the server
 * {@code .ci/run} starts;</li>
 * <li>a Testcontainers PostgreSQL 15 where Docker runs;</li>
 * <li>a local server on 127.0.0.1:5432 with database, user and password
 * {@code tagsync_test}/{@code tagsync}/{@code tagsync};</li>
 * <li>an embedded PostgreSQL 15 started for this JVM, so {@code ./mvnw verify} also works
 * on a bare machine.</li>
 * </ol>
 */
public final class TestDatabase {

    private static final String POSTGRES_IMAGE = "postgres:15-alpine";

    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/tagsync_test";

    private static TestDatabase instance;

    private final String url;

    private final String username;

    private final String password;

    private TestDatabase(String url, String username, String password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestDatabase start() {
        String configured = System.getenv("TEST_DATABASE_URL");
        if (configured != null && !configured.isBlank()) {
            return new TestDatabase(configured, env("TEST_DATABASE_USERNAME", "tagsync"),
                    env("TEST_DATABASE_PASSWORD", "tagsync"));
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
            container.start();
            return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        if (reachable(LOCAL_URL, "tagsync", "tagsync")) {
            return new TestDatabase(LOCAL_URL, "tagsync", "tagsync");
        }
        return embedded();
    }

    private static TestDatabase embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                }
                catch (IOException e) {
                    // the JVM is ending; the embedded server's temporary files go with it
                }
            }));
            return new TestDatabase(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        }
        catch (IOException e) {
            throw new UncheckedIOException(
                    "no PostgreSQL for the tests: set TEST_DATABASE_URL, run Docker, or allow an embedded server", e);
        }
    }

    private static boolean reachable(String url, String username, String password) {
        try (Connection ignored = DriverManager.getConnection(url, username, password)) {
            return true;
        }
        catch (SQLException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public String url() {
        return url;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

}
