package com.loyaltybridge.tagsync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The connection pool follows the number of syncs a process may run at once, unless an
 * operator sized it.
 */
class DatabasePoolSizingTest {

    @Test
    void anUnsetPoolGetsThreeConnectionsPerSyncPlusFourAndNeverLessThanHikarisDefault() {
        assertThat(poolSizeFor(Map.of())).isEqualTo("10");
        assertThat(poolSizeFor(Map.of("api.max-concurrent-syncs", "2"))).isEqualTo("10");
        assertThat(poolSizeFor(Map.of("api.max-concurrent-syncs", "5"))).isEqualTo("19");
    }

    @Test
    void aPoolTheOperatorSizedIsKeptAndRefusedOnlyWhenTooSmallForTheSyncs() {
        assertThat(poolSizeFor(Map.of("api.max-concurrent-syncs", "5", DatabasePoolSizing.POOL_SIZE, "40")))
            .isEqualTo("40");
        assertThat(DatabasePoolSizing
            .problemWith(environment(Map.of("api.max-concurrent-syncs", "5", DatabasePoolSizing.POOL_SIZE, "40"))))
            .isEmpty();
        assertThat(DatabasePoolSizing
            .problemWith(environment(Map.of("api.max-concurrent-syncs", "5", DatabasePoolSizing.POOL_SIZE, "12"))))
            .contains("spring.datasource.hikari.maximum-pool-size=12 is too small for"
                    + " api.max-concurrent-syncs=5: each sync holds up to 3 connections, plus 4 for the API; set at least 19"
                    + " or leave it unset");
    }

    private static String poolSizeFor(Map<String, Object> properties) {
        StandardEnvironment environment = environment(properties);
        new DatabasePoolSizing().postProcessEnvironment(environment, new SpringApplication());
        assertThat(DatabasePoolSizing.problemWith(environment)).isEmpty();
        return environment.getProperty(DatabasePoolSizing.POOL_SIZE);
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }

}
