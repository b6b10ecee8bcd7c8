package com.loyaltybridge.tagsync.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.loyaltybridge.tagsync.text.UntrustedText;

/**
 * {@link ObjectStore} on a local directory, with the semantics of the S3 one: an object
 * is written to a hidden temporary file beside its target and appears under its name by
 * one atomic rename, and a file that changed since it was listed is noticed through its
 * fingerprint (size, modification time, inode).
 * <p>
 * Under an export root, what is read must really be there: a folder or file whose real
 * path (symbolic links resolved) leaves the root is refused, and a listing leaves out the
 * links that lead out. Every read of a {@code file:} export goes through here, so a scan,
 * the REST API and the sync job itself are all held to it. Refusals name only the
 * location asked for, never what a link points at.
 */
public final class LocalObjectStore implements ObjectStore {

    private static final Logger log = LoggerFactory.getLogger(LocalObjectStore.class);

    private static final String UNPUBLISHED_MARK = ".inprogress-";

    private static final Pattern UNPUBLISHED = Pattern.compile("\\..+" + Pattern.quote(UNPUBLISHED_MARK)
            + "\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

    private static final int WRITE_BUFFER_SIZE = 64 * 1024;

    /**
     * The {@code file:} export roots, as configured (not resolved: a root may itself be a
     * link, e.g. to a volume).
     */
    private final List<Path> exportRoots;

    /**
     * A store that confines nothing: for outputs and tests; the application's store knows
     * the export roots.
     */
    public LocalObjectStore() {
        this(List.of());
    }

    /**
     * @param exportRoots the export roots; the {@code file:} ones confine what is read
     * under them
     */
    public LocalObjectStore(List<StorageLocation> exportRoots) {
        this.exportRoots = exportRoots.stream().filter(root -> !root.isS3()).map(StorageLocation::directory).toList();
    }

    @Override
    public void checkConfined(StorageLocation folder) {
        if (!folder.isS3()) {
            confined(folder);
        }
    }

    @Override
    public List<StoredObject> list(StorageLocation folder) {
        Path directory = confined(folder);
        List<StoredObject> objects = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path path : entries) {
                String name = path.getFileName().toString();
                BasicFileAttributes attributes = attributesIfPresent(path);
                if (attributes != null && attributes.isRegularFile() && !UNPUBLISHED.matcher(name).matches()
                        && !leftOut(folder, path)) {
                    objects.add(storedObject(folder, name, attributes));
                }
            }
        }
        catch (NoSuchFileException e) {
            return List.of();
        }
        catch (IOException e) {
            throw new ObjectUnavailableException("cannot list " + folder + ": " + describe(e), e);
        }
        objects.sort(Comparator.comparing(StoredObject::name));
        return List.copyOf(objects);
    }

    @Override
    public List<String> listFolders(StorageLocation folder) {
        Path directory = confined(folder);
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Files::isDirectory)) {
            for (Path path : entries) {
                if (!leftOut(folder, path)) {
                    names.add(path.getFileName().toString());
                }
            }
        }
        catch (NoSuchFileException e) {
            return List.of();
        }
        catch (IOException e) {
            throw new ObjectUnavailableException("cannot list the folders of " + folder + ": " + describe(e), e);
        }
        names.sort(Comparator.naturalOrder());
        return List.copyOf(names);
    }

    @Override
    public InputStream open(StoredObject object) {
        Path path = confined(object.folder()).resolve(object.name());
        if (leadsOutOfRoot(object.folder(), path)) {
            throw outOfRoot(object.uri());
        }
        InputStream in;
        try {
            // Opened before the fingerprint is checked, so that what was checked is what
            // is read.
            in = Files.newInputStream(path);
        }
        catch (NoSuchFileException e) {
            throw new ObjectUnavailableException(object.uri() + " was listed but is gone: it was deleted since", e);
        }
        catch (IOException e) {
            throw new ObjectUnavailableException("cannot read " + object.uri() + ": " + describe(e), e);
        }
        String fingerprint;
        try {
            fingerprint = fingerprint(Files.readAttributes(path, BasicFileAttributes.class));
        }
        catch (IOException e) {
            closeQuietly(in);
            throw new ObjectUnavailableException("cannot read " + object.uri() + ": " + describe(e), e);
        }
        if (object.etag() != null && !object.etag().equals(fingerprint)) {
            closeQuietly(in);
            throw new ObjectUnavailableException(
                    object.uri() + " changed since it was listed: its size, modification" + " time or inode differ");
        }
        return new ListedFileInputStream(in, object);
    }

    @Override
    public PendingObject create(StorageLocation folder, String name) {
        Path directory = requireLocal(folder);
        ObjectNames.requireValid(name);
        try {
            Files.createDirectories(directory);
            return new LocalPendingObject(folder, name,
                    directory.resolve("." + name + UNPUBLISHED_MARK + UUID.randomUUID()));
        }
        catch (IOException e) {
            throw new ObjectUnavailableException("cannot write " + folder.uri() + name + ": " + describe(e), e);
        }
    }

    @Override
    public void discardUnpublished(StorageLocation folder) {
        Path directory = requireLocal(folder);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                path -> UNPUBLISHED.matcher(path.getFileName().toString()).matches())) {
            for (Path path : entries) {
                Files.deleteIfExists(path);
                log.info("Discarded the unpublished file {}", path);
            }
        }
        catch (NoSuchFileException e) {
            // No directory, nothing left behind.
        }
        catch (IOException e) {
            throw new ObjectUnavailableException(
                    "cannot discard the unpublished files in " + folder + ": " + describe(e), e);
        }
    }

    private static StoredObject storedObject(StorageLocation folder, String name, BasicFileAttributes attributes) {
        return new StoredObject(folder, name, attributes.size(), fingerprint(attributes),
                attributes.lastModifiedTime().toInstant());
    }

    /**
     * Changes when the file is rewritten, appended to or replaced by another file, even
     * one of equal size.
     */
    private static String fingerprint(BasicFileAttributes attributes) {
        Object inode = attributes.fileKey();
        return attributes.size() + "-" + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)
                + (inode == null ? "" : "-" + inode);
    }

    private static BasicFileAttributes attributesIfPresent(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        }
        catch (NoSuchFileException e) {
            // Deleted between the directory listing and this look: it is not there.
            return null;
        }
    }

    /**
     * The directory of {@code folder}, once its real path is known not to leave its
     * export root.
     */
    private Path confined(StorageLocation folder) {
        Path directory = requireLocal(folder);
        if (leadsOutOfRoot(folder, directory)) {
            throw outOfRoot(folder.uri());
        }
        return directory;
    }

    /**
     * Whether {@code path} (in or under {@code folder}) lies under an export root
     * lexically but not really: a symbolic link on the way leads out of it. A path that
     * does not exist leads nowhere.
     */
    private boolean leadsOutOfRoot(StorageLocation folder, Path path) {
        Path root = exportRoots.stream().filter(path::startsWith).findFirst().orElse(null);
        if (root == null) {
            return false;
        }
        try {
            return !path.toRealPath().startsWith(root.toRealPath());
        }
        catch (NoSuchFileException e) {
            return false;
        }
        catch (IOException e) {
            throw new ObjectUnavailableException("cannot read " + folder.uri() + ": " + describe(e), e);
        }
    }

    /**
     * Whether a listing of {@code folder} leaves out its entry {@code path}: a symbolic
     * link out of the export root.
     */
    private boolean leftOut(StorageLocation folder, Path path) {
        if (!Files.isSymbolicLink(path) || !leadsOutOfRoot(folder, path)) {
            return false;
        }
        log.warn("Leaving out {} in {}: a symbolic link out of its export root",
                UntrustedText.quote(path.getFileName().toString()),
                UntrustedText.quote(folder.uri(), StorageLocation.MAX_LENGTH));
        return true;
    }

    private static ObjectUnavailableException outOfRoot(String location) {
        return new ObjectUnavailableException(UntrustedText.quote(location, StorageLocation.MAX_LENGTH)
                + " leads out of its export root through a symbolic link; it is not read");
    }

    private static Path requireLocal(StorageLocation folder) {
        if (folder.isS3()) {
            throw new IllegalArgumentException(folder + " is not a local directory");
        }
        return folder.directory();
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception e) {
            log.debug("Ignoring a failure to close after an earlier failure", e);
        }
    }

    /**
     * A listed file's bytes; a file that grows or shrinks while it is read fails instead
     * of yielding a mix.
     */
    private static final class ListedFileInputStream extends InputStream {

        private final InputStream in;

        private final StoredObject object;

        private long position;

        ListedFileInputStream(InputStream in, StoredObject object) {
            this.in = in;
            this.object = object;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int read;
            try {
                read = in.read(buffer, offset, length);
            }
            catch (IOException e) {
                throw new ObjectUnavailableException(
                        "reading " + object.uri() + " failed at byte " + position + ": " + describe(e), e);
            }
            if (read > 0) {
                position += read;
            }
            if (position > object.size() || (read < 0 && position < object.size())) {
                throw new ObjectUnavailableException(
                        object.uri() + " changed while it was read: it was listed with " + object.size() + " bytes");
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

    }

    /** Written to a hidden temporary file, renamed over the target on publish. */
    private static final class LocalPendingObject implements PendingObject {

        private final StorageLocation folder;

        private final String name;

        private final Path temporary;

        private final FileChannel channel;

        private final OutputStream buffered;

        private final OutputStream stream = new FileOutputStreamView();

        private boolean published;

        private boolean closed;

        LocalPendingObject(StorageLocation folder, String name, Path temporary) throws IOException {
            this.folder = folder;
            this.name = name;
            this.temporary = temporary;
            this.channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), WRITE_BUFFER_SIZE);
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public StoredObject publish() {
            requireOpen();
            Path target = folder.directory().resolve(name);
            try {
                buffered.flush();
                channel.force(true);
                channel.close();
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(folder.directory());
                published = true;
                closed = true;
                return storedObject(folder, name, Files.readAttributes(target, BasicFileAttributes.class));
            }
            catch (IOException e) {
                throw new ObjectUnavailableException("cannot publish " + folder.uri() + name + ": " + describe(e), e);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(channel);
            try {
                Files.deleteIfExists(temporary);
            }
            catch (IOException e) {
                // Not fatal: the file stays hidden, and discardUnpublished(folder)
                // removes it later.
                log.warn("Could not delete the unpublished file {}: {}", temporary, describe(e));
            }
        }

        private void requireOpen() {
            if (closed) {
                throw new IllegalStateException(folder.uri() + name + " is no longer open for writing ("
                        + (published ? "published" : "discarded") + ")");
            }
        }

        /** The rename survives a crash only once the directory itself is flushed. */
        private static void syncDirectory(Path directory) {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            }
            catch (IOException e) {
                // Some platforms (Windows) cannot open a directory; there the rename's
                // durability is the OS's business.
                log.debug("Could not flush directory {}: {}", directory, describe(e));
            }
        }

        /**
         * Writes into the temporary file; closing it is harmless, so wrapping writers may
         * close it.
         */
        private final class FileOutputStreamView extends OutputStream {

            @Override
            public void write(int b) {
                requireOpen();
                try {
                    buffered.write(b);
                }
                catch (IOException e) {
                    throw failure(e);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                requireOpen();
                try {
                    buffered.write(bytes, offset, length);
                }
                catch (IOException e) {
                    throw failure(e);
                }
            }

            @Override
            public void flush() {
                // After publish or discard nothing is buffered here, and wrapping writers
                // flush when they close.
                if (closed) {
                    return;
                }
                try {
                    buffered.flush();
                }
                catch (IOException e) {
                    throw failure(e);
                }
            }

            private ObjectUnavailableException failure(IOException e) {
                return new ObjectUnavailableException("cannot write " + folder.uri() + name + ": " + describe(e), e);
            }

        }

    }

}
