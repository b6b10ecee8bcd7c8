package com.loyaltybridge.tagsync.text;

import java.util.Optional;

/**
 * Text that came from outside (a request, a mapping file, an option): which characters a
 * name may not hold, and how such text is quoted in a message. Every name a caller or an
 * operator gives (tags, identifier sources, segment ids, export names, locations) is
 * checked here, so one rule holds everywhere.
 */
public final class UntrustedText {

    /**
     * Quoted text is clipped to this many characters: an error never echoes a request
     * back whole.
     */
    public static final int MAX_QUOTED_LENGTH = 100;

    private UntrustedText() {
    }

    /**
     * The first character a name may not hold, described for a message ("the control
     * character U+000A"); empty when there is none. Refused: control characters (C0, DEL,
     * C1), which split log lines and CSV rows; the line and paragraph separators U+2028
     * and U+2029, which some viewers and JSON-in-JavaScript take as line ends; Unicode's
     * bidirectional controls (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069),
     * which make a name read as something else on screen; and a lone UTF-16 surrogate,
     * which is no character at all.
     */
    public static Optional<String> forbiddenCharacterIn(String text) {
        for (int i = 0; i < text.length();) {
            int codePoint = text.codePointAt(i);
            String kind = kindOf(codePoint);
            if (kind != null) {
                return Optional.of("the " + kind + " U+%04X".formatted(codePoint));
            }
            i += Character.charCount(codePoint);
        }
        return Optional.empty();
    }

    /**
     * {@code text} in single quotes for a message: at most {@value #MAX_QUOTED_LENGTH}
     * characters (then "…"), and every character {@link #forbiddenCharacterIn} refuses
     * shown as {@code ?}, so a quoted name never splits or reorders the line it is quoted
     * in.
     */
    public static String quote(String text) {
        return quote(text, MAX_QUOTED_LENGTH);
    }

    /**
     * Like {@link #quote(String)}, clipped at {@code maxLength} characters: for text
     * already checked to be no longer than a limit of its own (a location), which a
     * message should show whole.
     */
    public static String quote(String text, int maxLength) {
        if (text == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder("'");
        int count = 0;
        for (int i = 0; i < text.length(); count++) {
            int codePoint = text.codePointAt(i);
            if (count == maxLength) {
                return quoted.append("…'").toString();
            }
            quoted.appendCodePoint(kindOf(codePoint) == null ? codePoint : '?');
            i += Character.charCount(codePoint);
        }
        return quoted.append('\'').toString();
    }

    private static String kindOf(int codePoint) {
        if (Character.isISOControl(codePoint)) {
            return "control character";
        }
        if (codePoint == 0x2028 || codePoint == 0x2029) {
            return codePoint == 0x2028 ? "line separator" : "paragraph separator";
        }
        if (codePoint == 0x061C || codePoint == 0x200E || codePoint == 0x200F
                || (codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069)) {
            return "bidirectional control";
        }
        if (Character.isSurrogate((char) codePoint) && Character.isBmpCodePoint(codePoint)) {
            return "lone surrogate";
        }
        return null;
    }

}
