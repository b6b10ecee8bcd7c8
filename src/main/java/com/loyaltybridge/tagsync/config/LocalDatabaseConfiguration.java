package com.loyaltybridge.tagsync.config;

import java.io.IOException;
import java.io.UncheckedIOException;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Profile {@code local}: runs the job with no database server to set up, on an embedded
 * PostgreSQL kept in a local folder. It is real PostgreSQL, so the local run executes
 * exactly the SQL of production, and state survives between runs (a failed local run
 * resumes like a real one).
 */
@Configuration(proxyBeanMethods = false)
@Profile(LocalDatabaseSettings.PROFILE)
class LocalDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(LocalDatabaseSettings settings) {
        try {
            return EmbeddedPostgres.builder()
                .setDataDirectory(settings.dataDirectory().toAbsolutePath())
                .setCleanDataDirectory(false)
                .start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + settings.dataDirectory(), e);
        }
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setPoolName("local");
        return new HikariDataSource(config);
    }

}
