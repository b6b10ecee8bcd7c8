package com.loyaltybridge.tagsync.bench;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import com.loyaltybridge.tagsync.ledger.SyncUserRepository;

/**
 * The sync with the exactly-once ledger switched off, for the benchmark only: intents and outcomes are not
 * recorded, so nothing protects against sending twice after a crash. Given to the sync as an extra source
 * ({@code --spring.main.sources}); deliberately not a component, so that scanning never finds it.
 */
public class LedgerOff {

    @Bean
    SyncUserRepository userLedger(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        return new SyncUserRepository(jdbc, transactionManager) {
            @Override
            public void record(long jobInstanceId, List<Long> sending, List<Completion> completed) {
                // Off: the calls go out unrecorded.
            }
        };
    }
}
