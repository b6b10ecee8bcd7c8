package com.loyaltybridge.tagsync.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.support.FaultInjectingProxy;
import com.loyaltybridge.tagsync.support.S3TestServer;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * What only S3 needs proving: reads that survive throttling and dropped connections, and
 * failures that explain themselves.
 */
class S3ObjectStoreTest {

    private static final String BUCKET = "s3-object-store-test";

    private static final int OBJECT_SIZE = 512 * 1024;

    private static final long CUT_AFTER_BYTES = 100_000;

    private final S3TestServer server = S3TestServer.get();

    private final StorageLocation folder = StorageLocation.s3(BUCKET, "export-" + UUID.randomUUID() + "/");

    private FaultInjectingProxy proxy;

    private S3Client client;

    private S3ObjectStore store;

    @BeforeEach
    void connectThroughAProxyThatInjectsFaults() throws IOException {
        server.createBucket(BUCKET);
        proxy = new FaultInjectingProxy(server.endpoint());
        S3Settings settings = server.settings(proxy.endpoint());
        client = new StorageConfiguration().s3Client(settings);
        store = new S3ObjectStore(client, settings);
    }

    @AfterEach
    void closeConnections() throws IOException {
        client.close();
        proxy.close();
    }

    @Test
    void aReadWhoseConnectionBreaksMidBodyResumesWhereItBroke() throws IOException {
        byte[] content = randomBytes(OBJECT_SIZE);
        server.put(BUCKET, folder.prefix() + "a.zip", content);
        StoredObject listed = only(store.list(folder));

        proxy.cutResponses(3, CUT_AFTER_BYTES);
        try (InputStream in = store.open(listed)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void slowDownAnswersAreRetriedByListingAndReadingAlike() throws IOException {
        byte[] content = randomBytes(OBJECT_SIZE);
        server.put(BUCKET, folder.prefix() + "a.zip", content);

        proxy.slowDown(2);
        StoredObject listed = only(store.list(folder));
        proxy.slowDown(2);
        try (InputStream in = store.open(listed)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(proxy.slowDownsSent()).isEqualTo(4);
    }

    @Test
    void aReadGivesUpAfterTheConfiguredNumberOfResumes() {
        server.put(BUCKET, folder.prefix() + "a.zip", randomBytes(OBJECT_SIZE));
        StoredObject listed = only(store.list(folder));

        // Six cuts of 50KB cannot deliver 512KB: the first connection and all five
        // resumed ones break.
        proxy.cutResponses(6, 50_000);
        assertThatThrownBy(() -> {
            try (InputStream in = store.open(listed)) {
                in.readAllBytes();
            }
        }).isInstanceOf(ObjectUnavailableException.class)
            .hasMessageStartingWith("reading " + listed.uri() + " failed at byte ")
            .hasMessageContaining(" of " + OBJECT_SIZE + " after 5 resumed connections: ")
            .hasMessageNotContaining("\n");
    }

    @Test
    void anObjectReplacedWhileItIsReadFailsInsteadOfMixingTwoVersions() {
        server.put(BUCKET, folder.prefix() + "a.zip", randomBytes(OBJECT_SIZE));
        StoredObject listed = only(store.list(folder));

        proxy.cutResponses(1, CUT_AFTER_BYTES);
        assertThatThrownBy(() -> {
            try (InputStream in = store.open(listed)) {
                server.put(BUCKET, folder.prefix() + "a.zip", randomBytes(OBJECT_SIZE + 1));
                in.readAllBytes();
            }
        }).isInstanceOf(ObjectUnavailableException.class)
            .hasMessage(listed.uri() + " changed since it was listed: its ETag is no longer " + listed.etag());
    }

    @Test
    void listingAMissingBucketFailsWithOneLineNamingIt() {
        StorageLocation missing = StorageLocation.s3("no-such-bucket", "segment-export/");

        assertThatThrownBy(() -> store.list(missing)).isInstanceOf(ObjectUnavailableException.class)
            .hasMessageStartingWith("cannot list s3://no-such-bucket/segment-export/: 404 NoSuchBucket")
            .hasMessageNotContaining("\n");
    }

    @Test
    void wrongCredentialsFailWithoutRevealingTheSecret() {
        S3Settings wrongSecret = new S3Settings(server.endpoint(), "us-east-1", true, S3TestServer.ACCESS_KEY,
                "wrong-secret-value", 1, 0, server.settings().uploadPartSize(),
                server.settings().requestChecksumCalculation(), server.settings().responseChecksumValidation());
        try (S3Client wrongClient = new StorageConfiguration().s3Client(wrongSecret)) {
            S3ObjectStore wrongStore = new S3ObjectStore(wrongClient, wrongSecret);

            assertThatThrownBy(() -> wrongStore.list(folder)).isInstanceOf(ObjectUnavailableException.class)
                .hasMessageStartingWith("cannot list " + folder + ": 403")
                .hasMessageNotContaining("wrong-secret-value");
        }
        assertThat(wrongSecret.toString()).contains("secretAccessKey=***").doesNotContain("wrong-secret-value");
    }

    private static StoredObject only(List<StoredObject> objects) {
        assertThat(objects).hasSize(1);
        return objects.get(0);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

}
