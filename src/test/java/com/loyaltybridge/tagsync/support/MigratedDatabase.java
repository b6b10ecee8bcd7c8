package com.loyaltybridge.tagsync.support;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The test database with the application's schema applied from {@code db/migration} (as
 * the application does at start), for tests of repositories that need no application
 * context.
 */
public final class MigratedDatabase {

    private static volatile DataSource dataSource;

    private MigratedDatabase() {
    }

    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            TestDatabase database = TestDatabase.get();
            DataSource migrated = new DriverManagerDataSource(database.url(), database.username(), database.password());
            Flyway.configure().dataSource(migrated).locations("classpath:db/migration").load().migrate();
            dataSource = migrated;
        }
        return dataSource;
    }

    /** A fresh Spring Batch job instance to hang sync rows on; returns its id. */
    public static long newJobInstance(JdbcTemplate jdbc) {
        return jdbc.queryForObject("""
                INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key)
                VALUES (nextval('batch_job_instance_seq'), 0, 'test', md5(random()::text))
                RETURNING job_instance_id""", Long.class);
    }

}
