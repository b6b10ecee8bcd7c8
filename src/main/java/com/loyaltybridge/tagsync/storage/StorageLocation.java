package com.loyaltybridge.tagsync.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

import com.loyaltybridge.tagsync.text.UntrustedText;

/**
 * A folder in S3 ({@code s3://bucket/prefix/}) or on the local file system
 * ({@code file:/dir/}). Always normalized to end with a slash, so that the same folder
 * written two ways is one location (and one job instance).
 */
public record StorageLocation(Scheme scheme, String bucket, String prefix, Path directory) {

    public enum Scheme {

        S3, FILE

    }

    /**
     * The longest location text taken: S3's own limit on a key, which no export folder
     * comes near.
     */
    public static final int MAX_LENGTH = 1024;

    // Bucket naming rules of S3 (3 to 63 lower-case letters, digits, dots and hyphens),
    // relaxed
    // only as far as S3-compatible servers need.
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");

    public StorageLocation {
        Objects.requireNonNull(scheme, "scheme");
        if (scheme == Scheme.S3) {
            Objects.requireNonNull(bucket, "bucket");
            prefix = prefix == null || prefix.isEmpty() || prefix.endsWith("/") ? nullToEmpty(prefix) : prefix + "/";
        }
        else {
            Objects.requireNonNull(directory, "directory");
            directory = directory.toAbsolutePath().normalize();
        }
    }

    public static StorageLocation s3(String bucket, String prefix) {
        return new StorageLocation(Scheme.S3, bucket, prefix, null);
    }

    public static StorageLocation directory(Path directory) {
        return new StorageLocation(Scheme.FILE, null, null, directory);
    }

    /**
     * Parses {@code s3://bucket/prefix/} or {@code file:/dir/} (also
     * {@code file:relative/dir}).
     * @throws IllegalArgumentException with a message naming what is wrong, fit to show a
     * user
     */
    public static StorageLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a location is empty; expected s3://bucket/prefix/ or file:/dir/");
        }
        String trimmed = text.trim();
        if (trimmed.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    UntrustedText.quote(trimmed) + " is not a location: longer than " + MAX_LENGTH + " characters");
        }
        UntrustedText.forbiddenCharacterIn(trimmed).ifPresent(character -> {
            throw new IllegalArgumentException(
                    UntrustedText.quote(trimmed) + " is not a location: it holds " + character);
        });
        if (trimmed.startsWith("s3://")) {
            return parseS3(trimmed);
        }
        if (trimmed.startsWith("file:")) {
            return parseFile(trimmed);
        }
        throw new IllegalArgumentException(
                UntrustedText.quote(trimmed) + " is not a location: expected s3://bucket/prefix/ or file:/dir/");
    }

    private static StorageLocation parseS3(String text) {
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException(
                    UntrustedText.quote(text) + " is not a valid S3 location: " + UntrustedText.quote(bucket)
                            + " is not a bucket name (3 to 63 lower-case letters, digits, dots or" + " hyphens)");
        }
        if (prefix.startsWith("/") || prefix.contains("//")) {
            throw new IllegalArgumentException(UntrustedText.quote(text)
                    + " is not a valid S3 location: the key prefix has an" + " empty segment");
        }
        for (String segment : prefix.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(UntrustedText.quote(text) + " is not a valid S3 location: '"
                        + segment + "' segments are not allowed in a key prefix");
            }
        }
        return s3(bucket, prefix);
    }

    private static StorageLocation parseFile(String text) {
        String rest = text.substring("file:".length());
        if (rest.startsWith("//")) {
            try {
                return directory(Path.of(new URI(text)));
            }
            catch (URISyntaxException e) {
                // The reason only: the exception's message repeats the whole input.
                throw new IllegalArgumentException(
                        UntrustedText.quote(text) + " is not a valid file location: " + e.getReason());
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        UntrustedText.quote(text) + " is not a valid file location: " + e.getMessage());
            }
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(
                    UntrustedText.quote(text) + " is not a valid file location: no directory given");
        }
        return directory(Path.of(rest));
    }

    public boolean isS3() {
        return scheme == Scheme.S3;
    }

    /**
     * The location of a sub-folder; {@code relative} is a slash-separated path without
     * dot segments.
     */
    public StorageLocation resolve(String relative) {
        String clean = relative.endsWith("/") ? relative : relative + "/";
        if (clean.startsWith("/") || clean.contains("//") || clean.equals("./") || clean.contains("../")
                || clean.startsWith("./") || clean.contains("/./")) {
            throw new IllegalArgumentException("not a relative folder path: '" + relative + "'");
        }
        return isS3() ? s3(bucket, prefix + clean) : directory(directory.resolve(clean));
    }

    /**
     * The last {@code n} non-empty path segments, for naming outputs after their source.
     */
    public String lastSegments(int n) {
        String path = isS3() ? prefix : directory.toString().replace('\\', '/');
        String[] segments = java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        int from = Math.max(0, segments.length - n);
        return String.join("/", java.util.Arrays.copyOfRange(segments, from, segments.length));
    }

    /**
     * What the key (see {@link StoredObject#key()}) of every object directly in this
     * folder begins with.
     */
    public String keyPrefix() {
        if (isS3()) {
            return prefix;
        }
        String path = directory.toString();
        return path.endsWith(directory.getFileSystem().getSeparator()) ? path
                : path + directory.getFileSystem().getSeparator();
    }

    /**
     * The normalized text form: {@code s3://bucket/prefix/} or {@code file:/abs/dir/}.
     */
    public String uri() {
        if (isS3()) {
            return "s3://" + bucket + "/" + prefix;
        }
        String path = directory.toString().replace('\\', '/');
        return "file:" + (path.endsWith("/") ? path : path + "/");
    }

    @Override
    public String toString() {
        return uri();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
