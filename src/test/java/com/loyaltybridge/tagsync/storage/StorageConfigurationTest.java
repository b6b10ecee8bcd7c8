package com.loyaltybridge.tagsync.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

import com.loyaltybridge.tagsync.support.S3TestServer;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;

class StorageConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
        .withUserConfiguration(StorageConfiguration.class);

    @TempDir
    Path directory;

    @Test
    void aRunOnLocalDirectoriesNeverBuildsAnS3Client() throws Exception {
        // No endpoint, region or credentials configured, as on a machine without any AWS
        // set-up.
        Files.write(directory.resolve("a.zip"), "x".getBytes(UTF_8));

        context.run(started -> {
            ObjectStore store = started.getBean(ObjectStore.class);

            assertThat(store.list(StorageLocation.directory(directory))).extracting(StoredObject::name)
                .containsExactly("a.zip");
            assertThat(started.getBeanFactory().containsSingleton("s3Client")).isFalse();
        });
    }

    @Test
    void s3LocationsGoThroughTheConfiguredClient() {
        S3TestServer server = S3TestServer.get();
        server.createBucket("storage-configuration-test");
        server.put("storage-configuration-test", "export/a.gz", "x".getBytes(UTF_8));

        context.withPropertyValues(properties(server.springProperties())).run(started -> {
            ObjectStore store = started.getBean(ObjectStore.class);

            assertThat(store.list(StorageLocation.parse("s3://storage-configuration-test/export/")))
                .extracting(StoredObject::name)
                .containsExactly("a.gz");
            assertThat(started.getBeanFactory().containsSingleton("s3Client")).isTrue();
        });
    }

    @Test
    void anAccessKeyWithoutItsSecretIsRejectedAtStartup() {
        context.withPropertyValues("s3.access-key-id=AKIAEXAMPLE").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                .hasMessage("s3.access-key-id and s3.secret-access-key"
                        + " go together: set both, or neither to use the default AWS credential chain");
        });
    }

    @Test
    void unsetSettingsTakeTheirDefaultsAndEmptyOnesCountAsUnset() {
        context.withPropertyValues("s3.endpoint=", "s3.access-key-id=", "s3.secret-access-key=").run(started -> {
            S3Settings settings = started.getBean(S3Settings.class);

            assertThat(settings.endpoint()).isNull();
            assertThat(settings.region()).isEqualTo("us-east-1");
            assertThat(settings.pathStyle()).isFalse();
            assertThat(settings.hasStaticCredentials()).isFalse();
            assertThat(settings.maxAttempts()).isEqualTo(10);
            assertThat(settings.readResumeAttempts()).isEqualTo(5);
            assertThat(settings.uploadPartSize()).isEqualTo(DataSize.ofMegabytes(8));
            assertThat(settings.requestChecksumCalculation()).isEqualTo(RequestChecksumCalculation.WHEN_SUPPORTED);
            assertThat(settings.responseChecksumValidation()).isEqualTo(ResponseChecksumValidation.WHEN_SUPPORTED);
        });
    }

    @Test
    void checksumBehaviourCanBeRelaxedForS3CompatibleServers() {
        context
            .withPropertyValues("s3.request-checksum-calculation=when-required",
                    "s3.response-checksum-validation=when-required")
            .run(started -> {
                S3Settings settings = started.getBean(S3Settings.class);

                assertThat(settings.requestChecksumCalculation()).isEqualTo(RequestChecksumCalculation.WHEN_REQUIRED);
                assertThat(settings.responseChecksumValidation()).isEqualTo(ResponseChecksumValidation.WHEN_REQUIRED);
            });
    }

    private static String[] properties(Map<String, String> properties) {
        return properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

}
