package com.loyaltybridge.tagsync.sessionm.simulator;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets.Wallet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's {@code get_user_offers} answers as Braze's SessionM guide shows,
 * whatever client calls it.
 */
class OffersSimulatorTest {

    @AutoClose
    private static final SessionmSimulator simulator = SessionmSimulator.start("core-key", "core-secret");

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void fresh() {
        simulator.reset();
    }

    @Test
    void aPageIsTheSliceSkipAndTakeAskForWithTheTotalAndThePoints() throws Exception {
        simulator.offers().put("u-1", Wallet.generated(5, 30, 400));

        JsonNode answer = json(offers(OfferWallets.DEFAULT_AUTHORIZATION, body("u-1", 3, 10)).body());

        assertThat(answer.path("status").asString()).isEqualTo("ok");
        JsonNode payload = answer.path("payload");
        assertThat(payload.path("user_offers").findValuesAsString("offer_id")).containsExactly("offer-4", "offer-5");
        assertThat(payload.path("total_records").asInt()).isEqualTo(5);
        assertThat(payload.path("available_points").asInt()).isEqualTo(30);
        assertThat(payload.path("total_points").asInt()).isEqualTo(400);
        assertThat(payload.path("user").path("opted_in").asBoolean()).isTrue();
        assertThat(payload.path("offer_groups").get(0).path("name").asString()).isEqualTo("All Offers");
    }

    @Test
    void refusesUnknownUsersWrongCredentialsAndAnotherRetailer() throws Exception {
        simulator.offers().unknownUsers("ghost");

        HttpResponse<String> unknown = offers(OfferWallets.DEFAULT_AUTHORIZATION, body("ghost", 0, 10));
        HttpResponse<String> wrongAuth = offers("bm9wZQ==", body("u-1", 0, 10));
        HttpResponse<String> otherRetailer = offers(OfferWallets.DEFAULT_AUTHORIZATION,
                body("u-1", 0, 10).replace(OfferWallets.DEFAULT_RETAILER_ID, "someone-else"));

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"status\":\"error\",\"errors\":{\"code\":\"user_not_found\"}}");
        assertThat(wrongAuth.statusCode()).isEqualTo(401);
        assertThat(otherRetailer.statusCode()).isEqualTo(400);
        assertThat(simulator.offers().requests()).extracting(OffersRequest::userId)
            .containsExactly("ghost", "u-1", "u-1");
    }

    @Test
    void theTagsEndpointsStillAnswerBehindIt() throws Exception {
        HttpResponse<String> tags = http
            .send(HttpRequest.newBuilder(simulator.baseUrl().resolve("/priv/v1/apps/core-key/users/c/tags"))
                .GET()
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(tags.statusCode()).isEqualTo(401);
        assertThat(simulator.offers().requests()).isEmpty();
    }

    private static String body(String userId, int skip, int take) {
        return "{\"retailer_id\":\"" + OfferWallets.DEFAULT_RETAILER_ID + "\",\"user_id\":\"" + userId + "\",\"skip\":"
                + skip + ",\"take\":" + take + ",\"culture\":\"en-US\"}";
    }

    private static HttpResponse<String> offers(String authorization, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(simulator.baseUrl().resolve(OffersHandler.PATH))
            .header("Authorization", "Basic " + authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String text) {
        return JsonMapper.shared().readTree(text);
    }

}
