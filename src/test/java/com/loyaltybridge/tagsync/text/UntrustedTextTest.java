package com.loyaltybridge.tagsync.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which characters a name from a request or a mapping file may not hold, and how such
 * text is quoted in messages.
 */
class UntrustedTextTest {

    @ParameterizedTest(name = "U+{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0000 | the control character U+0000
            000A | the control character U+000A
            000D | the control character U+000D
            007F | the control character U+007F
            0085 | the control character U+0085
            2028 | the line separator U+2028
            2029 | the paragraph separator U+2029
            061C | the bidirectional control U+061C
            200E | the bidirectional control U+200E
            200F | the bidirectional control U+200F
            202A | the bidirectional control U+202A
            202E | the bidirectional control U+202E
            2066 | the bidirectional control U+2066
            2069 | the bidirectional control U+2069
            D800 | the lone surrogate U+D800
            """)
    void refusesControlSeparatorAndBidiCharactersWhereverTheyAre(String hex, String description) {
        String character = String.valueOf((char) Integer.parseInt(hex, 16));

        assertThat(UntrustedText.forbiddenCharacterIn("vip" + character + "gold")).contains(description);
        assertThat(UntrustedText.forbiddenCharacterIn(character)).contains(description);
    }

    @Test
    void acceptsOrdinaryNamesInAnyScript() {
        assertThat(UntrustedText.forbiddenCharacterIn("vip_gold-2026")).isEmpty();
        assertThat(UntrustedText.forbiddenCharacterIn("عضو ذهبي")).isEmpty();
        assertThat(UntrustedText.forbiddenCharacterIn("会员 🎉 👩‍👩‍👧")).as("emoji with joiners").isEmpty();
    }

    @Test
    void quotesAtMostAHundredCharactersAndNeverALineBreakOrOverride() {
        assertThat(UntrustedText.quote("fast")).isEqualTo("'fast'");
        assertThat(UntrustedText.quote("a\nb\u202Ec")).isEqualTo("'a?b?c'");
        assertThat(UntrustedText.quote("x".repeat(100))).isEqualTo("'" + "x".repeat(100) + "'");
        assertThat(UntrustedText.quote("x".repeat(19_000_000))).isEqualTo("'" + "x".repeat(100) + "…'");
        assertThat(UntrustedText.quote("🎉".repeat(101))).isEqualTo("'" + "🎉".repeat(100) + "…'");
    }

}
