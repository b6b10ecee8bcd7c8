package com.loyaltybridge.tagsync.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import com.loyaltybridge.tagsync.support.S3TestServer;

class StorageConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(StorageConfiguration.class);

    @TempDir
    Path directory;

    @Test
    void aRunOnLocalDirectoriesNeverBuildsAnS3Client() throws Exception {
        // No endpoint, region or credentials configured, as on a machine without any AWS set-up.
        Files.write(directory.resolve("a.zip"), "x".getBytes(UTF_8));

        context.run(started -> {
            ObjectStore store = started.getBean(ObjectStore.class);

            assertThat(store.list(StorageLocation.directory(directory))).extracting(StoredObject::name).containsExactly("a.zip");
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
                    .extracting(StoredObject::name).containsExactly("a.gz");
            assertThat(started.getBeanFactory().containsSingleton("s3Client")).isTrue();
        });
    }

    @Test
    void anAccessKeyWithoutItsSecretIsRejectedAtStartup() {
        context.withPropertyValues("s3.access-key-id=AKIAEXAMPLE").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().hasMessage("s3.access-key-id and s3.secret-access-key"
                    + " go together: set both, or neither to use the default AWS credential chain");
        });
    }

    private static String[] properties(Map<String, String> properties) {
        return properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
