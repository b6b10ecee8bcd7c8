package com.loyaltybridge.tagsync.sessionm;

import java.util.List;
import java.util.Objects;

/**
 * Tags to put on one customer in one call.
 *
 * @param ttlSeconds time to live of the tags; null makes them counter tags (each applied
 * call adds 1)
 */
public record TagRequest(IdentifierType identifierType, String identifier, List<String> tags, Long ttlSeconds) {

    public TagRequest {
        Objects.requireNonNull(identifierType, "identifierType");
        Objects.requireNonNull(identifier, "identifier");
        tags = List.copyOf(tags);
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("a tag request needs at least one tag");
        }
    }

    public boolean counterTags() {
        return ttlSeconds == null;
    }
}
