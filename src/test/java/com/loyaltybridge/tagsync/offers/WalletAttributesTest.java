package com.loyaltybridge.tagsync.offers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

import com.loyaltybridge.tagsync.brazeapi.BrazeUser;
import com.loyaltybridge.tagsync.brazeapi.UserAttributes;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What Braze is sent for a wallet, and when a wallet counts as unchanged. */
class WalletAttributesTest {

    private static final Instant SYNCED_AT = Instant.parse("2026-11-30T05:04:03.210Z");

    @Test
    void aWalletBecomesItsOffersSoonestToExpireFirstWithTheConfiguredFieldsAndThePoints() {
        OfferWallet wallet = wallet(100, 1000, offer("o-late", "Late", "2027-06-30T00:00:00Z"),
                offer("o-soon", "Soon", "2027-01-15T00:00:00Z"),
                json("{\"offer_id\":\"o-bare\",\"offer_type\":\"points\",\"expiration_date\":\"2027-03-01\"}"));

        MappedWallet mapped = attributes(defaults()).map(wallet);

        assertThat(mapped.values()).isEqualTo(
                json("""
                        {"sessionm_offers": [
                          {"offer_id": "o-soon", "user_offer_id": "uo-o-soon", "name": "Soon", "description": "Description of Soon",
                           "offer_type": "manual_fulfillment", "offer_group_id": "00000000-0000-0000-0000-000000000001", "expiration_date": "2027-01-15T00:00:00Z"},
                          {"offer_id": "o-bare", "offer_type": "points", "expiration_date": "2027-03-01"},
                          {"offer_id": "o-late", "user_offer_id": "uo-o-late", "name": "Late", "description": "Description of Late",
                           "offer_type": "manual_fulfillment", "offer_group_id": "00000000-0000-0000-0000-000000000001", "expiration_date": "2027-06-30T00:00:00Z"}],
                         "sessionm_available_points": 100,
                         "sessionm_total_points": 1000}"""));
    }

    @Test
    void theAttributeObjectNamesTheMemberAndCarriesTheSyncTimeToTheSecond() {
        MappedWallet mapped = attributes(defaults()).map(wallet(1, 2, offer("o-1", "One", "2027-01-01")));

        assertThat(mapped.attributesFor(BrazeUser.externalId("member-7"), SYNCED_AT).toJson()).isEqualTo(json("""
                {"external_id": "member-7",
                 "sessionm_offers": [{"offer_id": "o-1", "user_offer_id": "uo-o-1", "name": "One",
                   "description": "Description of One", "offer_type": "manual_fulfillment",
                   "offer_group_id": "00000000-0000-0000-0000-000000000001",
                   "expiration_date": "2027-01-01"}],
                 "sessionm_available_points": 1, "sessionm_total_points": 2,
                 "sessionm_wallet_synced_at": "2026-11-30T05:04:03Z"}"""));
        assertThat(mapped.attributesFor(BrazeUser.of(null, "b-42"), SYNCED_AT).toJson().path("braze_id").asString())
            .isEqualTo("b-42");
    }

    @Test
    void theSameWalletListedInAnotherOrderOrReadLaterHasTheSameFingerprint() {
        WalletAttributes attributes = attributes(defaults());
        ObjectNode first = offer("o-1", "One", "2027-01-01");
        ObjectNode second = offer("o-2", "Two", "2027-01-01");
        ObjectNode secondReordered = JsonMapper.shared().createObjectNode();
        List<String> names = new ArrayList<>(second.propertyNames());
        Collections.reverse(names);
        names.forEach(name -> secondReordered.set(name, second.get(name)));

        MappedWallet today = attributes.map(wallet(5, 5, first, second));
        MappedWallet tomorrow = attributes.map(wallet(5, 5, secondReordered, first));

        assertThat(tomorrow.fingerprint()).isEqualTo(today.fingerprint());
        assertThat(tomorrow.values()).isEqualTo(today.values());
        assertThat(today.attributesFor(BrazeUser.externalId("m"), SYNCED_AT))
            .isNotEqualTo(today.attributesFor(BrazeUser.externalId("m"), SYNCED_AT.plusSeconds(86_400)));
    }

    @Test
    void anythingWrittenThatChangesChangesTheFingerprintButFieldsNotWrittenDoNot() {
        WalletAttributes attributes = attributes(defaults());
        WalletFingerprint base = attributes.map(wallet(5, 9, offer("o-1", "One", "2027-01-01"))).fingerprint();

        ObjectNode renamed = offer("o-1", "One!", "2027-01-01");
        ObjectNode otherPosId = offer("o-1", "One", "2027-01-01").put("pos_discount_id", "changed");

        assertThat(attributes.map(wallet(5, 9, renamed)).fingerprint()).isNotEqualTo(base);
        assertThat(attributes.map(wallet(6, 9, offer("o-1", "One", "2027-01-01"))).fingerprint()).isNotEqualTo(base);
        assertThat(attributes.map(wallet(5, 9)).fingerprint()).isNotEqualTo(base);
        assertThat(attributes.map(wallet(5, 9, otherPosId)).fingerprint()).isEqualTo(base);
    }

    @Test
    void theFingerprintIsTheSha256OfCanonicalJson() {
        assertThat(WalletFingerprint.of(JsonMapper.shared().createObjectNode()).hex())
            .isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
        assertThat(WalletFingerprint.canonicalJson(json(
                "{\"b\": 1, \"a\": [2, {\"d\": 1.50, \"c\": \"é\\n\"}]," + " \"e\": 1E+2, \"f\": null, \"g\": true}")))
            .isEqualTo("{\"a\":[2,{\"c\":\"é\\n\",\"d\":1.5}],\"b\":1,\"e\":100,\"f\":null,\"g\":true}");
        assertThat(WalletFingerprint.of(json("{\"points\": 100.0}")))
            .isEqualTo(WalletFingerprint.of(json("{\"points\": 100}")));
    }

    @Test
    void hostileTitlesReachBrazeExactlyAsSessionmGaveThem() {
        String hostile = "Say \"hi\"\\ \n\r\tthen </script><script>alert('x')</script> 🎁🇫🇷 \u0000 ${{ liquid }}";
        MappedWallet mapped = attributes(defaults()).map(wallet(0, 0, offer("o-1", hostile, "2027-01-01")));

        UserAttributes written = mapped.attributesFor(BrazeUser.externalId("m"), SYNCED_AT);
        String sent = JsonMapper.shared().writeValueAsString(written.toJson());

        assertThat(JsonMapper.shared().readTree(sent).at("/sessionm_offers/0/name").asString()).isEqualTo(hostile);
        assertThat(sent).doesNotContain("\n").contains("\\\"hi\\\"");
    }

    @Test
    void longStringsAreCutToBrazesLimitWithoutSplittingACharacter() {
        String emoji = "🎁".repeat(300);

        JsonNode offer = attributes(defaults()).map(wallet(0, 0, offer("o-1", emoji, "2027-01-01")))
            .values()
            .at("/sessionm_offers/0");

        assertThat(offer.path("name").asString()).isEqualTo("🎁".repeat(255));
        assertThat(offer.path("description").asString()).isEqualTo("Description of " + "🎁".repeat(240));
    }

    @Test
    void aHugeWalletIsCappedToTheSoonestOffers() {
        List<JsonNode> offers = IntStream.range(0, 5_000)
            .mapToObj(i -> (JsonNode) offer("o-" + i, "Offer " + i,
                    Instant.parse("2027-01-01T00:00:00Z").plusSeconds(3_600L * ((i * 7919) % 5_000)).toString()))
            .toList();

        JsonNode kept = attributes(defaults()).map(new OfferWallet("u", offers, null, null, 5_000, true))
            .values()
            .path("sessionm_offers");

        assertThat(kept).hasSize(25);
        assertThat(kept.get(0).path("expiration_date").asString()).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(kept.get(24).path("expiration_date").asString()).isEqualTo("2027-01-02T00:00:00Z");
    }

    @Test
    void theOffersArrayIsKeptUnderItsSizeLimitByDroppingTheLatestOffers() {
        WalletAttributesSettings settings = settings(Map.of("offers.attributes.max-offers-size", "1KB"));
        List<JsonNode> offers = IntStream.range(0, 20)
            .mapToObj(i -> (JsonNode) offer("o-" + i, "x".repeat(200), "2027-01-" + String.format("%02d", i + 1)))
            .toList();

        JsonNode kept = attributes(settings).map(new OfferWallet("u", offers, null, null, 20, true))
            .values()
            .path("sessionm_offers");

        assertThat(JsonMapper.shared().writeValueAsBytes(kept).length).isLessThanOrEqualTo(1024);
        assertThat(kept.size()).isBetween(1, 19);
        assertThat(kept.get(0).path("offer_id").asString()).isEqualTo("o-0");
        assertThat(kept.get(kept.size() - 1).path("offer_id").asString()).isEqualTo("o-" + (kept.size() - 1));
    }

    @Test
    void fieldsAreJsonPointersRenamedAtWill() {
        WalletAttributesSettings settings = settings(Map.of("offers.attributes.offer-fields",
                "id=/offer_id, /details/title, points = /reward/points", "offers.attributes.sort-by", "/rank"));
        OfferWallet wallet = wallet(0, 0,
                json("{\"offer_id\":\"b\",\"rank\":2,\"details\":{\"title\":\"B\"},\"reward\":{\"points\":50}}"),
                json("{\"offer_id\":\"a\",\"rank\":1,\"details\":{\"title\":\"A\"},\"unknown\":[1,2]}"),
                json("{\"only_unknown_fields\":true}"));

        assertThat(attributes(settings).map(wallet).values().path("sessionm_offers"))
            .isEqualTo(json("[{\"id\":\"a\",\"title\":\"A\"},{\"id\":\"b\",\"title\":\"B\",\"points\":50}]"));
    }

    @Test
    void expirationDatesInAnyIsoFormOrderTheOffersAndOffersWithoutOneComeLast() {
        OfferWallet wallet = wallet(0, 0, offer("no-date", "x", null), offer("jan-1-utc", "x", "2027-01-01"),
                offer("dec-31-minus-2h", "x", "2026-12-31T23:00:00-02:00"),
                offer("dec-31-local", "x", "2026-12-31 10:00:00"), offer("not-a-date", "x", "soon"));

        JsonNode kept = attributes(defaults()).map(wallet).values().path("sessionm_offers");

        assertThat(kept.findValuesAsString("offer_id")).containsExactly("dec-31-local", "jan-1-utc", "dec-31-minus-2h",
                "not-a-date", "no-date");
    }

    @Test
    void pointsSessionmDidNotGiveAreClearedAndPointsNotNamedAreNotWritten() {
        OfferWallet noPoints = new OfferWallet("u", List.of(), null, null, 0, true);

        assertThat(attributes(defaults()).map(noPoints).values()).isEqualTo(
                json("{\"sessionm_offers\":[],\"sessionm_available_points\":null,\"sessionm_total_points\":null}"));
        WalletAttributesSettings offersOnly = settings(Map.of("offers.attributes.available-points-name", "",
                "offers.attributes.total-points-name", "", "offers.attributes.synced-at-name", ""));
        assertThat(attributes(offersOnly).map(noPoints).attributesFor(BrazeUser.externalId("m"), SYNCED_AT).toJson())
            .isEqualTo(json("{\"external_id\":\"m\",\"sessionm_offers\":[]}"));
    }

    @Test
    void aMemberWhoLeftHasEveryWalletAttributeRemoved() {
        assertThat(attributes(defaults()).cleared(BrazeUser.externalId("gone")).toJson()).isEqualTo(json("""
                {"external_id": "gone", "sessionm_offers": null, "sessionm_available_points": null,
                 "sessionm_total_points": null, "sessionm_wallet_synced_at": null}"""));
    }

    @Test
    void attributeNamesAreConfigurable() {
        WalletAttributesSettings renamed = settings(Map.of("offers.attributes.offers-name", "loyalty_offers",
                "offers.attributes.available-points-name", "points_now"));

        UserAttributes written = attributes(renamed).map(wallet(3, 4))
            .attributesFor(BrazeUser.externalId("m"), SYNCED_AT);

        assertThat(written.attributes().propertyNames()).containsExactly("loyalty_offers", "points_now",
                "sessionm_total_points", "sessionm_wallet_synced_at");
    }

    @Test
    void settingsBrazeWouldMisreadAreRefusedNamingTheSetting() {
        assertRefused(Map.of("offers.attributes.offers-name", "my offers"),
                "offers.attributes.offers-name: 'my offers' is not a Braze attribute name (1 to 255 characters, no spaces)");
        assertRefused(Map.of("offers.attributes.total-points-name", "external_id"),
                "offers.attributes.total-points-name: 'external_id' means something else to Braze");
        assertRefused(Map.of("offers.attributes.offers-name", "$add"),
                "offers.attributes.offers-name: '$add' means something else to Braze");
        assertRefused(Map.of("offers.attributes.available-points-name", "sessionm_offers"),
                "offers.attributes: two attributes have the same name: [sessionm_offers, sessionm_offers, "
                        + "sessionm_total_points, sessionm_wallet_synced_at]");
        assertRefused(Map.of("offers.attributes.offer-fields", "offer_id"),
                "offers.attributes.offer-fields: 'offer_id' is not name=/pointer or /pointer (a JSON pointer starts with /)");
        assertRefused(Map.of("offers.attributes.offer-fields", "a=/x,a=/y"),
                "offers.attributes.offer-fields: two fields are named 'a'");
        assertRefused(Map.of("offers.attributes.sort-by", "expiration_date"),
                "offers.attributes.sort-by: 'expiration_date' is not a JSON pointer to a field of an offer, such as"
                        + " /expiration_date");
        assertRefused(Map.of("offers.attributes.max-offers", "0"),
                "offers.attributes.max-offers must be at least 1, not 0");
    }

    // ---- helpers

    private static WalletAttributes attributes(WalletAttributesSettings settings) {
        return new WalletAttributes(settings);
    }

    /**
     * The settings as Spring binds them with nothing configured: the documented defaults.
     */
    private static WalletAttributesSettings defaults() {
        return settings(Map.of());
    }

    private static WalletAttributesSettings settings(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("offers.attributes",
                WalletAttributesSettings.class);
    }

    private static void assertRefused(Map<String, String> properties, String message) {
        assertThatThrownBy(() -> settings(properties)).rootCause()
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
    }

    private static OfferWallet wallet(int available, int total, JsonNode... offers) {
        return new OfferWallet("u-1", List.of(offers), IntNode.valueOf(available), IntNode.valueOf(total),
                offers.length, true);
    }

    /**
     * The simulator's offer (the fields SessionM's templates suggest, and some no mapping
     * asks for).
     */
    private static ObjectNode offer(String offerId, String name, String expiration) {
        ObjectNode offer = OfferWallets.offer(offerId, name, expiration == null ? "" : expiration);
        if (expiration == null) {
            offer.remove("expiration_date");
        }
        return offer;
    }

    private static JsonNode json(String text) {
        return JsonMapper.shared().readTree(text);
    }

}
