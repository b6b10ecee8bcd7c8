package com.loyaltybridge.tagsync.offers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import com.loyaltybridge.tagsync.brazeapi.UserAttributes;

/**
 * Which Braze custom attributes an offer wallet becomes. SessionM documents three fields
 * of an offer ({@code offer_id}, {@code offer_group_id}, {@code offer_type}); the full
 * schema is only in each tenant's Swagger, so which fields are copied, and which one
 * orders the offers, are settings. An empty name leaves that attribute out.
 *
 * @param offersName the array of offer objects, soonest to expire first
 * @param availablePointsName {@code available_points} of the wallet; empty: not written
 * @param totalPointsName {@code total_points} of the wallet; empty: not written
 * @param syncedAtName when the wallet was read (ISO 8601, which Braze takes as a time),
 * written with every changed wallet and never part of what decides that it changed;
 * empty: not written
 * @param offerFields the fields of each offer object, as {@code name=/json/pointer} or
 * {@code /pointer} (named after its last step); a field the offer lacks is left out of
 * its object. The defaults past the three documented fields are the names SessionM's
 * Braze templates suggest: check them against the tenant's Swagger
 * @param sortBy JSON pointer of the field that orders the offers, soonest first (ISO
 * dates and times, numbers or text); offers without it come last
 * @param maxOffers offers kept per member after sorting: a message shows a handful, and
 * every offer written is data Braze stores and bills
 * @param maxOffersSize the offers array's JSON is kept under this size by dropping the
 * last offers: Braze drops an array of objects over 100 KB (50 KB in older documentation)
 * without an error
 * @param maxStringLength longer strings in offers are cut (on a character boundary):
 * Braze limits the string values of nested attributes to 255 characters
 */
@ConfigurationProperties("offers.attributes")
public record WalletAttributesSettings(@DefaultValue("sessionm_offers") String offersName,
        @DefaultValue("sessionm_available_points") String availablePointsName,
        @DefaultValue("sessionm_total_points") String totalPointsName,
        @DefaultValue("sessionm_wallet_synced_at") String syncedAtName, @DefaultValue( {
                "/offer_id", "/user_offer_id", "/name", "/title", "/description", "/offer_type", "/offer_group_id",
                "/expiration_date" }) List<String> offerFields,
        @DefaultValue("/expiration_date") String sortBy, @DefaultValue("25") int maxOffers,
        @DefaultValue("50KB") DataSize maxOffersSize, @DefaultValue("255") int maxStringLength){

    /** Braze's longest key name. */
    private static final int MAX_NAME_LENGTH = 255;

    public WalletAttributesSettings {
        checkAttributeName("offers.attributes.offers-name", offersName);
        List<String> names = new ArrayList<>(List.of(offersName));
        for (String[] optional : new String[][] { { "available-points-name", availablePointsName },
                { "total-points-name", totalPointsName }, { "synced-at-name", syncedAtName } }) {
            if (!optional[1].isEmpty()) {
                checkAttributeName("offers.attributes." + optional[0], optional[1]);
                names.add(optional[1]);
            }
        }
        if (new HashSet<>(names).size() < names.size()) {
            throw new IllegalArgumentException("offers.attributes: two attributes have the same name: " + names);
        }
        Set<String> fieldNames = new HashSet<>();
        for (String field : offerFields) {
            if (!fieldNames.add(OfferField.parse(field).name())) {
                throw new IllegalArgumentException("offers.attributes.offer-fields: two fields are named '"
                        + OfferField.parse(field).name() + "'");
            }
        }
        OfferOrder.parseSortBy(sortBy);
        if (maxOffers < 1) {
            throw new IllegalArgumentException("offers.attributes.max-offers must be at least 1, not " + maxOffers);
        }
        if (maxOffersSize.toBytes() < 2) {
            throw new IllegalArgumentException("offers.attributes.max-offers-size must hold at least an empty array");
        }
        if (maxStringLength < 1) {
            throw new IllegalArgumentException(
                    "offers.attributes.max-string-length must be at least 1, not " + maxStringLength);
        }
        offerFields = List.copyOf(offerFields);
    }

    /**
     * Refuses a name Braze would not take as a custom attribute key, or that means
     * something else to it.
     */
    static void checkAttributeName(String setting, String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH
                || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(setting + ": '" + name + "' is not a Braze attribute name (1 to "
                    + MAX_NAME_LENGTH + " characters, no spaces)");
        }
        if (name.startsWith("$") || UserAttributes.RESERVED_FIELDS.contains(name)) {
            throw new IllegalArgumentException(setting + ": '" + name + "' means something else to Braze");
        }
    }
}
