package com.loyaltybridge.tagsync.storage;

import static com.loyaltybridge.tagsync.support.ExportFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import com.loyaltybridge.tagsync.support.StorageBackend;

/**
 * What every {@link ObjectStore} promises, proved on s3proxy and on a local directory
 * alike.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("com.loyaltybridge.tagsync.support.StorageBackend#all")
class ObjectStoreTest {

    /**
     * More than two parts of the default 8MB, so that a multipart upload has a middle
     * part and a short last one.
     */
    private static final int LARGE_SIZE = 17 * 1024 * 1024 + 123;

    /** More than one part: enough for S3 to hold an unfinished multipart upload. */
    private static final int OVER_ONE_PART = 9 * 1024 * 1024;

    private final StorageBackend backend;

    private final ObjectStore store;

    ObjectStoreTest(StorageBackend backend) {
        this.backend = backend;
        this.store = backend.store();
    }

    @Test
    void listsTheObjectsDirectlyInTheFolderSortedByName() {
        StorageLocation folder = backend.newFolder("export/");
        backend.put(folder, "b.zip", utf8("two"));
        backend.put(folder, "a.gz", utf8("one"));
        backend.put(folder, "Z.txt", utf8("three"));
        backend.put(folder, "sub/c.zip", utf8("deeper"));

        List<StoredObject> objects = store.list(folder);

        assertThat(objects).extracting(StoredObject::name).containsExactly("Z.txt", "a.gz", "b.zip");
        assertThat(objects.get(1).size()).isEqualTo(3);
        assertThat(objects.get(1).etag()).isNotBlank();
        assertThat(objects.get(1).uri()).isEqualTo(folder.uri() + "a.gz");
        assertThat(store.listFolders(folder)).containsExactly("sub");
    }

    @Test
    void aFolderThatDoesNotExistIsEmpty() {
        StorageLocation folder = backend.newFolder("never-written/");

        assertThat(store.list(folder)).isEmpty();
        assertThat(store.listFolders(folder)).isEmpty();
    }

    @Test
    void opensTheListedContent() throws IOException {
        StorageLocation folder = backend.newFolder("export/");
        byte[] content = randomBytes(300_000, 1);
        backend.put(folder, "a.zip", content);

        try (InputStream in = store.open(only(store.list(folder)))) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void anObjectDeletedSinceListingFailsNamingIt() {
        StorageLocation folder = backend.newFolder("export/");
        backend.put(folder, "a.zip", utf8("content"));
        StoredObject listed = only(store.list(folder));
        backend.delete(folder, "a.zip");

        assertThatThrownBy(() -> store.open(listed)).isInstanceOf(ObjectUnavailableException.class)
            .hasMessageStartingWith(listed.uri() + " was listed but is gone");
    }

    @Test
    void anObjectChangedSinceListingFailsNamingIt() {
        StorageLocation folder = backend.newFolder("export/");
        backend.put(folder, "a.zip", utf8("content"));
        StoredObject listed = only(store.list(folder));
        backend.put(folder, "a.zip", utf8("other, longer content"));

        assertThatThrownBy(() -> store.open(listed)).isInstanceOf(ObjectUnavailableException.class)
            .hasMessageStartingWith(listed.uri() + " changed since it was listed");
    }

    @Test
    void aPublishedObjectAppearsWholeAndNotBefore() throws IOException {
        StorageLocation folder = backend.newFolder("out/not-yet-created/");
        try (PendingObject pending = store.create(folder, "result.csv")) {
            pending.stream().write(utf8("id,tag\n1,gold\n"));
            assertThat(backend.visibleNames(folder)).isEmpty();
            assertThat(store.list(folder)).isEmpty();

            StoredObject published = pending.publish();

            assertThat(backend.visibleNames(folder)).containsExactly("result.csv");
            assertThat(backend.get(folder, "result.csv")).isEqualTo(utf8("id,tag\n1,gold\n"));
            assertThat(published.size()).isEqualTo(14);
            assertThat(published.uri()).isEqualTo(folder.uri() + "result.csv");
            try (InputStream in = store.open(published)) {
                assertThat(in.readAllBytes()).isEqualTo(utf8("id,tag\n1,gold\n"));
            }
        }
        assertThat(backend.unpublishedLeftovers(folder)).isEmpty();
    }

    @Test
    void aLargeObjectIsWrittenPieceByPieceAndAppearsOnlyWhenPublished() throws IOException {
        StorageLocation folder = backend.newFolder("out/");
        byte[] content = randomBytes(LARGE_SIZE, 2);
        try (PendingObject pending = store.create(folder, "large.csv")) {
            OutputStream out = pending.stream();
            out.write(content, 0, OVER_ONE_PART);
            assertThat(backend.visibleNames(folder)).isEmpty();
            assertThat(store.list(folder)).isEmpty();
            assertThat(backend.unpublishedLeftovers(folder)).hasSize(1);
            for (int offset = OVER_ONE_PART; offset < content.length; offset += 10_000) {
                out.write(content, offset, Math.min(10_000, content.length - offset));
            }

            StoredObject published = pending.publish();

            assertThat(published.size()).isEqualTo(LARGE_SIZE);
        }
        assertThat(backend.get(folder, "large.csv")).isEqualTo(content);
        assertThat(backend.unpublishedLeftovers(folder)).isEmpty();
    }

    @Test
    void closingWithoutPublishingLeavesNothingBehind() throws IOException {
        StorageLocation folder = backend.newFolder("out/");
        try (PendingObject pending = store.create(folder, "abandoned.csv")) {
            pending.stream().write(randomBytes(OVER_ONE_PART, 3));
            assertThat(backend.unpublishedLeftovers(folder)).hasSize(1);
        }

        assertThat(backend.visibleNames(folder)).isEmpty();
        assertThat(backend.unpublishedLeftovers(folder)).isEmpty();
    }

    @Test
    void discardUnpublishedRemovesWhatACrashedWriterLeftAndNothingElse() throws IOException {
        StorageLocation folder = backend.newFolder("out/");
        backend.put(folder, "kept.csv", utf8("published earlier"));
        PendingObject crashed = store.create(folder, "crashed.csv");
        crashed.stream().write(randomBytes(OVER_ONE_PART, 4));
        assertThat(backend.unpublishedLeftovers(folder)).hasSize(1);

        store.discardUnpublished(folder);

        assertThat(backend.unpublishedLeftovers(folder)).isEmpty();
        assertThat(backend.visibleNames(folder)).containsExactly("kept.csv");
        crashed.close();
    }

    @Test
    void discardUnpublishedInAFolderThatDoesNotExistDoesNothing() {
        StorageLocation folder = backend.newFolder("never-written/");

        store.discardUnpublished(folder);

        assertThat(backend.visibleNames(folder)).isEmpty();
    }

    @Test
    void publishingReplacesAnObjectOfTheSameName() throws IOException {
        StorageLocation folder = backend.newFolder("out/");
        backend.put(folder, "result.csv", utf8("old"));
        try (PendingObject pending = store.create(folder, "result.csv")) {
            pending.stream().write(utf8("new"));
            pending.publish();
        }

        assertThat(backend.get(folder, "result.csv")).isEqualTo(utf8("new"));
    }

    @Test
    void aPendingObjectCannotBeWrittenOncePublished() throws IOException {
        StorageLocation folder = backend.newFolder("out/");
        try (PendingObject pending = store.create(folder, "result.csv")) {
            pending.stream().write(utf8("done"));
            pending.publish();

            assertThatThrownBy(() -> pending.stream().write(utf8("more"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("result.csv is no longer open for writing");
            assertThatThrownBy(pending::publish).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void objectNamesAreOneSegment() {
        StorageLocation folder = backend.newFolder("out/");

        assertThatThrownBy(() -> store.create(folder, "../escape.csv")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("'../escape.csv' is not an object name: expected a non-empty name without slashes,"
                    + " backslashes or control characters");
    }

    private static StoredObject only(List<StoredObject> objects) {
        assertThat(objects).hasSize(1);
        return objects.get(0);
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

}
