package com.loyaltybridge.tagsync.brazeexport;

import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Turns one export line into the user it describes, or into the reason it was skipped.
 * Streams through the line once, keeping only the configured identifier and skipping
 * everything else unread, yet validating that the whole line is one well-formed JSON
 * object. The identifier is data: it is kept exactly as Braze wrote it, never trimmed or
 * normalized. Thread-safe: the reader's read-ahead thread applies it to each line
 * ({@link BrazeExportItemReader}'s line mapper).
 * <p>
 * A job that writes to the users' Braze profiles reads, with {@link #withBrazeProfile},
 * who each user is in Braze as well ({@link BrazeProfile}: {@code external_id}, else
 * {@code braze_id}, and {@code language}); a line with neither identifier is skipped, as
 * nothing could be written for it. The tag sync's parser looks at none of these fields.
 */
public class BrazeUserParser implements Function<ExportLine, ExportRecord> {

    private static final int MAX_NESTING_DEPTH = 64;

    private static final int MAX_DETAIL_LENGTH = 200;

    private static final String NESTING_DEPTH_MESSAGE_START = "Document nesting depth";

    /**
     * A language tag such as {@code fr} or {@code pt-BR}; anything else is taken as no
     * language.
     */
    private static final Pattern UNTRUSTED_LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");

    private static final int MAX_LANGUAGE_LENGTH = 35;

    // Thread-safe and costly to build: one for all lines and threads.
    private static final JsonFactory JSON = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
        .build();

    private final IdentifierSource source;

    private final int maxIdentifierLength;

    private final String maxLineSize;

    private final String topLevelField;

    private final String subject;

    private final String absent;

    private final boolean readsProfile;

    public BrazeUserParser(IdentifierSource source, BrazeExportSettings settings) {
        this(source, settings, false);
    }

    /**
     * A parser that also reads who each user is in Braze
     * ({@link ExportRecord.ExportUser#profile()}).
     */
    public static BrazeUserParser withBrazeProfile(IdentifierSource source, BrazeExportSettings settings) {
        return new BrazeUserParser(source, settings, true);
    }

    private BrazeUserParser(IdentifierSource source, BrazeExportSettings settings, boolean readsProfile) {
        this.readsProfile = readsProfile;
        this.source = source;
        this.maxIdentifierLength = settings.maxIdentifierLength();
        this.maxLineSize = BrazeExportSettings.describe(settings.maxLineSize());
        this.topLevelField = switch (source.kind()) {
            case EXTERNAL_ID -> "external_id";
            case CUSTOM_ATTRIBUTE -> "custom_attributes";
            case USER_ALIAS -> "user_aliases";
        };
        this.subject = switch (source.kind()) {
            case EXTERNAL_ID -> "external_id";
            case CUSTOM_ATTRIBUTE -> "custom attribute '" + source.name() + "'";
            case USER_ALIAS -> "the alias_name of the alias labelled '" + source.name() + "'";
        };
        this.absent = switch (source.kind()) {
            case EXTERNAL_ID -> "no external_id";
            case CUSTOM_ATTRIBUTE -> "no custom attribute '" + source.name() + "'";
            case USER_ALIAS -> "no user alias labelled '" + source.name() + "'";
        };
    }

    @Override
    public ExportRecord apply(ExportLine line) {
        if (line.tooLong()) {
            return skipped(line, SkipReason.LINE_TOO_LONG,
                    "longer than the " + maxLineSize + " limit (braze.export.max-line-size)");
        }
        Lookup lookup;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), line.content())) {
            lookup = lookUp(parser);
            if (parser.nextToken() != null) {
                return skipped(line, SkipReason.INVALID_JSON, "more than one JSON value on the line");
            }
        }
        catch (StreamConstraintsException e) {
            String message = e.getOriginalMessage();
            return skipped(line, SkipReason.INVALID_JSON,
                    message != null && message.startsWith(NESTING_DEPTH_MESSAGE_START)
                            ? "nested deeper than " + MAX_NESTING_DEPTH + " levels" : describe(e));
        }
        catch (JacksonException e) {
            return skipped(line, SkipReason.INVALID_JSON, describe(e));
        }
        return lookup.toRecord(line);
    }

    private Lookup lookUp(JsonParser parser) {
        Lookup lookup = new Lookup();
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
            lookup.fail(first == null ? SkipReason.INVALID_JSON : SkipReason.WRONG_TYPE,
                    first == null ? "no JSON value" : "the line is " + describe(first) + ", not a JSON object");
            parser.skipChildren();
            return lookup;
        }
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (readsProfile) {
                lookup.profileField(name, value, parser);
            }
            if (!name.equals(topLevelField)) {
                parser.skipChildren();
                continue;
            }
            switch (source.kind()) {
                case EXTERNAL_ID -> lookup.offer(parser, value);
                case CUSTOM_ATTRIBUTE -> readCustomAttributes(parser, value, lookup);
                case USER_ALIAS -> readUserAliases(parser, value, lookup);
            }
        }
        return lookup;
    }

    private void readCustomAttributes(JsonParser parser, JsonToken token, Lookup lookup) {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_OBJECT) {
            lookup.fail(SkipReason.WRONG_TYPE, "custom_attributes is " + describe(token) + ", not an object");
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals(source.name())) {
                lookup.offer(parser, value);
            }
            else {
                parser.skipChildren();
            }
        }
    }

    /**
     * An array of {alias_name, alias_label} as the export schema shows, or one such
     * object as the field table says.
     */
    private void readUserAliases(JsonParser parser, JsonToken token, Lookup lookup) {
        switch (token) {
            case VALUE_NULL -> {
            }
            case START_OBJECT -> readUserAlias(parser, lookup);
            case START_ARRAY -> {
                JsonToken element;
                while ((element = parser.nextToken()) != JsonToken.END_ARRAY && element != null) {
                    if (element == JsonToken.START_OBJECT) {
                        readUserAlias(parser, lookup);
                    }
                    else {
                        parser.skipChildren();
                    }
                }
            }
            default -> {
                lookup.fail(SkipReason.WRONG_TYPE, "user_aliases is " + describe(token) + ", not an array of aliases");
                parser.skipChildren();
            }
        }
    }

    /**
     * Reads one alias object; the first alias with the configured label gives the
     * identifier.
     */
    private void readUserAlias(JsonParser parser, Lookup lookup) {
        boolean labelled = false;
        JsonToken nameToken = null;
        String name = null;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("alias_label")) {
                labelled = value == JsonToken.VALUE_STRING && parser.getString().equals(source.name());
            }
            else if (field.equals("alias_name")) {
                nameToken = value;
                name = value == JsonToken.VALUE_STRING ? parser.getString() : null;
            }
            parser.skipChildren();
        }
        if (labelled && !lookup.found) {
            if (nameToken == null) {
                lookup.fail(SkipReason.MISSING_IDENTIFIER,
                        "the alias labelled '" + source.name() + "' has no alias_name");
            }
            lookup.accept(nameToken, name);
        }
    }

    private @Nullable String invalidity(String identifier) {
        return invalidity(subject, identifier);
    }

    private @Nullable String invalidity(String subject, String identifier) {
        int length = identifier.codePointCount(0, identifier.length());
        if (length > maxIdentifierLength) {
            return subject + " is " + length + " characters long, more than the " + maxIdentifierLength + " allowed";
        }
        for (int i = 0; i < identifier.length();) {
            int codePoint = identifier.codePointAt(i);
            if (Character.isISOControl(codePoint)) {
                return subject + " contains the control character U+%04X".formatted(codePoint);
            }
            // A lone surrogate (JSON can escape half a surrogate pair) is no character:
            // it cannot be sent on as UTF-8.
            if (Character.isSurrogate((char) codePoint)) {
                return subject + " is not valid Unicode (a lone UTF-16 surrogate)";
            }
            i += Character.charCount(codePoint);
        }
        return null;
    }

    private static ExportRecord.SkippedLine skipped(ExportLine line, SkipReason reason, String detail) {
        return new ExportRecord.SkippedLine(line.objectKey(), line.lineNumber(), reason, shorten(detail));
    }

    private static String describe(JacksonException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        TokenStreamLocation location = e.getLocation();
        return location != null && location.getByteOffset() >= 0 ? message + " near byte " + location.getByteOffset()
                : message;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    /**
     * One short printable line: details are stored and shown, and may quote hostile
     * input.
     */
    private static String shorten(String detail) {
        StringBuilder shortened = new StringBuilder(Math.min(detail.length(), MAX_DETAIL_LENGTH));
        detail.codePoints()
            .limit(MAX_DETAIL_LENGTH)
            .forEach(c -> shortened.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return detail.codePointCount(0, detail.length()) > MAX_DETAIL_LENGTH ? shortened.append("...").toString()
                : shortened.toString();
    }

    /**
     * What one line says about the configured identifier; the first problem found is the
     * one reported.
     */
    private final class Lookup {

        private boolean found;

        private @Nullable JsonToken valueToken;

        private @Nullable String value;

        private @Nullable SkipReason problem;

        private @Nullable String problemDetail;

        private @Nullable String externalId;

        private @Nullable String brazeId;

        private @Nullable String language;

        /**
         * A top-level field, with the parser on its value, left there: who the user is in
         * Braze. An identifier of the wrong type or unusable refuses the line; a language
         * that is not a short string is taken as none.
         */
        void profileField(String name, JsonToken token, JsonParser parser) {
            switch (name) {
                case "external_id", "braze_id" -> {
                    if (token == JsonToken.VALUE_NULL) {
                        return;
                    }
                    if (token != JsonToken.VALUE_STRING) {
                        fail(SkipReason.WRONG_TYPE, name + " is " + describe(token) + ", not a string");
                        return;
                    }
                    String id = parser.getString();
                    String invalidity = id.isEmpty() ? null : invalidity(name, id);
                    if (invalidity != null) {
                        fail(SkipReason.INVALID_IDENTIFIER, invalidity);
                    }
                    else if (!id.isEmpty() && name.equals("external_id")) {
                        externalId = id;
                    }
                    else if (!id.isEmpty()) {
                        brazeId = id;
                    }
                }
                case "language" -> {
                    if (token == JsonToken.VALUE_STRING && parser.getString().length() <= MAX_LANGUAGE_LENGTH
                            && UNTRUSTED_LANGUAGE.matcher(parser.getString()).matches()) {
                        language = parser.getString();
                    }
                }
                default -> {
                }
            }
        }

        /** The identifier field itself, with the parser on its value. */
        void offer(JsonParser parser, JsonToken token) {
            if (found) {
                fail(SkipReason.INVALID_JSON, subject + " appears more than once");
            }
            accept(token, token == JsonToken.VALUE_STRING ? parser.getString() : null);
            parser.skipChildren();
        }

        void accept(@Nullable JsonToken token, @Nullable String text) {
            found = true;
            valueToken = token;
            value = text;
        }

        void fail(SkipReason reason, String detail) {
            if (problem == null) {
                problem = reason;
                problemDetail = detail;
            }
        }

        ExportRecord toRecord(ExportLine line) {
            if (problem != null) {
                return skipped(line, problem, problemDetail);
            }
            if (!found) {
                return skipped(line, SkipReason.MISSING_IDENTIFIER, absent);
            }
            if (valueToken == JsonToken.VALUE_NULL) {
                return skipped(line, SkipReason.MISSING_IDENTIFIER, subject + " is null");
            }
            if (valueToken != JsonToken.VALUE_STRING || value == null) {
                return skipped(line, SkipReason.WRONG_TYPE, subject + " is " + describe(valueToken) + ", not a string");
            }
            if (value.isEmpty()) {
                return skipped(line, SkipReason.MISSING_IDENTIFIER, subject + " is empty");
            }
            String invalidity = invalidity(value);
            if (invalidity != null) {
                return skipped(line, SkipReason.INVALID_IDENTIFIER, invalidity);
            }
            if (!readsProfile) {
                return new ExportRecord.ExportUser(line.objectIndex(), line.objectKey(), line.lineNumber(), value);
            }
            if (externalId == null && brazeId == null) {
                return skipped(line, SkipReason.MISSING_IDENTIFIER,
                        "no external_id or braze_id: nothing names the user's" + " Braze profile");
            }
            return new ExportRecord.ExportUser(line.objectIndex(), line.objectKey(), line.lineNumber(), value,
                    new BrazeProfile(externalId, brazeId, language));
        }

    }

}
