package com.loyaltybridge.tagsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The tagging chunk follows the configured rate, and the intent batch the in-flight
 * limit, unless set.
 */
class SyncSettingsTest {

    private final SyncSettings defaults = new SyncSettings(5000, null, 128, 1000, 500);

    @Test
    void aTaggingChunkIsTwentySecondsOfTheConfiguredRateWithinItsBounds() {
        assertThat(defaults.taggingChunkSize(100)).isEqualTo(2_000);
        assertThat(defaults.taggingChunkSize(2)).as("at least 100").isEqualTo(100);
        assertThat(defaults.taggingChunkSize(1_000)).as("at most 20,000").isEqualTo(20_000);
        assertThat(defaults.taggingChunkSize(0)).as("no rate limit").isEqualTo(10_000);
        assertThat(new SyncSettings(5000, 250, 128, 1000, 500).taggingChunkSize(1_000)).as("set").isEqualTo(250);
    }

    @Test
    void anIntentBatchCoversAtLeastTheCallsTheLimitLetsStartAtOnce() {
        assertThat(defaults.intentBatchSize(8)).isEqualTo(128);
        assertThat(defaults.intentBatchSize(400)).isEqualTo(400);
    }

}
