package com.loyaltybridge.tagsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad command lines are refused up front: one clear line, the usage exit code, and no application
 * started (no database, no S3, no SessionM is touched: these tests run without any of them).
 */
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
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
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
            """)
    void badUsageIsRefusedWithOneClearLine(String description, String commandLine, String expectedMessage) {
        String[] args = commandLine == null ? new String[0] : commandLine.trim().split("\\s+");

        ExitCode code = cli.run(args);

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(stderr().lines().toList()).hasSize(2);
        assertThat(stderr()).startsWith("error: ").contains(expectedMessage).contains("Run with --help")
                .doesNotContain("Exception", "\tat ");
        assertThat(stdout()).isEmpty();
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
