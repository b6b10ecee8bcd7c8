package com.loyaltybridge.tagsync.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL of the {@code local} profile.
 *
 * @param dataDirectory where its data lives between runs, so a local run can be resumed
 * like a real one
 */
@ConfigurationProperties("local-database")
public record LocalDatabaseSettings(@DefaultValue(".tagsync-local/postgres") Path dataDirectory) {

    /** The profile that runs on the embedded PostgreSQL. */
    public static final String PROFILE = "local";

}
