package com.loyaltybridge.tagsync.sessionm;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.util.Assert;
import org.springframework.web.util.UriUtils;

/**
 * Where a customer's tags live. The customer identifier and the API key are data placed
 * in the path, so each is percent-encoded as exactly one path segment: an identifier such
 * as {@code ../../admin} or {@code id?x=1} must reach SessionM as that identifier, never
 * as another path or a query.
 */
final class TagsPaths {

    /**
     * The documented create-or-increment path; reading a customer's tags is assumed to
     * use it too.
     */
    static final String DOCUMENTED_TAGS_PATH = "/priv/v1/apps/{api_key}/{collection}/{identifier}/tags";

    private static final String API_KEY = "{api_key}";

    private static final String COLLECTION = "{collection}";

    private static final String IDENTIFIER = "{identifier}";

    private static final String MASKED_API_KEY = "***";

    private final String readTemplate;

    TagsPaths(String readTemplate) {
        for (String placeholder : List.of(API_KEY, COLLECTION, IDENTIFIER)) {
            Assert.isTrue(readTemplate.contains(placeholder),
                    () -> "sessionm.tags-read-path must contain " + placeholder + ": " + readTemplate);
        }
        this.readTemplate = readTemplate;
    }

    /** The create-or-increment call for one customer. */
    Target tags(URI endpoint, String apiKey, IdentifierType type, String identifier) {
        return target(DOCUMENTED_TAGS_PATH, endpoint, apiKey, type, identifier);
    }

    /** The call that reads one customer's tags. */
    Target readTags(URI endpoint, String apiKey, IdentifierType type, String identifier) {
        return target(readTemplate, endpoint, apiKey, type, identifier);
    }

    private static Target target(String template, URI endpoint, String apiKey, IdentifierType type, String identifier) {
        String encodedIdentifier = encodeSegment(identifier);
        String path = expand(template, encodeSegment(apiKey), type, encodedIdentifier);
        String base = endpoint.toString().replaceAll("/+$", "");
        // URI.create keeps the encoding as given; a multi-argument URI constructor would
        // encode '%' again.
        return new Target(URI.create(base + path), expand(template, MASKED_API_KEY, type, encodedIdentifier));
    }

    private static String expand(String template, String apiKey, IdentifierType type, String encodedIdentifier) {
        return template.replace(API_KEY, apiKey)
            .replace(COLLECTION, type.collection())
            .replace(IDENTIFIER, encodedIdentifier);
    }

    /**
     * Encodes every character outside RFC 3986 "unreserved" (UTF-8 bytes for non-ASCII).
     * The dot segments {@code .} and {@code ..} are made only of unreserved characters,
     * so they are encoded explicitly: clients, proxies and servers remove them from
     * paths.
     */
    static String encodeSegment(String value) {
        return switch (value) {
            case "." -> "%2E";
            case ".." -> "%2E%2E";
            default -> UriUtils.encode(value, StandardCharsets.UTF_8);
        };
    }

    /**
     * One request target.
     *
     * @param uri the full address, which carries the API key: never log it
     * @param loggablePath the path with the API key masked, for logs and messages
     */
    record Target(URI uri, String loggablePath) {

        @Override
        public String toString() {
            return loggablePath;
        }
    }

}
