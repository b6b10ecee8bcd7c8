package com.loyaltybridge.tagsync.offers;

import tools.jackson.core.JsonPointer;

/**
 * One field an offer object in Braze gets: its name there and where it is in SessionM's
 * offer. Written in the settings as {@code name=/json/pointer}, or as the pointer alone
 * ({@code /offer_id}) to keep the name of the pointer's last step.
 */
record OfferField(String name, JsonPointer pointer) {

    static OfferField parse(String setting) {
        String text = setting.trim();
        int equals = text.indexOf('=');
        String pointerText = equals < 0 ? text : text.substring(equals + 1).trim();
        JsonPointer pointer;
        try {
            pointer = JsonPointer.compile(pointerText);
        }
        catch (IllegalArgumentException notAPointer) {
            throw new IllegalArgumentException("offers.attributes.offer-fields: '" + setting + "' is not name=/pointer"
                    + " or /pointer (a JSON pointer starts with /)");
        }
        if (pointer.matches()) {
            throw new IllegalArgumentException("offers.attributes.offer-fields: '" + setting + "' points at the whole"
                    + " offer, not at a field of it");
        }
        String name = equals < 0 ? pointer.last().getMatchingProperty() : text.substring(0, equals).trim();
        WalletAttributesSettings.checkAttributeName("offers.attributes.offer-fields", name);
        return new OfferField(name, pointer);
    }
}
