package com.loyaltybridge.tagsync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.loyaltybridge.tagsync.storage.LocalObjectStore;
import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * A temporary directory of this JVM, read and written through {@link LocalObjectStore}.
 */
public final class LocalStorageBackend implements StorageBackend {

    private static volatile LocalStorageBackend instance;

    private final Path root;

    private final ObjectStore store = new LocalObjectStore();

    private LocalStorageBackend(Path root) {
        this.root = root;
    }

    public static LocalStorageBackend get() {
        if (instance == null) {
            synchronized (LocalStorageBackend.class) {
                if (instance == null) {
                    instance = new LocalStorageBackend(createRoot());
                }
            }
        }
        return instance;
    }

    private static Path createRoot() {
        try {
            Path root = Files.createTempDirectory("tagsync-test-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
            return root;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ObjectStore store() {
        return store;
    }

    @Override
    public StorageLocation newFolder(String relativePath) {
        return StorageLocation.directory(root.resolve("test-" + UUID.randomUUID()).resolve(relativePath));
    }

    @Override
    public void put(StorageLocation folder, String name, byte[] content) {
        try {
            Path file = folder.directory().resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] get(StorageLocation folder, String name) {
        try {
            return Files.readAllBytes(folder.directory().resolve(name));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(StorageLocation folder, String name) {
        try {
            Files.delete(folder.directory().resolve(name));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> visibleNames(StorageLocation folder) {
        return names(folder).filter(name -> !name.startsWith(".")).toList();
    }

    @Override
    public List<String> unpublishedLeftovers(StorageLocation folder) {
        return names(folder).filter(name -> name.startsWith(".")).toList();
    }

    private static Stream<String> names(StorageLocation folder) {
        if (!Files.isDirectory(folder.directory())) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(folder.directory())) {
            return files.filter(Files::isRegularFile)
                .map(path -> path.getFileName().toString())
                .sorted()
                .toList()
                .stream();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException e) {
            // Leftovers in the system temporary directory are the OS's to clean.
        }
    }

    @Override
    public String toString() {
        return "local directory";
    }

}
