package com.loyaltybridge.tagsync.sync;

import java.util.Optional;

/** What SessionM takes as a tag name, checked wherever tag names come in (command line, segment mappings, REST). */
public final class TagNames {

    public static final int MAX_LENGTH = 255;

    private TagNames() {
    }

    /** Why {@code name} is not a usable tag name, fit to show a user; empty when it is. */
    public static Optional<String> problemWith(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("empty tag name");
        }
        if (name.length() > MAX_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("'" + name + "' is not a usable tag name (at most " + MAX_LENGTH
                    + " characters, no control characters)");
        }
        return Optional.empty();
    }
}
