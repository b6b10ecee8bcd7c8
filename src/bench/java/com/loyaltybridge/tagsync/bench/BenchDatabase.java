package com.loyaltybridge.tagsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL database the benchmark runs the sync against, migrated: the one {@code TEST_DATABASE_URL} names
 * (with {@code TEST_DATABASE_USERNAME}, {@code TEST_DATABASE_PASSWORD}), else an embedded PostgreSQL started for the
 * benchmark. Never the tests' shared fallbacks: every run starts by emptying the sync and job repository tables.
 */
final class BenchDatabase {

    private final String url;
    private final String username;
    private final String password;
    private final JdbcTemplate jdbc;

    BenchDatabase() {
        String configured = System.getenv("TEST_DATABASE_URL");
        if (configured != null && !configured.isBlank()) {
            url = configured;
            username = environment("TEST_DATABASE_USERNAME", "tagsync");
            password = environment("TEST_DATABASE_PASSWORD", "tagsync");
        } else {
            EmbeddedPostgres embedded = startEmbedded();
            url = embedded.getJdbcUrl("postgres", "postgres");
            username = "postgres";
            password = "postgres";
        }
        DataSource dataSource = new DriverManagerDataSource(url, username, password);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
    }

    private static EmbeddedPostgres startEmbedded() {
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException e) {
                    // The benchmark is ending; the server's temporary files go with it.
                }
            }));
            return embedded;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an embedded PostgreSQL: set TEST_DATABASE_URL", e);
        }
    }

    private static String environment(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The sync's and Spring Batch's tables emptied, so each run starts as a first sync of a new audience. */
    void empty() {
        jdbc.execute("""
                TRUNCATE sync_user, sync_skipped_line, sync_bulk_file_part, sync_export_object, sync_audience,
                         sync_audience_member_tag, sync_plan, sync_left_user, sync_ledger_summary, batch_job_instance,
                         batch_job_execution, batch_job_execution_params, batch_job_execution_context,
                         batch_step_execution, batch_step_execution_context""");
    }

    /** Members of the latest run of the offers job whose wallet was read and written or found unchanged. */
    long walletsDone() {
        Long done = jdbc.queryForObject("""
                SELECT count(*) FROM sync_user WHERE state IN ('WRITTEN', 'UNCHANGED')
                  AND job_instance_id = (SELECT max(job_instance_id) FROM batch_job_instance)""", Long.class);
        return done == null ? 0 : done;
    }

    /** The offer wallets written for every audience, and the leavers of every run: the offers job's next run is a first. */
    void emptyWallets() {
        jdbc.execute("TRUNCATE sync_audience_member_wallet, sync_wallet_leaver");
    }

    /** Runs {@code sql} (a query of one row and one number) against the benchmark database. */
    long number(String sql, Object... arguments) {
        Long value = jdbc.queryForObject(sql, Long.class, arguments);
        return value == null ? 0 : value;
    }

    /** Runs {@code sql}, a statement, against the benchmark database. */
    void execute(String sql) {
        jdbc.execute(sql);
    }

    /** The first column of each row {@code sql} yields, as text. */
    java.util.List<String> lines(String sql) {
        return jdbc.query(sql, (rs, row) -> rs.getString(1));
    }

    /** Properties that make the sync use this database through the round-trip counting driver. */
    Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", CountingDriver.PREFIX + url.substring("jdbc:".length()));
        properties.put("spring.datasource.driver-class-name", CountingDriver.class.getName());
        properties.put("spring.datasource.username", username);
        properties.put("spring.datasource.password", password);
        return properties;
    }

    String describe() {
        return jdbc.queryForObject("SELECT version()", String.class).replaceFirst(" on .*", "") + " at "
                + url.substring(url.indexOf("//") + 2);
    }

    /** How long the last job execution took, and each of its steps, as Spring Batch recorded them. */
    JobTimes lastJob() {
        Map<String, StepTimes> steps = new LinkedHashMap<>();
        return jdbc.queryForObject("""
                SELECT job_execution_id, start_time, end_time, status FROM batch_job_execution
                ORDER BY job_execution_id DESC LIMIT 1""", (job, row) -> {
            jdbc.query("""
                    SELECT step_name, start_time, end_time, commit_count, write_count FROM batch_step_execution
                    WHERE job_execution_id = ? ORDER BY step_execution_id""", step -> {
                steps.put(step.getString(1), new StepTimes(between(step.getObject(2, LocalDateTime.class),
                        step.getObject(3, LocalDateTime.class)), step.getLong(4), step.getLong(5)));
            }, job.getLong(1));
            return new JobTimes(job.getString(4), between(job.getObject(2, LocalDateTime.class),
                    job.getObject(3, LocalDateTime.class)), steps);
        });
    }

    /** The position (object index and line) of the furthest user staged so far, or -1. */
    long furthestStagedPosition() {
        Long position = jdbc.queryForObject("""
                SELECT (SELECT user_seq FROM sync_user WHERE job_instance_id = i.job_instance_id ORDER BY user_seq DESC LIMIT 1)
                FROM (SELECT max(job_instance_id) AS job_instance_id FROM batch_job_instance) i""", Long.class);
        return position == null ? -1 : position;
    }

    private static Duration between(LocalDateTime start, LocalDateTime end) {
        return start == null || end == null ? Duration.ZERO : Duration.between(start, end);
    }

    record StepTimes(Duration duration, long commits, long writes) {
    }

    record JobTimes(String status, Duration duration, Map<String, StepTimes> steps) {

        StepTimes step(String name) {
            StepTimes step = steps.get(name);
            if (step == null) {
                throw new IllegalStateException("no step " + name + " in " + steps.keySet());
            }
            return step;
        }
    }
}
