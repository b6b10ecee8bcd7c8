package com.loyaltybridge.tagsync.config;

import java.util.Map;
import java.util.Optional;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Sizes the PostgreSQL connection pool from the number of syncs one process runs at once
 * ({@code api.max-concurrent-syncs}). A sync holds up to {@value #CONNECTIONS_PER_SYNC}
 * connections at a time: its run lock's, for the whole run; its chunk transaction's; and
 * one for the ledger's own transactions (intents and outcomes commit whatever happens to
 * the chunk) and the run lock check, taken while the chunk's is held. A pool smaller than
 * that for every sync lets syncs wait for connections only another waiting sync could
 * give back, until the pool's timeout fails them. {@value #RESERVE} more serve the API's
 * reads, health checks and the progress log.
 * <p>
 * Unset, the pool gets what the syncs need (at least Hikari's default of 10); set, it
 * must be at least that, which the command line's settings check enforces with
 * {@link #problemWith}.
 */
public final class DatabasePoolSizing implements EnvironmentPostProcessor {

    public static final String POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";
    static final String MAX_CONCURRENT_SYNCS = "api.max-concurrent-syncs";
    static final int CONNECTIONS_PER_SYNC = 3;
    static final int RESERVE = 4;

    private static final int HIKARI_DEFAULT = 10;

    private static final int DEFAULT_CONCURRENT_SYNCS = 2;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (configuredPoolSize(environment).isEmpty()) {
            int size = Math.max(HIKARI_DEFAULT, required(environment));
            environment.getPropertySources()
                .addLast(new MapPropertySource("connection pool sized for the syncs", Map.of(POOL_SIZE, size)));
        }
    }

    /**
     * Why the configured pool is too small for the syncs, in one line; empty when it is
     * large enough.
     */
    public static Optional<String> problemWith(ConfigurableEnvironment environment) {
        int required = required(environment);
        return configuredPoolSize(environment).filter(size -> size < required)
            .map(size -> POOL_SIZE + "=" + size + " is too small for " + MAX_CONCURRENT_SYNCS + "="
                    + concurrentSyncs(environment) + ": each sync holds up to " + CONNECTIONS_PER_SYNC
                    + " connections, plus " + RESERVE + " for the API; set at least " + required
                    + " or leave it unset");
    }

    private static int required(ConfigurableEnvironment environment) {
        return CONNECTIONS_PER_SYNC * concurrentSyncs(environment) + RESERVE;
    }

    private static int concurrentSyncs(ConfigurableEnvironment environment) {
        // A malformed value is the settings check's to report, naming the setting: here
        // it counts as the default.
        try {
            return Binder.get(environment).bind(MAX_CONCURRENT_SYNCS, Integer.class).orElse(DEFAULT_CONCURRENT_SYNCS);
        }
        catch (RuntimeException malformed) {
            return DEFAULT_CONCURRENT_SYNCS;
        }
    }

    private static Optional<Integer> configuredPoolSize(ConfigurableEnvironment environment) {
        try {
            return Optional.ofNullable(Binder.get(environment).bind(POOL_SIZE, Integer.class).orElse(null));
        }
        catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

}
