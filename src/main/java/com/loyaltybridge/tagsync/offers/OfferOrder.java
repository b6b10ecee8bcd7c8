package com.loyaltybridge.tagsync.offers;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Comparator;

import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * Orders offers by one field, soonest first: dates and times (ISO 8601, with or without
 * an offset, taken as UTC without one), then numbers, then other text; offers without the
 * field last. Ties are broken by the offer's JSON, so that SessionM listing the same
 * offers in another order changes nothing that is written.
 */
final class OfferOrder {

    private final JsonPointer sortBy;

    OfferOrder(String sortBy) {
        this.sortBy = parseSortBy(sortBy);
    }

    static JsonPointer parseSortBy(String sortBy) {
        try {
            JsonPointer pointer = JsonPointer.compile(sortBy);
            if (!pointer.matches()) {
                return pointer;
            }
        }
        catch (IllegalArgumentException notAPointer) {
            // Refused below, with the setting's name.
        }
        throw new IllegalArgumentException("offers.attributes.sort-by: '" + sortBy + "' is not a JSON pointer to a"
                + " field of an offer, such as /expiration_date");
    }

    /** Where {@code offer} goes: compare keys with {@link #ORDER}. */
    SortKey keyOf(JsonNode offer) {
        JsonNode value = offer.at(sortBy);
        if (value.isNumber()) {
            return new SortKey(Rank.NUMBER, null, value.decimalValue(), null);
        }
        if (value.isString()) {
            Instant instant = instant(value.asString().trim());
            return instant != null ? new SortKey(Rank.TIME, instant, null, null)
                    : new SortKey(Rank.TEXT, null, null, value.asString());
        }
        return new SortKey(Rank.MISSING, null, null, null);
    }

    static final Comparator<SortKey> ORDER = Comparator.comparing(SortKey::rank)
        .thenComparing(SortKey::instant, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(SortKey::number, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(SortKey::text, Comparator.nullsLast(Comparator.naturalOrder()));

    enum Rank {

        TIME, NUMBER, TEXT, MISSING

    }

    record SortKey(Rank rank, Instant instant, BigDecimal number, String text) {
    }

    private static Instant instant(String text) {
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from,
                    LocalDateTime::from);
            return parsed instanceof OffsetDateTime withOffset ? withOffset.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        }
        catch (DateTimeParseException notADateTime) {
            try {
                return LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

}
