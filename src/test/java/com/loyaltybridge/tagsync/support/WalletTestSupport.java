package com.loyaltybridge.tagsync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import com.loyaltybridge.tagsync.brazeapi.simulator.BrazeSimulator;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * End-to-end tests of the offers job: the command line run as a user runs it, in-process,
 * against PostgreSQL, the S3 server, the SessionM simulator (its Connect side serves the
 * wallets) and the Braze simulator. Members' export lines, the attributes Braze should
 * hold for a wallet, and what Braze received, in the terms of the job.
 */
public abstract class WalletTestSupport extends SyncTestSupport {

    protected static final String BRAZE_KEY = "e2e-braze-key-never-logged";

    /** The custom attribute of the exports that holds the SessionM user_id. */
    protected static final String IDENTIFIER = "custom_attribute:sm_user_id";

    /**
     * The fields of each offer object in Braze, by default: those of
     * {@code offers.attributes.offer-fields} an offer has.
     */
    private static final List<String> OFFER_FIELDS = List.of("offer_id", "user_offer_id", "name", "title",
            "description", "offer_type", "offer_group_id", "expiration_date");

    protected static final BrazeSimulator braze = SharedBraze.INSTANCE;

    @BeforeEach
    void freshBrazeAndWalletAudiences() {
        braze.reset();
        jdbc.execute("TRUNCATE sync_audience_member_wallet");
    }

    /**
     * Runs {@code java -jar ... offers ARGS} with the test services configured, SessionM
     * Connect and Braze included.
     */
    protected Run offers(String... args) {
        return offers(Map.of(), args);
    }

    /** Like {@link #offers(String...)}, with extra or overriding properties. */
    protected Run offers(Map<String, String> properties, String... args) {
        Map<String, String> all = new LinkedHashMap<>(walletProperties());
        all.putAll(properties);
        List<String> command = new ArrayList<>(List.of("offers"));
        command.addAll(List.of(args));
        return run(all, command.toArray(String[]::new));
    }

    /**
     * Connect and Braze as the simulators serve them, with fast failure handling and no
     * rate limits.
     */
    protected static Map<String, String> walletProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sessionm.connect.endpoint", sessionm.baseUrl().toString());
        properties.put("sessionm.connect.authorization", OfferWallets.DEFAULT_AUTHORIZATION);
        properties.put("sessionm.connect.retailer-id", OfferWallets.DEFAULT_RETAILER_ID);
        properties.put("sessionm.connect.request-timeout", "1s");
        properties.put("sessionm.connect.initial-backoff", "10ms");
        properties.put("sessionm.connect.max-backoff", "50ms");
        properties.put("sessionm.connect.requests-per-second", "0");
        properties.put("braze.rest.endpoint", braze.baseUrl().toString());
        properties.put("braze.rest.api-key", BRAZE_KEY);
        properties.put("braze.rest.request-timeout", "1s");
        properties.put("braze.rest.initial-backoff", "10ms");
        properties.put("braze.rest.max-backoff", "50ms");
        properties.put("braze.rest.requests-per-second", "0");
        return properties;
    }

    /**
     * An export line: Braze's {@code external_id}, the SessionM user_id in
     * {@code sm_user_id}, and a language.
     */
    protected static String member(String externalId, String userId) {
        return "{\"external_id\":\"" + externalId + "\",\"braze_id\":\"b-" + externalId + "\",\"language\":\"en\","
                + "\"custom_attributes\":{\"sm_user_id\":\"" + userId + "\",\"loyalty_tier\":\"gold\"}}";
    }

    /** An anonymous member: a {@code braze_id} and no {@code external_id}. */
    protected static String anonymousMember(String brazeId, String userId) {
        return "{\"braze_id\":\"" + brazeId + "\",\"custom_attributes\":{\"sm_user_id\":\"" + userId + "\"}}";
    }

    /**
     * The lines of members {@code E-from}..{@code E-to}, whose SessionM user ids are
     * {@code U-from}..{@code U-to}.
     */
    protected static String[] members(int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            lines.add(member("E-" + i, "U-" + i));
        }
        return lines.toArray(String[]::new);
    }

    /**
     * The offer objects Braze should hold for {@code offers}: each with the fields it has
     * of the default offer fields, soonest expiration first, at most 25.
     */
    protected static ArrayNode expectedOffers(List<JsonNode> offers) {
        ArrayNode expected = JsonMapper.shared().createArrayNode();
        offers.stream()
            .sorted((a, b) -> a.path("expiration_date").asString().compareTo(b.path("expiration_date").asString()))
            .limit(25)
            .forEach(offer -> {
                ObjectNode object = expected.addObject();
                OFFER_FIELDS.stream().filter(offer::has).forEach(field -> object.set(field, offer.get(field)));
            });
        return expected;
    }

    /**
     * The custom attributes Braze should hold for {@code wallet}, besides the time it was
     * read.
     */
    protected static Map<String, JsonNode> expectedAttributes(OfferWallets.Wallet wallet) {
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        attributes.put("sessionm_offers", expectedOffers(wallet.offers()));
        // Points SessionM does not give are written as null: Braze then holds none.
        if (wallet.availablePoints() != null) {
            attributes.put("sessionm_available_points", wallet.availablePoints());
        }
        if (wallet.totalPoints() != null) {
            attributes.put("sessionm_total_points", wallet.totalPoints());
        }
        return attributes;
    }

    /** A member's profile in Braze now, without the time its wallet was read. */
    protected static Map<String, JsonNode> profileOf(String externalId) {
        Map<String, JsonNode> profile = new LinkedHashMap<>(braze.profile("external_id", externalId));
        JsonNode syncedAt = profile.remove("sessionm_wallet_synced_at");
        if (syncedAt != null) {
            assertThat(syncedAt.asString()).as("the time %s's wallet was read", externalId)
                .matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        }
        return profile;
    }

    /**
     * How many attribute objects Braze processed for each member, by external_id (else
     * braze_id).
     */
    protected static Map<String, Integer> objectsPerMember() {
        return objectsPerMemberSince(0);
    }

    /**
     * Like {@link #objectsPerMember()}, counting only the objects processed after the
     * first {@code mark} ({@code
     * braze.attributeObjects().size()} at some moment).
     */
    protected static Map<String, Integer> objectsPerMemberSince(int mark) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<JsonNode> objects = braze.attributeObjects();
        objects.subList(mark, objects.size())
            .forEach(object -> counts.merge(object.path("external_id").asString(object.path("braze_id").asString()), 1,
                    Integer::sum));
        return counts;
    }

    /**
     * A count from a summary, such as
     * {@code "  rejected by SessionM   1  (user_not_found: 1)"}.
     */
    protected static long summaryCount(String output, String label) {
        Matcher count = Pattern.compile("\\n  " + Pattern.quote(label) + "\\s+([\\d,]+)").matcher(output);
        assertThat(count.find()).as("summary line '%s' in%n%s", label, output).isTrue();
        return Long.parseLong(count.group(1).replace(",", ""));
    }

    /** The job instance of the offers run of {@code export} (not a dry run's). */
    protected static long offersRunOf(StorageLocation export) {
        return jdbc.queryForObject("""
                SELECT DISTINCT e.job_instance_id FROM batch_job_execution e
                JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id AND i.job_name = 'offerWalletSync'
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                WHERE p.parameter_name = 'export' AND p.parameter_value = ?""", Long.class, export.uri());
    }

    private static final class SharedBraze {

        static final BrazeSimulator INSTANCE = BrazeSimulator.start(BRAZE_KEY);

    }

}
