package com.loyaltybridge.tagsync.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;

import com.loyaltybridge.tagsync.storage.LocalObjectStore;
import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.PendingObject;
import com.loyaltybridge.tagsync.storage.RoutingObjectStore;
import com.loyaltybridge.tagsync.storage.S3ObjectStore;
import com.loyaltybridge.tagsync.storage.S3Settings;
import com.loyaltybridge.tagsync.storage.StorageConfiguration;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * Writes a synthetic Braze segment export the way Braze lays it out in a bucket,
 * {@code segment-export/SEGMENT_ID/YYYY-MM-dd/UUID-EPOCH/<32 hex>.gz|.zip}: {@code users} users, about
 * {@code usersPerObject} per object, JSON lines of about 180 bytes, with distinct external ids {@code U-} and ten digits.
 * The same seed gives the same export, byte for byte. Users are numbered from {@code firstUser}, so that the exports of
 * one segment on successive days ({@code day}, requested a day apart) can hold overlapping sets of users.
 *
 * <p>With {@code hostileRate} above 0, that fraction of lines is something the sync must skip and record instead
 * of a user: invalid JSON, a JSON array, no external_id, an id with a control character, a blank line, or a
 * user seen earlier (a duplicate). Hostile lines come on top of the {@code users} good ones.
 */
public final class ExportGenerator {

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final long ID_SPACE = 10_000_000_000L;
    private static final long ID_SCATTER = 2_654_435_761L;
    private static final String[] TIERS = {"bronze", "silver", "gold", "platinum"};
    private static final String[] LANGUAGES = {"en", "fr", "de", "es", "pt", "it"};

    /**
     * What to generate.
     *
     * @param firstUser       the number of the first user (its external id is derived from it); the others follow
     * @param day             days after 2026-11-28 the export was requested: its folder's date and EPOCH
     * @param sessionmUserIds each user also has the custom attribute {@code sm_user_id}, {@code S-} and the digits of its
     *                        external id: the SessionM user_id the offers job reads wallets by
     */
    public record Spec(long users, int usersPerObject, Format format, double hostileRate, long seed, String segmentId,
            long firstUser, int day, boolean sessionmUserIds) {

        public Spec {
            if (users < 1 || usersPerObject < 1 || hostileRate < 0 || hostileRate >= 1 || firstUser < 1 || day < 0) {
                throw new IllegalArgumentException("users and users per object must be positive, hostile rate in [0, 1),"
                        + " first user positive, day not negative");
            }
        }

        public Spec(long users, int usersPerObject, Format format, double hostileRate, long seed, String segmentId) {
            this(users, usersPerObject, format, hostileRate, seed, segmentId, 1, 0, false);
        }

        public static Spec of(long users) {
            return new Spec(users, 5_000, Format.GZ, 0, 1, "bench-segment");
        }

        public Spec withFormat(Format format) {
            return new Spec(users, usersPerObject, format, hostileRate, seed, segmentId, firstUser, day, sessionmUserIds);
        }

        public Spec withHostileRate(double rate) {
            return new Spec(users, usersPerObject, format, rate, seed, segmentId, firstUser, day, sessionmUserIds);
        }

        /** The export of {@code segment} requested {@code day} days after the first, of users from {@code firstUser}. */
        public Spec of(String segment, int day, long firstUser) {
            return new Spec(users, usersPerObject, format, hostileRate, seed, segment, firstUser, day, sessionmUserIds);
        }

        /** The same users with their SessionM user_id, in another export of the segment ({@code seed}). */
        public Spec withSessionmUserIds(long seed) {
            return new Spec(users, usersPerObject, format, hostileRate, seed, segmentId, firstUser, day, true);
        }

        int objects() {
            return (int) ((users + usersPerObject - 1) / usersPerObject);
        }
    }

    public enum Format {
        GZ, ZIP;

        String extension() {
            return "." + name().toLowerCase(Locale.ROOT);
        }
    }

    private final ObjectStore store;

    public ExportGenerator(ObjectStore store) {
        this.store = store;
    }

    /** Writes the export under {@code root} (a bucket or a directory) and returns its folder. */
    public StorageLocation write(StorageLocation root, Spec spec) {
        SplittableRandom random = new SplittableRandom(spec.seed());
        UUID uuid = new UUID(random.nextLong(), random.nextLong());
        String path = "segment-export/" + spec.segmentId() + "/" + LocalDate.of(2026, 11, 28).plusDays(spec.day()) + "/" + uuid + "-"
                + (1_764_288_000L + spec.day() * 86_400L) + "/";
        StorageLocation folder = root.resolve(path);
        List<String> names = IntStream.range(0, spec.objects())
                .mapToObj(index -> HexFormat.of().formatHex(randomBytes(new SplittableRandom(spec.seed() * 31 + index), 16))
                        + spec.format().extension())
                .toList();
        IntStream.range(0, spec.objects()).parallel().forEach(index -> writeObject(folder, names.get(index), index, spec));
        return folder;
    }

    private void writeObject(StorageLocation folder, String name, int index, Spec spec) {
        long first = spec.firstUser() + (long) index * spec.usersPerObject();
        long last = Math.min(spec.firstUser() + spec.users() - 1, first + spec.usersPerObject() - 1);
        SplittableRandom random = new SplittableRandom(spec.seed() ^ (0x9E3779B97F4A7C15L * (index + 1)));
        try (PendingObject object = store.create(folder, name)) {
            // Finished, not closed: publishing closes the object's stream.
            DeflaterOutputStream compressed = spec.format() == Format.GZ ? new GZIPOutputStream(object.stream(), BUFFER_SIZE)
                    : zipEntry(object.stream(), name.replace(".zip", ".json"));
            OutputStream out = new BufferedOutputStream(compressed, BUFFER_SIZE);
            for (long user = first; user <= last; user++) {
                if (spec.hostileRate() > 0 && random.nextDouble() < spec.hostileRate()) {
                    out.write(hostileLine(random, first, user).getBytes(UTF_8));
                }
                out.write((spec.sessionmUserIds() ? memberLine(random, user) : userLine(random, user)).getBytes(UTF_8));
            }
            out.flush();
            if (compressed instanceof ZipOutputStream zip) {
                zip.closeEntry();
            }
            compressed.finish();
            object.publish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ZipOutputStream zipEntry(OutputStream target, String entryName) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(target);
        zip.putNextEntry(new ZipEntry(entryName));
        return zip;
    }

    static String userLine(SplittableRandom random, long user) {
        return "{\"external_id\":\"" + externalId(user) + "\",\"braze_id\":\"" + HexFormat.of().formatHex(randomBytes(random, 12))
                + "\",\"email\":\"user" + user + "@example.com\",\"language\":\"" + LANGUAGES[random.nextInt(LANGUAGES.length)]
                + "\",\"custom_attributes\":{\"loyalty_tier\":\"" + TIERS[random.nextInt(TIERS.length)]
                + "\",\"sm_opt_in\":" + random.nextBoolean() + "}}\n";
    }

    /** A user line with the SessionM user_id in {@code custom_attributes.sm_user_id}, as the offers job reads it. */
    static String memberLine(SplittableRandom random, long user) {
        String line = userLine(random, user);
        return line.replace("\"custom_attributes\":{", "\"custom_attributes\":{\"sm_user_id\":\"S-"
                + externalId(user).substring(2) + "\",");
    }

    private static String hostileLine(SplittableRandom random, long firstOfObject, long user) {
        return switch (random.nextInt(6)) {
            case 0 -> "{\"external_id\":\"" + externalId(user) + "-broken\",\"language\":\n";
            case 1 -> "[\"not\",\"a\",\"user\"]\n";
            case 2 -> "{\"braze_id\":\"" + HexFormat.of().formatHex(randomBytes(random, 12)) + "\",\"language\":\"fr\"}\n";
            case 3 -> "{\"external_id\":\"bad\\u0007id-" + user + "\"}\n";
            case 4 -> "   \n";
            default -> user > firstOfObject ? userLine(random, firstOfObject) : "{}\n";
        };
    }

    /**
     * Distinct for every user, yet not in export order, as real ids are not: the ledger's index sees them scattered.
     * Multiplying by a number prime to 10 permutes the ten-digit numbers.
     */
    static String externalId(long user) {
        return String.format(Locale.ROOT, "U-%010d", Math.floorMod(user * ID_SCATTER, ID_SPACE));
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /**
     * {@code --users N [--users-per-object 5000] [--format gz|zip] [--hostile-rate 0.001] [--seed 1]
     * [--segment ID] --to file:/dir/|s3://bucket/prefix/}. S3 settings come from the environment as for the sync
     * ({@code S3_ENDPOINT}, {@code S3_PATHSTYLE}, {@code S3_ACCESSKEYID}, ...). Prints the export folder.
     */
    public static void main(String[] args) {
        BenchOptions options = BenchOptions.parse(args);
        Spec spec = new Spec(options.longValue("users", 1_000_000), options.intValue("users-per-object", 5_000),
                Format.valueOf(options.text("format", "gz").toUpperCase(Locale.ROOT)),
                options.doubleValue("hostile-rate", 0), options.longValue("seed", 1), options.text("segment", "bench-segment"));
        StorageLocation root = StorageLocation.parse(options.required("to"));
        long start = System.nanoTime();
        StorageLocation folder = new ExportGenerator(objectStoreFromEnvironment()).write(root, spec);
        System.out.printf(Locale.ROOT, "%d users in %d objects written to %s in %.1f s%n", spec.users(), spec.objects(),
                folder.uri(), (System.nanoTime() - start) / 1e9);
    }

    static ObjectStore objectStoreFromEnvironment() {
        S3Settings settings = Binder.get(new StandardEnvironment()).bindOrCreate("s3", S3Settings.class);
        return new RoutingObjectStore(new LocalObjectStore(),
                () -> new S3ObjectStore(new StorageConfiguration().s3Client(settings), settings));
    }
}
