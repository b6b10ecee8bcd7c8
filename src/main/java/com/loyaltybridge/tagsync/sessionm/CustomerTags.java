package com.loyaltybridge.tagsync.sessionm;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * The tag names a customer holds, read from SessionM's answer to "Retrieve customer
 * tags".
 *
 * <p>
 * SessionM does not document that answer, so it is read leniently: a {@code tags} array
 * at the top level or under {@code user}, whose elements are either tag names or objects
 * carrying the name in {@code name}, {@code tag} or {@code tag_name}. An answer without
 * such an array proves nothing about the customer's tags and yields no
 * {@code CustomerTags}: treating it as "no tags" would resend counter tags that may have
 * landed.
 */
record CustomerTags(Set<String> names) {

    private static final List<String> NAME_FIELDS = List.of("name", "tag", "tag_name");

    static Optional<CustomerTags> from(JsonNode answer) {
        JsonNode tags = answer.path("tags");
        if (!tags.isArray()) {
            tags = answer.path("user").path("tags");
        }
        if (!tags.isArray()) {
            return Optional.empty();
        }
        Set<String> names = new HashSet<>();
        for (JsonNode tag : tags) {
            name(tag).ifPresent(names::add);
        }
        return Optional.of(new CustomerTags(Set.copyOf(names)));
    }

    boolean holds(String tag) {
        return names.contains(tag);
    }

    private static Optional<String> name(JsonNode tag) {
        if (tag.isString()) {
            return Optional.of(tag.asString());
        }
        return NAME_FIELDS.stream().map(tag::path).filter(JsonNode::isString).map(JsonNode::asString).findFirst();
    }
}
