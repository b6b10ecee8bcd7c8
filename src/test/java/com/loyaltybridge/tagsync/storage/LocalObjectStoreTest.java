package com.loyaltybridge.tagsync.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only local directories need proving: files are not immutable the way S3 objects are. */
class LocalObjectStoreTest {

    private final LocalObjectStore store = new LocalObjectStore();

    @TempDir
    Path directory;

    @Test
    void aFileThatGrowsWhileItIsReadFailsInsteadOfYieldingAMix() throws IOException {
        Path file = directory.resolve("a.gz");
        Files.write(file, "first version".getBytes(UTF_8));
        StoredObject listed = store.list(StorageLocation.directory(directory)).get(0);

        assertThatThrownBy(() -> {
            try (InputStream in = store.open(listed)) {
                Files.write(file, " and more".getBytes(UTF_8), StandardOpenOption.APPEND);
                in.readAllBytes();
            }
        })
                .isInstanceOf(ObjectUnavailableException.class)
                .hasMessage(listed.uri() + " changed while it was read: it was listed with 13 bytes");
    }

    @Test
    void aFolderThatIsAFileCannotBeListed() throws IOException {
        Path file = Files.write(directory.resolve("not-a-folder"), new byte[0]);

        assertThatThrownBy(() -> store.list(StorageLocation.directory(file)))
                .isInstanceOf(ObjectUnavailableException.class)
                .hasMessageStartingWith("cannot list file:" + file + "/: ");
    }

    @Test
    void unpublishedFilesAreHiddenBesideTheirTarget() throws IOException {
        StorageLocation folder = StorageLocation.directory(directory);
        try (PendingObject pending = store.create(folder, "result.csv")) {
            pending.stream().write("x".getBytes(UTF_8));

            try (var files = Files.list(directory)) {
                assertThat(files.map(path -> path.getFileName().toString()))
                        .singleElement(InstanceOfAssertFactories.STRING)
                        .matches("\\.result\\.csv\\.inprogress-[0-9a-f-]{36}");
            }
        }
    }
}
