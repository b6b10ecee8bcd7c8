package com.loyaltybridge.tagsync.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only local directories need proving: files are not immutable the way S3 objects
 * are.
 */
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
        }).isInstanceOf(ObjectUnavailableException.class)
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
    void underAnExportRootAFolderWhoseRealPathLeavesTheRootIsRefusedNamingOnlyTheFolderAskedFor() throws IOException {
        Path root = Files.createDirectories(directory.resolve("root"));
        Path elsewhere = Files.createDirectories(directory.resolve("elsewhere"));
        Files.write(elsewhere.resolve("secret-name.gz"), "outside".getBytes(UTF_8));
        Files.createDirectories(root.resolve("segment-export/s"));
        Files.createSymbolicLink(root.resolve("segment-export/s/2026-11-28"), elsewhere);
        LocalObjectStore confined = new LocalObjectStore(List.of(StorageLocation.directory(root)));
        StorageLocation linked = StorageLocation.directory(root.resolve("segment-export/s/2026-11-28"));

        assertThatThrownBy(() -> confined.list(linked)).isInstanceOf(ObjectUnavailableException.class)
            .hasMessage("'" + linked.uri() + "' leads out of its export root through a symbolic link; it is not read")
            .message()
            .doesNotContain("elsewhere", "secret-name");
        assertThatThrownBy(() -> confined.listFolders(linked)).isInstanceOf(ObjectUnavailableException.class);
        assertThatThrownBy(() -> confined.checkConfined(linked)).isInstanceOf(ObjectUnavailableException.class);
        assertThat(store.list(linked)).as("a store without export roots follows links, as for outputs").hasSize(1);
    }

    @Test
    void aListingUnderAnExportRootLeavesOutLinksThatLeadOutAndKeepsThoseThatStayInside() throws IOException {
        Path root = Files.createDirectories(directory.resolve("root"));
        Path folder = Files.createDirectories(root.resolve("exports"));
        Path outside = Files.createDirectories(directory.resolve("outside"));
        Files.write(outside.resolve("passwd"), "root:x:0:0".getBytes(UTF_8));
        Files.write(folder.resolve("a.gz"), "a".getBytes(UTF_8));
        Files.createSymbolicLink(folder.resolve("b.gz"), folder.resolve("a.gz"));
        Files.createSymbolicLink(folder.resolve("c.gz"), outside.resolve("passwd"));
        Files.createDirectories(folder.resolve("inside"));
        Files.createSymbolicLink(folder.resolve("inside-link"), folder.resolve("inside"));
        Files.createSymbolicLink(folder.resolve("outside-link"), outside);
        LocalObjectStore confined = new LocalObjectStore(List.of(StorageLocation.directory(root)));
        StorageLocation location = StorageLocation.directory(folder);

        assertThat(confined.list(location)).extracting(StoredObject::name).containsExactly("a.gz", "b.gz");
        assertThat(confined.listFolders(location)).containsExactly("inside", "inside-link");
        StoredObject swapped = store.list(location)
            .stream()
            .filter(object -> object.name().equals("c.gz"))
            .findFirst()
            .orElseThrow();
        assertThatThrownBy(() -> confined.open(swapped)).as("a file reached through a link out is never opened")
            .isInstanceOf(ObjectUnavailableException.class)
            .hasMessage("'" + swapped.uri() + "' leads out of its export root through a symbolic link; it is not read");
    }

    @Test
    void anExportRootThatIsItselfALinkIsReadThroughIt() throws IOException {
        Path volume = Files.createDirectories(directory.resolve("volume/exports"));
        Files.write(volume.resolve("a.gz"), "a".getBytes(UTF_8));
        Path root = Files.createSymbolicLink(directory.resolve("root"), directory.resolve("volume"));
        LocalObjectStore confined = new LocalObjectStore(List.of(StorageLocation.directory(root)));

        assertThat(confined.list(StorageLocation.directory(root.resolve("exports")))).extracting(StoredObject::name)
            .containsExactly("a.gz");
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
