package com.loyaltybridge.tagsync.support;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL the tests run against: a Testcontainers PostgreSQL 15 where Docker runs, and
 * otherwise the local server that {@code .ci/run} starts, reached through TEST_DATABASE_URL,
 * TEST_DATABASE_USERNAME and TEST_DATABASE_PASSWORD.
 */
public final class TestDatabase {

    private static final String POSTGRES_IMAGE = "postgres:15-alpine";

    private static volatile TestDatabase instance;

    private final String url;
    private final String username;
    private final String password;

    private TestDatabase(String url, String username, String password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    public static TestDatabase get() {
        if (instance == null) {
            synchronized (TestDatabase.class) {
                if (instance == null) {
                    instance = start();
                }
            }
        }
        return instance;
    }

    private static TestDatabase start() {
        if (System.getenv("TEST_DATABASE_URL") == null && DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
            container.start();
            return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        return new TestDatabase(
                env("TEST_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/tagsync_test"),
                env("TEST_DATABASE_USERNAME", "tagsync"),
                env("TEST_DATABASE_PASSWORD", "tagsync"));
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
