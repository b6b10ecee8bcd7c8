package com.loyaltybridge.tagsync.brazeexport;

import static com.loyaltybridge.tagsync.support.ExportFixtures.concat;
import static com.loyaltybridge.tagsync.support.ExportFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

import com.loyaltybridge.tagsync.brazeexport.ExportRecord.ExportUser;
import com.loyaltybridge.tagsync.brazeexport.ExportRecord.SkippedLine;
import com.loyaltybridge.tagsync.support.ExportFixtures;

class BrazeUserParserTest {

    private static final String KEY = "segment-export/SEG/2026-11-28/uuid-1764288000/a.zip";

    private static final BrazeExportSettings SETTINGS = new BrazeExportSettings(DataSize.ofMegabytes(1),
            DataSize.ofGigabytes(1), 255);

    @Nested
    class ByExternalId {

        private final BrazeUserParser parser = new BrazeUserParser(IdentifierSource.EXTERNAL_ID, SETTINGS);

        @Test
        void aUserLineBecomesTheUserWithItsPositionInTheExport() {
            ExportRecord record = parser.apply(new ExportLine(3, KEY, 17, utf8(
                    "{\"external_id\":\"C-1029384\",\"braze_id\":\"65a1\",\"user_aliases\":[{\"alias_name\":\"7f\","
                            + "\"alias_label\":\"x\"}],\"custom_attributes\":{\"tier\":\"gold\",\"opt_in\":true}}"),
                    false));

            assertThat(record).isEqualTo(new ExportUser(3, KEY, 17, "C-1029384"));
        }

        @ParameterizedTest
        @ValueSource(strings = { "a/b", "../../admin", "x y", "id?x=1", "%2e%2e", "ünï", " padded ", "😀",
                "C-1;DROP TABLE" })
        void identifiersAreDataKeptExactlyAsWritten(String identifier) {
            assertThat(parse(parser, ExportFixtures.user(identifier))).isEqualTo(new ExportUser(0, KEY, 1, identifier));
        }

        @Test
        void jsonEscapesAreDecodedAsJsonDefinesThem() {
            assertThat(parse(parser, "{\"external_id\":\"a\\/b\\u00fc\"}"))
                .isEqualTo(new ExportUser(0, KEY, 1, "a/bü"));
        }

        @Test
        void identifiersUpToTheLimitAreKeptCountingCharactersNotUtf16Units() {
            assertThat(parse(parser, ExportFixtures.user("x".repeat(255)))).isInstanceOf(ExportUser.class);
            assertThat(parse(parser, ExportFixtures.user("😀".repeat(255)))).isInstanceOf(ExportUser.class);
        }

        @Test
        void aLineOverTheSizeLimitIsSkipped() {
            assertThat(parser.apply(new ExportLine(0, KEY, 9, new byte[0], true))).isEqualTo(new SkippedLine(KEY, 9,
                    SkipReason.LINE_TOO_LONG, "longer than the 1MB limit (braze.export.max-line-size)"));
        }

        @ParameterizedTest
        @ValueSource(strings = { "{\"external_id\":\"x\"", "not json", "{\"external_id\":\"x\",}",
                "{\"external_id\":'x'}", "{\"external_id\":\"x\"} trailing", "{external_id:\"x\"}",
                "{\"external_id\":\"tab\there\"}", "{\"external_id\":\"x\", \"n\": 01}" })
        void malformedJsonIsInvalidJson(String line) {
            assertThat(skipReason(parse(parser, line))).isEqualTo(SkipReason.INVALID_JSON);
        }

        @Test
        void twoValuesOnOneLineAreInvalidJson() {
            assertThat(parse(parser, "{\"external_id\":\"x\"} {\"external_id\":\"y\"}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.INVALID_JSON, "more than one JSON value on the line"));
        }

        @Test
        void invalidUtf8IsInvalidJsonInTheIdentifierAndAnywhereElse() {
            byte[] inIdentifier = concat(utf8("{\"external_id\":\"ab"), new byte[] { (byte) 0xC3, 'x' }, utf8("\"}"));
            byte[] elsewhere = concat(utf8("{\"external_id\":\"ok\",\"first_name\":\""), new byte[] { (byte) 0xFF },
                    utf8("\"}"));

            assertThat(parser.apply(new ExportLine(0, KEY, 1, inIdentifier, false))).isEqualTo(
                    new SkippedLine(KEY, 1, SkipReason.INVALID_JSON, "Invalid UTF-8 middle byte 0x78 near byte 20"));
            assertThat(skipReason(parser.apply(new ExportLine(0, KEY, 1, elsewhere, false))))
                .isEqualTo(SkipReason.INVALID_JSON);
        }

        @Test
        void nestingDeeperThanTheLimitIsInvalidJsonEvenWhereNothingIsRead() {
            String deep = "{\"external_id\":\"ok\",\"custom_attributes\":{\"x\":" + "[".repeat(70) + "]".repeat(70)
                    + "}}";

            assertThat(parse(parser, deep))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.INVALID_JSON, "nested deeper than 64 levels"));
        }

        @Test
        void anIdentifierGivenTwiceIsInvalidJson() {
            assertThat(parse(parser, "{\"external_id\":\"a\",\"external_id\":\"b\"}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.INVALID_JSON, "external_id appears more than once"));
        }

        @Test
        void detailsAreShortWhateverTheLine() {
            String hostile = "{\"external_id\":" + "x".repeat(100_000) + "}";

            SkippedLine skipped = (SkippedLine) parse(parser, hostile);

            assertThat(skipped.reason()).isEqualTo(SkipReason.INVALID_JSON);
            assertThat(skipped.detail()).hasSizeLessThanOrEqualTo(203).doesNotContain("x".repeat(300));
        }

        @Test
        void aLineThatIsNotAnObjectIsTheWrongType() {
            assertThat(parse(parser, "[{\"external_id\":\"x\"}]"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.WRONG_TYPE, "the line is an array, not a JSON object"));
            assertThat(parse(parser, "\"C-1\""))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.WRONG_TYPE, "the line is a string, not a JSON object"));
            assertThat(parse(parser, "42"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.WRONG_TYPE, "the line is a number, not a JSON object"));
        }

        @Test
        void anIdentifierThatIsNotAStringIsTheWrongType() {
            assertThat(parse(parser, "{\"external_id\":1029384}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.WRONG_TYPE, "external_id is a number, not a string"));
            assertThat(parse(parser, "{\"external_id\":1.5e3}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.WRONG_TYPE, "external_id is a number, not a string"));
            assertThat(parse(parser, "{\"external_id\":true}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.WRONG_TYPE, "external_id is a boolean, not a string"));
            assertThat(parse(parser, "{\"external_id\":{\"id\":\"x\"}}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.WRONG_TYPE, "external_id is an object, not a string"));
            assertThat(parse(parser, "{\"external_id\":[\"x\"]}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.WRONG_TYPE, "external_id is an array, not a string"));
        }

        @Test
        void anAbsentNullOrEmptyIdentifierIsMissing() {
            assertThat(parse(parser, "{\"braze_id\":\"65a1f0c2e4b0a1b2c3d4e5f7\",\"language\":\"fr\"}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER, "no external_id"));
            assertThat(parse(parser, "{}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER, "no external_id"));
            assertThat(parse(parser, "{\"external_id\":null}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER, "external_id is null"));
            assertThat(parse(parser, "{\"external_id\":\"\"}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER, "external_id is empty"));
        }

        @Test
        void anIdentifierWithControlCharactersIsInvalid() {
            assertThat(parse(parser, "{\"external_id\":\"a\\u0000b\"}")).isEqualTo(new SkippedLine(KEY, 1,
                    SkipReason.INVALID_IDENTIFIER, "external_id contains the control character U+0000"));
            assertThat(parse(parser, "{\"external_id\":\"a\\nb\"}")).isEqualTo(new SkippedLine(KEY, 1,
                    SkipReason.INVALID_IDENTIFIER, "external_id contains the control character U+000A"));
            assertThat(parse(parser, "{\"external_id\":\"a\\u007fb\"}")).isEqualTo(new SkippedLine(KEY, 1,
                    SkipReason.INVALID_IDENTIFIER, "external_id contains the control character U+007F"));
            assertThat(parse(parser, "{\"external_id\":\"a\\u0085b\"}")).isEqualTo(new SkippedLine(KEY, 1,
                    SkipReason.INVALID_IDENTIFIER, "external_id contains the control character U+0085"));
        }

        @Test
        void anIdentifierOverTheLengthLimitOrNotUnicodeIsInvalid() {
            assertThat(parse(parser, ExportFixtures.user("x".repeat(256)))).isEqualTo(new SkippedLine(KEY, 1,
                    SkipReason.INVALID_IDENTIFIER, "external_id is 256 characters long, more than the 255 allowed"));
            assertThat(parse(parser, "{\"external_id\":\"a\\ud800\"}")).isEqualTo(new SkippedLine(KEY, 1,
                    SkipReason.INVALID_IDENTIFIER, "external_id is not valid Unicode (a lone UTF-16 surrogate)"));
        }

        @Test
        void manyThreadsParsingAtOnceGetWhatOneThreadGets() throws Exception {
            List<String> lines = IntStream.range(0, 2_000).mapToObj(i -> switch (i % 4) {
                case 0 -> ExportFixtures.user("user-" + i);
                case 1 -> "{\"external_id\":" + i + "}";
                case 2 -> "{\"external_id\":\"broken-" + i;
                default -> "{\"custom_attributes\":{\"a\":[" + i + "]},\"external_id\":\"late-" + i + "\"}";
            }).toList();
            List<ExportRecord> expected = lines.stream().map(line -> parse(parser, line)).toList();

            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Callable<List<ExportRecord>>> tasks = IntStream.range(0, 8)
                    .<Callable<List<ExportRecord>>>mapToObj(
                            t -> () -> lines.stream().map(line -> parse(parser, line)).toList())
                    .toList();
                for (Future<List<ExportRecord>> result : threads.invokeAll(tasks)) {
                    assertThat(result.get()).isEqualTo(expected);
                }
            }
            finally {
                threads.shutdownNow();
            }
        }

    }

    @Nested
    class ByCustomAttribute {

        private final BrazeUserParser parser = new BrazeUserParser(
                IdentifierSource.parse("custom_attribute:sessionm_id"), SETTINGS);

        @Test
        void theNamedStringAttributeIsTheIdentifier() {
            assertThat(parse(parser,
                    "{\"external_id\":\"C-1\",\"custom_attributes\":{\"tier\":{\"x\":[1]},"
                            + "\"sessionm_id\":\"u-42\",\"other\":\"y\"}}"))
                .isEqualTo(new ExportUser(0, KEY, 1, "u-42"));
        }

        @Test
        void anAbsentOrNullAttributeIsMissing() {
            assertThat(parse(parser, "{\"custom_attributes\":{\"tier\":\"gold\"}}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER, "no custom attribute 'sessionm_id'"));
            assertThat(parse(parser, "{\"external_id\":\"C-1\"}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER, "no custom attribute 'sessionm_id'"));
            assertThat(parse(parser, "{\"custom_attributes\":null}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER, "no custom attribute 'sessionm_id'"));
            assertThat(parse(parser, "{\"custom_attributes\":{\"sessionm_id\":null}}")).isEqualTo(
                    new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER, "custom attribute 'sessionm_id' is null"));
        }

        @Test
        void aNonStringAttributeOrANonObjectContainerIsTheWrongType() {
            assertThat(parse(parser, "{\"custom_attributes\":{\"sessionm_id\":42}}")).isEqualTo(new SkippedLine(KEY, 1,
                    SkipReason.WRONG_TYPE, "custom attribute 'sessionm_id' is a number, not a string"));
            assertThat(parse(parser, "{\"custom_attributes\":\"sessionm_id=42\"}")).isEqualTo(
                    new SkippedLine(KEY, 1, SkipReason.WRONG_TYPE, "custom_attributes is a string, not an object"));
        }

        @Test
        void aTopLevelFieldOfTheAttributesNameIsNotTheAttribute() {
            assertThat(parse(parser, "{\"sessionm_id\":\"top\",\"custom_attributes\":{}}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER, "no custom attribute 'sessionm_id'"));
        }

    }

    @Nested
    class ByUserAlias {

        private final BrazeUserParser parser = new BrazeUserParser(IdentifierSource.parse("alias:sessionm_user_id"),
                SETTINGS);

        @Test
        void theNameOfTheFirstAliasWithTheLabelIsTheIdentifier() {
            assertThat(parse(parser,
                    "{\"user_aliases\":[{\"alias_name\":\"other\",\"alias_label\":\"crm\"},"
                            + "{\"alias_label\":\"sessionm_user_id\",\"alias_name\":\"7f3e9a10\"},"
                            + "{\"alias_name\":\"second\",\"alias_label\":\"sessionm_user_id\"}]}"))
                .isEqualTo(new ExportUser(0, KEY, 1, "7f3e9a10"));
        }

        @Test
        void aSingleAliasObjectIsAcceptedAsTheFieldTableDescribesIt() {
            assertThat(parse(parser,
                    "{\"user_aliases\":{\"alias_name\":\"7f3e9a10\",\"alias_label\":\"sessionm_user_id\"}}"))
                .isEqualTo(new ExportUser(0, KEY, 1, "7f3e9a10"));
        }

        @Test
        void withoutAnAliasOfTheLabelTheIdentifierIsMissing() {
            assertThat(
                    parse(parser, "{\"user_aliases\":[{\"alias_name\":\"x\",\"alias_label\":\"crm\"}, 42, \"junk\"]}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER,
                        "no user alias labelled 'sessionm_user_id'"));
            assertThat(parse(parser, "{\"user_aliases\":[{\"alias_label\":\"sessionm_user_id\"}]}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER,
                        "the alias labelled 'sessionm_user_id' has no alias_name"));
        }

        @Test
        void aNonStringAliasNameOrANonArrayFieldIsTheWrongType() {
            assertThat(parse(parser, "{\"user_aliases\":[{\"alias_name\":7,\"alias_label\":\"sessionm_user_id\"}]}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.WRONG_TYPE,
                        "the alias_name of the alias labelled 'sessionm_user_id' is a number, not a string"));
            assertThat(parse(parser, "{\"user_aliases\":\"7f3e9a10\"}")).isEqualTo(new SkippedLine(KEY, 1,
                    SkipReason.WRONG_TYPE, "user_aliases is a string, not an array of aliases"));
        }

    }

    /**
     * The offers job's parser: the SessionM user_id, and who the user is in Braze, to
     * write to its profile.
     */
    @Nested
    class WithBrazeProfile {

        private final BrazeUserParser parser = BrazeUserParser
            .withBrazeProfile(IdentifierSource.parse("custom_attribute:sm"), SETTINGS);

        @Test
        void aMemberComesWithItsExternalIdItsBrazeIdAndItsLanguage() {
            assertThat(parse(parser,
                    "{\"external_id\":\"E-1\",\"braze_id\":\"65a1\",\"language\":\"pt-BR\","
                            + "\"custom_attributes\":{\"sm\":\"u-1\"}}"))
                .isEqualTo(new ExportUser(0, KEY, 1, "u-1", new BrazeProfile("E-1", "65a1", "pt-BR")));
        }

        @Test
        void anAnonymousMemberIsWrittenByItsBrazeIdAndAnOddLanguageCountsAsNone() {
            ExportRecord record = parse(parser,
                    "{\"braze_id\":\"65a1\",\"language\":\"<en>\",\"custom_attributes\":{\"sm\":\"u-1\"}}");

            assertThat(record).isEqualTo(new ExportUser(0, KEY, 1, "u-1", new BrazeProfile(null, "65a1", null)));
            assertThat(((ExportUser) record).profile().field()).isEqualTo("braze_id");
        }

        @Test
        void aMemberNothingNamesInBrazeIsSkipped() {
            assertThat(parse(parser, "{\"external_id\":null,\"braze_id\":\"\",\"custom_attributes\":{\"sm\":\"u-1\"}}"))
                .isEqualTo(new SkippedLine(KEY, 1, SkipReason.MISSING_IDENTIFIER,
                        "no external_id or braze_id: nothing names the user's Braze profile"));
        }

        @Test
        void aBrazeIdentifierOfTheWrongTypeOrWithControlCharactersIsRefused() {
            assertThat(skipReason(parse(parser, "{\"external_id\":42,\"custom_attributes\":{\"sm\":\"u-1\"}}")))
                .isEqualTo(SkipReason.WRONG_TYPE);
            assertThat(skipReason(parse(parser, "{\"external_id\":\"E\\n1\",\"custom_attributes\":{\"sm\":\"u-1\"}}")))
                .isEqualTo(SkipReason.INVALID_IDENTIFIER);
        }

        @Test
        void theTagSyncsParserReadsNoneOfIt() {
            BrazeUserParser tagSync = new BrazeUserParser(IdentifierSource.parse("custom_attribute:sm"), SETTINGS);

            assertThat(parse(tagSync, "{\"external_id\":42,\"custom_attributes\":{\"sm\":\"u-1\"}}"))
                .isEqualTo(new ExportUser(0, KEY, 1, "u-1"));
        }

    }

    private static ExportRecord parse(BrazeUserParser parser, String line) {
        return parser.apply(new ExportLine(0, KEY, 1, utf8(line), false));
    }

    private static SkipReason skipReason(ExportRecord record) {
        assertThat(record).isInstanceOf(SkippedLine.class);
        return ((SkippedLine) record).reason();
    }

}
