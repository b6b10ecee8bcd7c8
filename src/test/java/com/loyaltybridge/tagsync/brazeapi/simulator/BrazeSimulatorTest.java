package com.loyaltybridge.tagsync.brazeapi.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator answers as Braze documents {@code /users/track}, whatever client calls
 * it.
 */
class BrazeSimulatorTest {

    private static final String KEY = "sim-key";

    @AutoClose
    private static final BrazeSimulator braze = BrazeSimulator.start(KEY);

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void fresh() {
        braze.reset();
    }

    @Test
    void moreThan75ObjectsInARequestAreRefusedWithBrazesMessageAndNoneProcessed() throws Exception {
        HttpResponse<String> tooMany = track(KEY,
                "{\"attributes\":[" + objects(40) + "],\"events\":[" + objects(36) + "]}");
        HttpResponse<String> enough = track(KEY, "{\"attributes\":[" + objects(75) + "]}");

        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).isEqualTo("{\"message\":\"Max Input Length Exceeded\"}");
        assertThat(enough.statusCode()).isEqualTo(201);
        assertThat(braze.attributeObjects()).hasSize(75);
    }

    @Test
    void objectsWithoutAnIdentifierOrForRejectedUsersAreNamedInErrorsAndTheOthersProcessed() throws Exception {
        braze.rejectUser("external_id", "u-3", "Invalid value");

        HttpResponse<String> answer = track(KEY, "{\"attributes\":[{\"external_id\":\"u-1\",\"a\":1},{\"a\":2},"
                + "{\"external_id\":\"u-3\",\"a\":3},{\"braze_id\":\"b-4\",\"a\":4}]}");

        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(json(answer.body())).isEqualTo(
                json("""
                        {"message": "success", "attributes_processed": 2, "errors": [
                          {"type": "'external_id' or 'braze_id' or 'user_alias' is required", "input_array": "attributes", "index": 1},
                          {"type": "Invalid value", "input_array": "attributes", "index": 2}]}"""));
        assertThat(braze.profile("external_id", "u-1")).containsOnlyKeys("a");
        assertThat(braze.profile("braze_id", "b-4")).containsOnlyKeys("a");
        assertThat(braze.profile("external_id", "u-3")).isEmpty();
    }

    @Test
    void aNullRemovesAnAttributeAndAnArrayReplacesTheOldOne() throws Exception {
        track(KEY, "{\"attributes\":[{\"external_id\":\"u\",\"offers\":[{\"id\":1},{\"id\":2}],\"points\":3}]}");
        track(KEY, "{\"attributes\":[{\"external_id\":\"u\",\"offers\":[{\"id\":3}],\"points\":null}]}");

        assertThat(braze.profile("external_id", "u")).containsOnlyKeys("offers");
        assertThat(braze.profile("external_id", "u").get("offers")).isEqualTo(json("[{\"id\":3}]"));
        assertThat(braze.attributeObjectsFor("external_id", "u")).hasSize(2);
    }

    @Test
    void onlyTheBearerKeyGetsIn() throws Exception {
        assertThat(track("wrong", "{\"attributes\":[]}").statusCode()).isEqualTo(401);
        assertThat(http
            .send(HttpRequest.newBuilder(uri()).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString())
            .statusCode()).isEqualTo(401);
        braze.denyAccess();
        HttpResponse<String> denied = track(KEY, "{\"attributes\":[]}");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo("{\"message\":\"Access Denied\"}");
    }

    @Test
    void everyAnswerCarriesTheRateLimitHeadersAnd429ComesPastTheLimit() throws Exception {
        // A day's window, aligned on the epoch as Braze's: the three requests fall in one
        // window but at midnight UTC.
        braze.rateLimit(2, Duration.ofDays(1));

        HttpResponse<String> first = track(KEY, "{\"attributes\":[]}");
        track(KEY, "{\"attributes\":[]}");
        HttpResponse<String> third = track(KEY, "{\"attributes\":[]}");

        assertThat(first.headers().firstValue("X-RateLimit-Limit")).hasValue("2");
        assertThat(first.headers().firstValue("X-RateLimit-Remaining")).hasValue("1");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        long reset = Long.parseLong(third.headers().firstValue("X-RateLimit-Reset").orElseThrow());
        long now = System.currentTimeMillis() / 1000;
        assertThat(reset).isEqualTo((now / 86_400 + 1) * 86_400);
    }

    private static HttpResponse<String> track(String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri())
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri() {
        return braze.baseUrl().resolve(BrazeSimulator.TRACK_PATH);
    }

    private static String objects(int count) {
        return IntStream.range(0, count)
            .mapToObj(i -> "{\"external_id\":\"u-" + i + "\",\"n\":" + i + "}")
            .collect(Collectors.joining(","));
    }

    private static JsonNode json(String text) {
        return JsonMapper.shared().readTree(text);
    }

}
