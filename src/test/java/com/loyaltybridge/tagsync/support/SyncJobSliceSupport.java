package com.loyaltybridge.tagsync.support;

import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tests of the job and its launcher in the {@link SyncJobSlice}, against the test PostgreSQL. Every such test shares
 * one application context, started once. {@code sync.auto-api-max-users} is 3, so that {@code auto} chooses the bulk
 * file for a handful of users.
 */
@SpringBootTest(classes = SyncJobSlice.class)
@SpringBatchTest
public abstract class SyncJobSliceSupport {

    @DynamicPropertySource
    static void testDatabase(DynamicPropertyRegistry registry) {
        TestDatabase database = TestDatabase.get();
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
        registry.add("sync.auto-api-max-users", () -> "3");
    }
}
