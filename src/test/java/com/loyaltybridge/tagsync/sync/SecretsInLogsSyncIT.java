package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.users;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.CountingServer;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.PrivatePostgres;
import com.loyaltybridge.tagsync.support.S3TestServer;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * Everything full runs print, successes and failures alike, with the application's
 * clients logging at DEBUG (Spring, Hikari, the PostgreSQL driver, the AWS SDK and its
 * HTTP client): neither the SessionM API secret, nor the database password, nor the S3
 * secret key appears, not even Base64-encoded in an Authorization header. The servers the
 * tests stand up (SessionM simulator, s3proxy) receive the secrets by design and keep
 * their logs quiet.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsInLogsSyncIT extends SyncTestSupport {

    private static final String DATABASE_PASSWORD = "db-password-never-logged";

    private static final Map<String, String> CLIENTS_AT_DEBUG = Map.of("logging.level.org.springframework", "DEBUG",
            "logging.level.com.loyaltybridge.tagsync", "DEBUG", "logging.level.com.zaxxer.hikari", "DEBUG",
            "logging.level.org.postgresql", "DEBUG", "logging.level.software.amazon.awssdk", "DEBUG",
            "logging.level.org.apache.http", "DEBUG");

    @Test
    void noSecretInAnyLogLineOfRunsThatSucceedOrFail(CapturedOutput output) throws IOException {
        StorageLocation export = ExportFolder.of("secrets")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(users(1, 20)))));
        s3.createBucket("secrets-out");
        List<Run> runs = new ArrayList<>();
        try (PrivatePostgres postgres = PrivatePostgres.start()) {
            Map<String, String> database = postgres.springProperties(DATABASE_PASSWORD);
            sessionm.faultFor("C-1", Fault.status(500));
            sessionm.faultFor("C-2", Fault.resetAfterApply());
            sessionm.faultFor("C-3", Fault.applyThenDelay(Duration.ofSeconds(2)));
            runs.add(run(settings(database), "sync", "--export=" + export.uri(), "--tags=vip", "--ttl=60",
                    "--mode=api"));
            runs.add(run(settings(database), "sync", "--export=" + export.uri(), "--tags=gold", "--mode=csv",
                    "--output=s3://secrets-out/imports/"));

            sessionm.revokeCredentials();
            runs.add(run(settings(database), "sync", "--export=" + export.uri(), "--tags=silver", "--mode=api"));
        }
        try (CountingServer nothingListening = new CountingServer()) {
            Map<String, String> unreachable = Map.of("spring.datasource.url",
                    "jdbc:postgresql://127.0.0.1:" + nothingListening.port() + "/gone", "spring.datasource.username",
                    "tagsync", "spring.datasource.password", DATABASE_PASSWORD);
            runs.add(run(settings(unreachable), "sync", "--export=" + export.uri(), "--tags=vip", "--mode=api"));
        }
        runs.add(run(settings(Map.of("spring.datasource.password", DATABASE_PASSWORD)), "sync",
                "--export=" + export.uri(), "--tags=vip", "--mode=api"));

        assertThat(runs).extracting(Run::exitCode)
            .containsExactly(ExitCode.COMPLETED, ExitCode.COMPLETED, ExitCode.FAILED, ExitCode.FAILED, ExitCode.FAILED);
        String everything = output.getAll() + runs;
        assertThat(everything).as("DEBUG logging was on")
            .contains("HikariPool", "software.amazon.awssdk", "o.s.batch", "Retrying tags of external/users/C-1");
        String basic = Base64.getEncoder()
            .encodeToString((API_KEY + ":" + API_SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(everything).doesNotContain(API_SECRET)
            .doesNotContain(basic)
            .doesNotContain(DATABASE_PASSWORD)
            .doesNotContain(S3TestServer.SECRET_KEY);
    }

    private static Map<String, String> settings(Map<String, String> database) {
        Map<String, String> settings = new HashMap<>(CLIENTS_AT_DEBUG);
        settings.putAll(database);
        return settings;
    }

}
