package com.loyaltybridge.tagsync.sync;

import java.util.Optional;

import com.loyaltybridge.tagsync.text.UntrustedText;

/**
 * What SessionM takes as a tag name, checked wherever tag names come in (command line,
 * segment mappings, REST).
 */
public final class TagNames {

    public static final int MAX_LENGTH = 255;

    private TagNames() {
    }

    /**
     * Why {@code name} is not a usable tag name, fit to show a user; empty when it is.
     */
    public static Optional<String> problemWith(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("empty tag name");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional
                .of(UntrustedText.quote(name) + " is not a usable tag name: longer than " + MAX_LENGTH + " characters");
        }
        return UntrustedText.forbiddenCharacterIn(name)
            .map(character -> UntrustedText.quote(name) + " is not a usable tag name: it holds " + character);
    }

}
