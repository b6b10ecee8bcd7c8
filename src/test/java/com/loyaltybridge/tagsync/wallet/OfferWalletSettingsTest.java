package com.loyaltybridge.tagsync.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** How many members a chunk holds, and which culture a member's wallet is read in. */
class OfferWalletSettingsTest {

    @Test
    void aChunkHoldsTenSecondsOfReadsAtTheRateWithinItsBounds() {
        OfferWalletSettings defaults = new OfferWalletSettings(null, true, Map.of());

        assertThat(defaults.chunkSize(100, 100, 75)).isEqualTo(1_000);
        assertThat(defaults.chunkSize(1, 100, 75)).as("at least a request's worth").isEqualTo(75);
        assertThat(defaults.chunkSize(50_000, 0, 75)).isEqualTo(10_000);
        assertThat(defaults.chunkSize(0, 0, 75)).as("no rate limit").isEqualTo(2_000);
        assertThat(new OfferWalletSettings(300, true, Map.of()).chunkSize(100, 100, 75)).as("set").isEqualTo(300);
    }

    @Test
    void whenBrazeIsTheSlowerSideAChunkHoldsTenSecondsOfItsWrites() {
        OfferWalletSettings defaults = new OfferWalletSettings(null, true, Map.of());

        assertThat(defaults.chunkSize(0, 1, 75)).as("reads not limited: 10 s of 75 wallets a second").isEqualTo(750);
        assertThat(defaults.chunkSize(2_000, 1, 50)).as("50 attribute objects a request").isEqualTo(500);
        assertThat(defaults.chunkSize(0, 20, 75)).as("10 s of 1,500 wallets a second, at most").isEqualTo(10_000);
        assertThat(defaults.chunkSize(100, 20, 75)).as("the reads the slower side").isEqualTo(1_000);
    }

    @Test
    void aMembersLanguageIsItsCultureMappedWhenASettingSaysSoAndTheRunsCultureOtherwise() {
        OfferWalletSettings settings = new OfferWalletSettings(null, true, Map.of("fr", "fr-CA"));

        assertThat(settings.cultureOf("fr", "en-GB")).isEqualTo("fr-CA");
        assertThat(settings.cultureOf("FR", "en-GB")).as("languages compare without case").isEqualTo("fr-CA");
        assertThat(settings.cultureOf("de", "en-GB")).as("a language not mapped is sent as it is").isEqualTo("de");
        assertThat(settings.cultureOf(null, "en-GB")).as("no language: the run's culture").isEqualTo("en-GB");
        assertThat(settings.cultureOf(null, null)).as("none: sessionm.connect.culture, in the client").isNull();
    }

}
