package com.loyaltybridge.tagsync.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.brazeapi.BrazeRestSettings;
import com.loyaltybridge.tagsync.offers.ConnectSettings;

class OfferWalletPreconditionsTest {

    private static final ConnectSettings CONNECT = connect(URI.create("https://connect.example"), "Y29ubmVjdA==",
            "retailer");

    private static final ConnectSettings NO_CONNECT = connect(null, null, "");

    private static final BrazeRestSettings BRAZE = braze(URI.create("https://rest.iad-01.braze.com"), "braze-key");

    private static final BrazeRestSettings NO_BRAZE = braze(null, null);

    @Test
    void aRunNeedsConnectAndBrazeAndSaysWhichVariablesAreMissing() {
        assertThat(OfferWalletPreconditions.problemWith(CONNECT, BRAZE, false)).isEmpty();
        assertThat(OfferWalletPreconditions.problemWith(CONNECT, NO_BRAZE, false))
            .contains("offers reads wallets from SessionM Connect and writes them to Braze, so set BRAZE_REST_ENDPOINT,"
                    + " BRAZE_API_KEY");
        assertThat(OfferWalletPreconditions.problemWith(NO_CONNECT, NO_BRAZE, false))
            .hasValueSatisfying(problem -> assertThat(problem).contains("SESSIONM_CONNECT_ENDPOINT",
                    "SESSIONM_CONNECT_AUTHORIZATION", "SESSIONM_RETAILER_ID", "BRAZE_REST_ENDPOINT", "BRAZE_API_KEY"));
    }

    @Test
    void aDryRunWritesNothingSoItNeedsOnlyConnect() {
        assertThat(OfferWalletPreconditions.problemWith(CONNECT, NO_BRAZE, true)).isEmpty();
        assertThat(OfferWalletPreconditions.problemWith(NO_CONNECT, BRAZE, true))
            .contains("offers reads wallets from SessionM Connect, so set SESSIONM_CONNECT_ENDPOINT,"
                    + " SESSIONM_CONNECT_AUTHORIZATION, SESSIONM_RETAILER_ID");
    }

    private static ConnectSettings connect(URI endpoint, String authorization, String retailerId) {
        return new ConnectSettings(endpoint, authorization, retailerId, "en-US", 100, 1000, false,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 0, 0, Duration.ofMillis(10), Duration.ofMillis(10),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Set.of(), Set.of());
    }

    private static BrazeRestSettings braze(URI endpoint, String apiKey) {
        return new BrazeRestSettings(endpoint, apiKey, 75, 0, 2, Duration.ofSeconds(1), Duration.ofMillis(200), 1,
                Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(1), true);
    }

}
