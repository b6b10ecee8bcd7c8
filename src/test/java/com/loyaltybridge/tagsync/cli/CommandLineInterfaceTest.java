package com.loyaltybridge.tagsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.loyaltybridge.tagsync.support.CountingServer;

/**
 * Bad command lines and bad configuration are refused up front: one clear line, the usage
 * exit code, and nothing started (no database, no S3, no SessionM is touched: these tests
 * run without any of them).
 */
@ExtendWith(OutputCaptureExtension.class)
class CommandLineInterfaceTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private final CommandLineInterface cli = new CommandLineInterface(
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        ExitCode code = cli.run("--help");

        assertThat(code).isEqualTo(ExitCode.COMPLETED);
        assertThat(stdout()).contains("sync", "--export=", "--tags=", "--ttl=", "--mode=", "--output=", "Exit codes");
        assertThat(stdout()).contains("offers", "--identifier=SOURCE", "--culture=", "SESSIONM_CONNECT_AUTHORIZATION");
    }

    /**
     * The offers job reads from SessionM Connect and writes to Braze: without their
     * settings it is refused, connecting nowhere.
     */
    @Test
    void offersWithoutConnectAndBrazeSettingsIsRefusedWithOneLineBeforeAnythingConnects() throws IOException {
        try (CountingServer database = new CountingServer()) {
            ExitCode code = cli.run("offers", "--export=file:/tmp/x/", "--identifier=custom_attribute:sm_user_id",
                    "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + database.port() + "/never",
                    "--sessionm.connect.endpoint=http://127.0.0.1:9/", "--sessionm.connect.authorization=",
                    "--braze.rest.api-key=");

            assertThat(code).isEqualTo(ExitCode.USAGE);
            assertThat(stderr())
                .startsWith("error: offers reads wallets from SessionM Connect and writes them to Braze, so set"
                        + " SESSIONM_CONNECT_AUTHORIZATION, SESSIONM_RETAILER_ID, BRAZE_REST_ENDPOINT, BRAZE_API_KEY\n");
            assertThat(database.connections()).as("connections to PostgreSQL").isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"',
            textBlock = """
                    no command                 |                                                                   | no command given
                    unknown command            | frobnicate                                                        | unknown command 'frobnicate'
                    unknown option             | sync --export=file:/tmp/x/ --tags=vip --colour=blue               | unknown option --colour
                    missing export             | sync --tags=vip                                                   | --export is required
                    missing tags               | sync --export=file:/tmp/x/                                        | --tags is required
                    empty tag                  | sync --export=file:/tmp/x/ --tags=vip,,gold                       | empty tag name
                    malformed S3 URI           | sync --export=s3:/bucket/x --tags=vip                             | is not a location
                    bad bucket name            | sync --export=s3://Not_A_Bucket/x --tags=vip                      | is not a bucket name
                    negative TTL               | sync --export=file:/tmp/x/ --tags=vip --ttl=-5                    | --ttl: '-5' is not a number of seconds
                    TTL not a number           | sync --export=file:/tmp/x/ --tags=vip --ttl=30d                   | --ttl: '30d' is not a number of seconds
                    zero TTL                   | sync --export=file:/tmp/x/ --tags=vip --ttl=0                     | --ttl: '0' is not a number of seconds
                    unknown mode               | sync --export=file:/tmp/x/ --tags=vip --mode=fast                 | 'fast' is not a mode
                    bad identifier source      | sync --export=file:/tmp/x/ --tags=vip --identifier=email          | 'email' is not an identifier source
                    option without value       | sync --export=file:/tmp/x/ --tags                                 | option --tags needs a value
                    option given twice         | sync --export=file:/tmp/x/ --tags=a --tags=b                      | option --tags is given twice
                    stray argument             | sync file:/tmp/x/ --tags=vip                                      | unexpected argument 'file:/tmp/x/'
                    offers without identifier  | offers --export=file:/tmp/x/                                      | --identifier is required
                    offers by an external id   | offers --export=file:/tmp/x/ --identifier=external_id             | --identifier: get_user_offers takes the SessionM user_id
                    offers with tags           | offers --export=file:/tmp/x/ --identifier=alias:sm --tags=vip     | unknown option --tags
                    offers in no culture       | offers --export=file:/tmp/x/ --identifier=alias:sm --culture=en_US | --culture: not a culture such as en-US or fr-CA
                    """)
    void badUsageIsRefusedWithOneClearLine(String description, String commandLine, String expectedMessage) {
        String[] args = commandLine == null ? new String[0] : commandLine.trim().split("\\s+");

        ExitCode code = cli.run(args);

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(stderr().lines().toList()).hasSize(2);
        assertThat(stderr()).startsWith("error: ")
            .contains(expectedMessage)
            .contains("Run with --help")
            .doesNotContain("Exception", "\tat ");
        assertThat(stdout()).isEmpty();
    }

    /**
     * Settings are checked once Spring has gathered them and before anything starts: the
     * database URL points at a socket that counts the connections made to it, and none
     * is.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"',
            textBlock = """
                    missing SessionM secret   | --mode=api --sessionm.api-secret=                              | mode api calls SessionM, so set SESSIONM_CORE_API_SECRET (or use --mode=csv)
                    missing database          | --mode=csv --output=file:/tmp/out/ --spring.datasource.url=    | no PostgreSQL to keep the sync's state in: set SPRING_DATASOURCE_URL
                    missing bulk-file output  | --mode=auto --bulk-file.output=                                | mode auto may write a bulk file: give --output=
                    number expected           | --mode=api --sessionm.max-in-flight=many                       | sessionm.max-in-flight: 'many' is not a whole number
                    out of range              | --mode=api --sessionm.max-in-flight=0                          | sessionm.max-in-flight must be at least 1, not 0
                    duration expected         | --mode=api --sessionm.request-timeout=soon                     | sessionm.request-timeout: 'soon' is not a duration such as 500ms, 30s or 5m
                    one of a list             | --mode=api --sessionm.in-doubt-counter-tags=maybe              | sessionm.in-doubt-counter-tags: 'maybe' is not one of assume-applied, resend
                    size expected             | --mode=api --braze.export.max-line-size=huge                   | braze.export.max-line-size: 'huge' is not a size such as 512KB or 1MB
                    S3 key without its secret | --mode=api --s3.access-key-id=AKIA0000 --s3.secret-access-key= | s3.access-key-id and s3.secret-access-key go together
                    pool too small for syncs  | --mode=api --api.max-concurrent-syncs=4 --spring.datasource.hikari.maximum-pool-size=10 | spring.datasource.hikari.maximum-pool-size=10 is too small for api.max-concurrent-syncs=4: each sync holds up to 3 connections, plus 4 for the API; set at least 16
                    """)
    void badConfigurationIsRefusedWithOneClearLineBeforeAnythingConnects(String description, String options,
            String expectedMessage, CapturedOutput output) throws IOException {
        try (CountingServer database = new CountingServer()) {
            Map<String, String> settings = new LinkedHashMap<>(Map.of("spring.datasource.url",
                    "jdbc:postgresql://127.0.0.1:" + database.port() + "/never", "sessionm.endpoint",
                    "http://127.0.0.1:9/", "sessionm.api-key", "key", "sessionm.api-secret", "secret"));
            for (String option : options.trim().split("\\s+")) {
                int equals = option.indexOf('=');
                settings.put(option.substring(2, equals), option.substring(equals + 1));
            }
            List<String> args = new ArrayList<>(List.of("sync", "--export=file:/tmp/x/", "--tags=vip"));
            settings.forEach((name, value) -> args.add("--" + name + "=" + value));

            ExitCode code = cli.run(args.toArray(String[]::new));

            assertThat(code).as(output.getAll()).isEqualTo(ExitCode.USAGE);
            assertThat(stderr().lines().toList()).hasSize(2).last().isEqualTo("Run with --help for usage.");
            assertThat(stderr()).startsWith("error: ").contains(expectedMessage);
            assertThat(output.getAll()).doesNotContain("\tat ", "Exception", "APPLICATION FAILED TO START");
            assertThat(database.connections()).as("connections to PostgreSQL").isZero();
        }
    }

    /**
     * What cannot become the sync's job parameters, or holds characters no name may hold,
     * is refused by the command line and by a segment mapping alike, before anything
     * connects anywhere.
     */
    @Test
    void syncRequestsBeyondTheJobParametersOrWithHiddenCharactersAreRefusedFromTheCommandLineAndTheMappings()
            throws IOException {
        String tenThousandTags = IntStream.rangeClosed(1, 10_000)
            .mapToObj(i -> "tag" + i)
            .collect(Collectors.joining(","));
        String longTags = IntStream.rangeClosed(1, 20)
            .mapToObj(i -> i + "t".repeat(200))
            .collect(Collectors.joining(","));
        String hundredAndOneTags = IntStream.rangeClosed(1, 101)
            .mapToObj(i -> "t" + i)
            .collect(Collectors.joining(","));
        try (CountingServer database = new CountingServer()) {
            String url = "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + database.port() + "/never";

            assertRefused(cli.run("sync", "--export=file:/tmp/x/", "--tags=" + tenThousandTags, "--mode=csv", url),
                    "error: --tags: 10000 tags: a sync takes at most 100");
            assertRefused(cli.run("sync", "--export=file:/tmp/x/", "--tags=" + longTags, "--mode=csv", url),
                    "error: --tags: the tags take " + longTags.length()
                            + " characters with their commas; a job parameter" + " holds at most 2500");
            assertRefused(
                    cli.run("sync", "--export=file:/tmp/x/", "--tags=vip", "--identifier=alias:a\nb", "--mode=csv",
                            url),
                    "error: 'alias:a?b' is not an identifier source: it holds the control character U+000A");
            assertRefused(cli.run("sync", "--export=file:/tmp/x/", "--tags=vip\u202Egold", "--mode=csv", url),
                    "error: --tags: 'vip?gold' is not a usable tag name: it holds the bidirectional control U+202E");
            assertRefused(
                    cli.run("scan", url, "--scan.export-roots=s3://braze-exports/", "--scan.segments[0].segment-id=s",
                            "--scan.segments[0].tags=" + hundredAndOneTags),
                    "error: segment s: 101 tags: a sync takes at most 100");
            assertRefused(
                    cli.run("scan", url, "--scan.export-roots=s3://braze-exports/",
                            "--scan.segments[0].segment-id=s\u2028x", "--scan.segments[0].tags=vip"),
                    "error: segment-id 's?x' is not a Braze segment id: it holds the line separator U+2028");
            assertThat(database.connections()).as("connections to PostgreSQL").isZero();
        }
    }

    private void assertRefused(ExitCode code, String line) {
        assertThat(code).as(stderr()).isEqualTo(ExitCode.USAGE);
        assertThat(stderr().lines().toList()).containsSubsequence(line, "Run with --help for usage.");
        err.reset();
    }

    @Test
    void exitCodesAreDistinct() {
        assertThat(java.util.Arrays.stream(ExitCode.values()).map(ExitCode::code).distinct().count())
            .isEqualTo(ExitCode.values().length);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

}
