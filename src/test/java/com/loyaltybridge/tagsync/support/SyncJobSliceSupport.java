package com.loyaltybridge.tagsync.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tests of the job and its launcher in the {@link SyncJobSlice}, against the test
 * PostgreSQL. Every such test shares one application context, started once.
 * {@code sync.auto-api-max-users} is 3, so that {@code auto} chooses the bulk file for a
 * handful of users.
 */
@SpringBootTest(classes = SyncJobSlice.class)
@SpringBatchTest
public abstract class SyncJobSliceSupport {

    @Autowired
    private JdbcTemplate sliceJdbc;

    @DynamicPropertySource
    static void testDatabase(DynamicPropertyRegistry registry) {
        TestDatabase database = TestDatabase.get();
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
        registry.add("sync.auto-api-max-users", () -> "3");
    }

    /**
     * Each test starts with no audience, as the end-to-end tests do: an export synced by
     * an earlier run of the suite against the same database would otherwise be planned as
     * unchanged, and nothing sent.
     */
    @BeforeEach
    void noAudienceYet() {
        sliceJdbc.execute("TRUNCATE sync_audience_member_tag, sync_audience");
    }

}
