package com.loyaltybridge.tagsync.offers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import com.loyaltybridge.tagsync.brazeapi.BrazeUser;
import com.loyaltybridge.tagsync.brazeapi.UserAttributes;
import com.loyaltybridge.tagsync.offers.OfferOrder.SortKey;

/**
 * Turns an offer wallet into Braze custom attributes ({@link WalletAttributesSettings}
 * names them): <pre>
 * "sessionm_offers": [{"offer_id": "...", "name": "...", "expiration_date": "...", ...}, ...],
 * "sessionm_available_points": 100,
 * "sessionm_total_points": 1000
 * </pre> Each offer object holds the configured fields the offer has, values copied as
 * SessionM gave them (strings cut to {@code max-string-length}); fields not configured
 * are ignored, and an offer with none of them is left out. The offers are sorted
 * soonest-expiring first, then capped at {@code max-offers} and at
 * {@code max-offers-size}. Points SessionM did not give are written as null, which
 * removes them from the profile.
 *
 * <p>
 * Stateless and thread-safe.
 */
public final class WalletAttributes {

    private final WalletAttributesSettings settings;

    private final List<OfferField> fields;

    private final OfferOrder order;

    public WalletAttributes(WalletAttributesSettings settings) {
        this.settings = settings;
        this.fields = settings.offerFields().stream().map(OfferField::parse).toList();
        this.order = new OfferOrder(settings.sortBy());
    }

    /** The attributes {@code wallet} becomes, and their fingerprint. */
    public MappedWallet map(OfferWallet wallet) {
        List<Sorted> offers = new ArrayList<>(wallet.offers().size());
        for (JsonNode offer : wallet.offers()) {
            ObjectNode projected = project(offer);
            if (!projected.isEmpty()) {
                offers.add(new Sorted(order.keyOf(offer), projected, WalletFingerprint.canonicalJson(projected)));
            }
        }
        offers.sort(Comparator.comparing(Sorted::key, OfferOrder.ORDER).thenComparing(Sorted::canonical));
        ObjectNode values = JsonMapper.shared().createObjectNode();
        values.set(settings.offersName(), capped(offers));
        if (!settings.availablePointsName().isEmpty()) {
            setOrNull(values, settings.availablePointsName(), wallet.availablePoints());
        }
        if (!settings.totalPointsName().isEmpty()) {
            setOrNull(values, settings.totalPointsName(), wallet.totalPoints());
        }
        return new MappedWallet(values, WalletFingerprint.of(values), settings.syncedAtName());
    }

    /**
     * The attribute object that removes every wallet attribute from {@code user}'s
     * profile (null removes).
     */
    public UserAttributes cleared(BrazeUser user) {
        ObjectNode attributes = JsonMapper.shared().createObjectNode();
        for (String name : List.of(settings.offersName(), settings.availablePointsName(), settings.totalPointsName(),
                settings.syncedAtName())) {
            if (!name.isEmpty()) {
                attributes.putNull(name);
            }
        }
        return new UserAttributes(user, attributes);
    }

    private ObjectNode project(JsonNode offer) {
        ObjectNode projected = JsonMapper.shared().createObjectNode();
        for (OfferField field : fields) {
            JsonNode value = offer.at(field.pointer());
            if (!value.isMissingNode() && !value.isNull()) {
                projected.set(field.name(), cut(value));
            }
        }
        return projected;
    }

    /**
     * A copy of {@code value} with every string cut to {@code max-string-length}
     * characters.
     */
    private JsonNode cut(JsonNode value) {
        if (value.isString()) {
            String text = value.asString();
            int max = settings.maxStringLength();
            return text.codePointCount(0, text.length()) <= max ? value
                    : StringNode.valueOf(text.substring(0, text.offsetByCodePoints(0, max)));
        }
        if (value.isArray()) {
            ArrayNode copy = JsonMapper.shared().createArrayNode();
            value.forEach(element -> copy.add(cut(element)));
            return copy;
        }
        if (value.isObject()) {
            ObjectNode copy = JsonMapper.shared().createObjectNode();
            value.properties().forEach(entry -> copy.set(entry.getKey(), cut(entry.getValue())));
            return copy;
        }
        return value.deepCopy();
    }

    /**
     * The first {@code max-offers} offers whose array stays within
     * {@code max-offers-size}.
     */
    private ArrayNode capped(List<Sorted> offers) {
        ArrayNode array = JsonMapper.shared().createArrayNode();
        long size = 2;
        for (Sorted offer : offers) {
            if (array.size() == settings.maxOffers()) {
                break;
            }
            long withIt = size + (array.isEmpty() ? 0 : 1)
                    + JsonMapper.shared().writeValueAsBytes(offer.projected()).length;
            if (withIt > settings.maxOffersSize().toBytes()) {
                break;
            }
            array.add(offer.projected());
            size = withIt;
        }
        return array;
    }

    private static void setOrNull(ObjectNode values, String name, JsonNode value) {
        if (value == null) {
            values.putNull(name);
        }
        else {
            values.set(name, value.deepCopy());
        }
    }

    /**
     * @param canonical its canonical JSON, which breaks ties in the order
     */
    private record Sorted(SortKey key, ObjectNode projected, String canonical) {
    }

}
