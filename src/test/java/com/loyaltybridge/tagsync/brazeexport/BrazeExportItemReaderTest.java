package com.loyaltybridge.tagsync.brazeexport;

import static com.loyaltybridge.tagsync.support.ExportFixtures.concat;
import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.gzipOfLines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.utf8;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zipOfLines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zipWithEntries;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.util.unit.DataSize;

import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.ObjectUnavailableException;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.storage.StoredObject;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.StorageBackend;

/**
 * Reading exports as Braze writes them, and as they arrive broken, on s3proxy and on a
 * local directory alike.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("com.loyaltybridge.tagsync.support.StorageBackend#all")
class BrazeExportItemReaderTest {

    private static final BrazeExportSettings SETTINGS = new BrazeExportSettings(DataSize.ofMegabytes(1),
            DataSize.ofGigabytes(1), 255);

    private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    private final StorageBackend backend;

    private final ObjectStore store;

    private final BrazeExportListing listing;

    BrazeExportItemReaderTest(StorageBackend backend) {
        this.backend = backend;
        this.store = backend.store();
        this.listing = new BrazeExportListing(store);
    }

    @Test
    void readsEveryLineOfEveryObjectInListOrderNumberedPerObject() {
        StorageLocation export = write(Map.of("a.zip",
                zipWithEntries("users-1.json", lines(user("u1"), user("u2")), "nested/", new byte[0], "users-2.json",
                        lines(user("u3"))),
                "b.gz", gzip(lines(user("u4"), user("u5")), lines(user("u6"))), "c.ZIP", zipOfLines(user("u7"))));

        assertThat(readAll(export)).containsExactly("0 a.zip:1 u1", "0 a.zip:2 u2", "0 a.zip:3 u3", "1 b.gz:1 u4",
                "1 b.gz:2 u5", "1 b.gz:3 u6", "2 c.ZIP:1 u7");
    }

    @Test
    void byteOrderMarksCarriageReturnsAndBlankLinesAreReadPastButCounted() {
        StorageLocation export = write(
                Map.of("a.zip",
                        zip(concat(BOM, utf8(user("u1") + "\r\n\r\n   \t\n" + user("u2") + "\r\n")),
                                concat(BOM, utf8(user("u3")))),
                        "b.gz", gzip(concat(BOM, utf8("\n\n" + user("u4") + "\n")))));

        assertThat(readAll(export)).containsExactly("0 a.zip:1 u1", "0 a.zip:4 u2", "0 a.zip:5 u3", "1 b.gz:3 u4");
    }

    @Test
    void aLineOverTheLimitIsReadPastAndFlaggedWithoutKeepingIt() {
        BrazeExportSettings smallLines = new BrazeExportSettings(DataSize.ofBytes(100), DataSize.ofGigabytes(1), 255);
        String exactlyTheLimit = "x".repeat(100);
        StorageLocation export = write(Map.of("a.gz", gzipOfLines("short", "y".repeat(101), exactlyTheLimit,
                exactlyTheLimit + "\r", "z".repeat(5_000_000), " ".repeat(5_000), "last")));

        List<String> read = readAll(export, smallLines);

        assertThat(read).containsExactly("0 a.gz:1 short", "0 a.gz:2 TOO LONG", "0 a.gz:3 " + exactlyTheLimit,
                "0 a.gz:4 " + exactlyTheLimit, "0 a.gz:5 TOO LONG", "0 a.gz:7 last");
    }

    @Test
    void emptyArchivesHoldNoUsers() {
        StorageLocation export = write(Map.of("a.zip", zip(), "b.zip", zip(new byte[0], utf8("\n\n")), "c.gz",
                gzip(new byte[0]), "d.gz", gzipOfLines(user("u1"))));

        assertThat(readAll(export)).containsExactly("3 d.gz:1 u1");
    }

    @Test
    void aRestartedReaderGoesOnWithExactlyTheLinesAfterTheSavedState() {
        StorageLocation export = write(Map.of("a.zip", zip(lines(user("u1"), "", user("u2")), lines(user("u3"))),
                "b.zip", zip(), "c.gz", gzip(lines(user("u4")), lines("", user("u5"), user("u6"))), "d.zip",
                zipOfLines(user("u7"), user("u8"))));
        List<StoredObject> objects = listing.objectsOf(export);
        List<String> all = readAll(export);
        assertThat(all).hasSize(8);

        for (int consumed = 0; consumed <= all.size() + 1; consumed++) {
            ExecutionContext saved = new ExecutionContext();
            List<String> beforeTheCrash = new ArrayList<>();
            BrazeExportItemReader<ExportLine> interrupted = BrazeExportItemReader.lines(store, objects, SETTINGS);
            interrupted.open(new ExecutionContext());
            for (int i = 0; i < consumed; i++) {
                ExportLine line = interrupted.read();
                if (line != null) {
                    beforeTheCrash.add(describe(line));
                }
            }
            interrupted.update(saved);
            // A few more reads whose chunk never committed: the restart must not skip
            // them.
            interrupted.read();
            interrupted.read();
            interrupted.close();

            BrazeExportItemReader<ExportLine> restarted = BrazeExportItemReader.lines(store, listing.objectsOf(export),
                    SETTINGS);
            restarted.open(new ExecutionContext(saved));
            List<String> afterTheRestart = drain(restarted);

            List<String> together = new ArrayList<>(beforeTheCrash);
            together.addAll(afterTheRestart);
            assertThat(together).as("saved after %d reads", consumed).isEqualTo(all);
        }
    }

    @Test
    void anUpdateAfterCloseKeepsThePositionOfTheLastCommitAsAStoppedStepNeedsIt() {
        StorageLocation export = write(Map.of("a.gz", gzipOfLines(user("u1"), user("u2"), user("u3"))));
        List<StoredObject> objects = listing.objectsOf(export);
        ExecutionContext saved = new ExecutionContext();
        BrazeExportItemReader<ExportLine> stopped = BrazeExportItemReader.lines(store, objects, SETTINGS);
        stopped.open(new ExecutionContext());
        stopped.read();
        stopped.read();
        stopped.update(saved);
        // Spring Batch 6 stops a step at a chunk boundary: it closes the reader, then
        // updates and stores the context.
        stopped.close();
        stopped.update(saved);

        BrazeExportItemReader<ExportLine> resumed = BrazeExportItemReader.lines(store, objects, SETTINGS);
        resumed.open(new ExecutionContext(saved));

        assertThat(drain(resumed)).containsExactly("0 a.gz:3 u3");
    }

    @Test
    void aRestartRefusesAnExportWhoseObjectsChanged() {
        StorageLocation export = write(
                Map.of("a.gz", gzipOfLines(user("u1"), user("u2")), "b.gz", gzipOfLines(user("u3"))));
        ExecutionContext saved = new ExecutionContext();
        BrazeExportItemReader<ExportLine> interrupted = BrazeExportItemReader.lines(store, listing.objectsOf(export),
                SETTINGS);
        interrupted.open(new ExecutionContext());
        interrupted.read();
        interrupted.update(saved);
        interrupted.close();
        StoredObject before = listing.objectsOf(export).get(0);
        backend.put(export, "a.gz", gzipOfLines(user("other"), user("users"), user("entirely")));
        StoredObject after = listing.objectsOf(export).get(0);

        BrazeExportItemReader<ExportLine> restarted = BrazeExportItemReader.lines(store, listing.objectsOf(export),
                SETTINGS);
        assertThatThrownBy(() -> restarted.open(new ExecutionContext(saved))).isInstanceOf(ItemStreamException.class)
            .hasMessage("cannot resume reading the export: object 1 was " + before.key() + " (ETag " + before.etag()
                    + ") when the interrupted run read it, and is now " + after.key() + " (ETag " + after.etag() + ")");

        backend.put(export, "c.gz", gzipOfLines(user("u4")));
        BrazeExportItemReader<ExportLine> grown = BrazeExportItemReader.lines(store, listing.objectsOf(export),
                SETTINGS);
        assertThatThrownBy(() -> grown.open(new ExecutionContext(saved))).isInstanceOf(ItemStreamException.class)
            .hasMessage(
                    "cannot resume reading the export: it holds 3 objects now, but held 2 when the interrupted run read it");
    }

    @Test
    void everyHostileLineBecomesASkipWithItsReasonAndValidIdentifiersStayExact() {
        byte[] invalidUtf8 = concat(utf8("{\"external_id\":\"ab"), new byte[] { (byte) 0xC3, (byte) 0x28 },
                utf8("\"}\n"));
        StorageLocation export = write(Map.of("a.zip",
                zip(concat(lines("x".repeat(2_000), "{\"external_id\":\"unterminated",
                        "{\"external_id\":\"ok\",\"deep\":" + "[".repeat(100) + "]".repeat(100) + "}",
                        "{\"external_id\":\"one\"} {\"external_id\":\"two\"}", "{\"external_id\":1029384}",
                        "{\"external_id\":true}", "[\"not\",\"an\",\"object\"]", "{\"external_id\":null}",
                        "{\"external_id\":\"\"}", "{\"braze_id\":\"anonymous\"}", "{\"external_id\":\"bell\\u0007\"}"),
                        invalidUtf8)),
                "b.gz", gzipOfLines(user("a/b"), user("../../admin"), user("x y"), user("id?x=1"), user("%2e%2e"),
                        user("ünï"))));
        BrazeExportSettings settings = new BrazeExportSettings(DataSize.ofKilobytes(1), DataSize.ofGigabytes(1), 255);
        BrazeUserParser parser = new BrazeUserParser(IdentifierSource.EXTERNAL_ID, settings);

        List<String> records = new ArrayList<>();
        BrazeExportItemReader<ExportLine> reader = BrazeExportItemReader.lines(store, listing.objectsOf(export),
                settings);
        reader.open(new ExecutionContext());
        for (ExportLine line = reader.read(); line != null; line = reader.read()) {
            ExportRecord record = parser.apply(line);
            records
                .add(record instanceof ExportRecord.ExportUser user ? user.lineNumber() + " user " + user.identifier()
                        : record.lineNumber() + " " + ((ExportRecord.SkippedLine) record).reason());
        }
        reader.close();

        assertThat(records).containsExactly("1 LINE_TOO_LONG", "2 INVALID_JSON", "3 INVALID_JSON", "4 INVALID_JSON",
                "5 WRONG_TYPE", "6 WRONG_TYPE", "7 WRONG_TYPE", "8 MISSING_IDENTIFIER", "9 MISSING_IDENTIFIER",
                "10 MISSING_IDENTIFIER", "11 INVALID_IDENTIFIER", "12 INVALID_JSON", "1 user a/b", "2 user ../../admin",
                "3 user x y", "4 user id?x=1", "5 user %2e%2e", "6 user ünï");
    }

    @Test
    void aZipCutShortInsideAnEntryFailsNamingTheObject() {
        byte[] whole = zipOfLines(manyUsers(2_000));
        StorageLocation export = write(Map.of("a.zip", Arrays.copyOf(whole, whole.length / 2)));

        assertFailsReading(export,
                "a.zip is not a readable zip archive: truncated (Unexpected end of ZLIB input stream)");
    }

    @Test
    void aZipCutShortBetweenEntriesFailsAlthoughEveryEntryReadsWell() {
        byte[] whole = zip(lines(user("u1")), lines(user("u2")));
        StorageLocation export = write(Map.of("a.zip", Arrays.copyOf(whole, centralDirectoryStart(whole))));

        assertFailsReading(export,
                "a.zip is not a readable zip archive: it does not end with an end-of-central-directory"
                        + " record: truncated, or followed by other data");
    }

    @Test
    void aZipThatIsNotAZipFails() {
        StorageLocation export = write(Map.of("a.zip", utf8(user("u1") + "\n"), "b.zip", new byte[0]));

        assertFailsReading(export, "a.zip is not a readable zip archive: it does not start with a zip signature");
        assertFailsReading(onlyObject(export, "b.zip"), "b.zip is not a readable zip archive: it is empty");
    }

    @Test
    void aZipBombStopsAtTheConfiguredLimit() {
        byte[] bomb = zip(new byte[20 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(100 * 1024);
        StorageLocation export = write(Map.of("a.zip", bomb, "b.gz", gzip(new byte[20 * 1024 * 1024])));
        BrazeExportSettings smallObjects = new BrazeExportSettings(DataSize.ofMegabytes(1), DataSize.ofMegabytes(10),
                255);

        assertFailsReading(export, smallObjects, "a.zip decompresses to more than 10MB"
                + " (braze.export.max-uncompressed-size-per-object): a zip bomb, or not a Braze export");
        assertFailsReading(onlyObject(export, "b.gz"), smallObjects, "b.gz decompresses to more than 10MB"
                + " (braze.export.max-uncompressed-size-per-object): a zip bomb, or not a Braze export");
    }

    @Test
    void aGzipWithTrailingGarbageFailsInsteadOfDroppingIt() {
        StorageLocation export = write(Map.of("a.gz", concat(gzipOfLines(user("u1")), utf8("garbage"))));

        assertFailsReading(export, "a.gz is not a readable gzip file: Unexpected data after a valid .gz stream.");
    }

    @Test
    void aGzipCutShortOrNotGzipFails() {
        byte[] whole = gzipOfLines(manyUsers(100));
        StorageLocation export = write(
                Map.of("a.gz", Arrays.copyOf(whole, whole.length - 4), "b.gz", utf8("plain text")));

        assertFailsReading(export, "a.gz is not a readable gzip file: truncated");
        assertFailsReading(onlyObject(export, "b.gz"),
                "b.gz is not a readable gzip file: Input is not in the .gz format.");
    }

    @Test
    void anObjectDeletedBetweenListingAndReadingFailsNamingIt() {
        StorageLocation export = write(Map.of("a.gz", gzipOfLines(user("u1")), "b.gz", gzipOfLines(user("u2"))));
        List<StoredObject> objects = listing.objectsOf(export);
        backend.delete(export, "b.gz");
        BrazeExportItemReader<ExportLine> reader = BrazeExportItemReader.lines(store, objects, SETTINGS);
        reader.open(new ExecutionContext());

        assertThat(reader.read()).isNotNull();
        assertThatThrownBy(reader::read).isInstanceOf(ObjectUnavailableException.class)
            .hasMessageStartingWith(objects.get(1).uri() + " was listed but is gone");
        reader.close();
    }

    @Test
    void anObjectChangedBetweenListingAndReadingFailsNamingIt() {
        StorageLocation export = write(Map.of("a.gz", gzipOfLines(user("u1"))));
        List<StoredObject> objects = listing.objectsOf(export);
        backend.put(export, "a.gz", gzipOfLines(user("u1"), user("u2")));
        BrazeExportItemReader<ExportLine> reader = BrazeExportItemReader.lines(store, objects, SETTINGS);
        reader.open(new ExecutionContext());

        assertThatThrownBy(reader::read).isInstanceOf(ObjectUnavailableException.class)
            .hasMessageStartingWith(objects.get(0).uri() + " changed since it was listed");
        reader.close();
    }

    private StorageLocation write(Map<String, byte[]> objects) {
        return ExportFolder.of("SEG-1").writeTo(backend, objects);
    }

    /**
     * The export with only {@code name} left in it, to read one broken object after
     * another.
     */
    private StorageLocation onlyObject(StorageLocation export, String name) {
        for (StoredObject object : store.list(export)) {
            if (!object.name().equals(name)) {
                backend.delete(export, object.name());
            }
        }
        return export;
    }

    private void assertFailsReading(StorageLocation export, String messageAfterFolder) {
        assertFailsReading(export, SETTINGS, messageAfterFolder);
    }

    private void assertFailsReading(StorageLocation export, BrazeExportSettings settings, String messageAfterFolder) {
        String folder = export.isS3() ? export.prefix() : export.directory() + "/";
        assertThatThrownBy(() -> readAll(export, settings)).isInstanceOf(CorruptExportObjectException.class)
            .hasMessage(folder + messageAfterFolder);
    }

    private List<String> readAll(StorageLocation export) {
        return readAll(export, SETTINGS);
    }

    private List<String> readAll(StorageLocation export, BrazeExportSettings settings) {
        BrazeExportItemReader<ExportLine> reader = BrazeExportItemReader.lines(store, listing.objectsOf(export),
                settings);
        reader.open(new ExecutionContext());
        try {
            return drain(reader);
        }
        finally {
            reader.close();
        }
    }

    private static List<String> drain(BrazeExportItemReader<ExportLine> reader) {
        List<String> lines = new ArrayList<>();
        for (ExportLine line = reader.read(); line != null; line = reader.read()) {
            lines.add(describe(line));
        }
        reader.close();
        return lines;
    }

    /**
     * "objectIndex name:lineNumber external_id" (or the raw line when it is no user
     * line), easy to compare.
     */
    private static String describe(ExportLine line) {
        String name = line.objectKey().substring(line.objectKey().lastIndexOf('/') + 1);
        String content = new String(line.content(), UTF_8);
        String shown = line.tooLong() ? "TOO LONG"
                : content.startsWith("{\"external_id\":\"") ? content.substring(16, content.indexOf('"', 16)) : content;
        return line.objectIndex() + " " + name + ":" + line.lineNumber() + " " + shown;
    }

    private static String[] manyUsers(int count) {
        String[] users = new String[count];
        for (int i = 0; i < count; i++) {
            users[i] = user("user-" + i + "-" + Integer.toHexString(i * 7919));
        }
        return users;
    }

    private static int centralDirectoryStart(byte[] zip) {
        for (int i = 0; i < zip.length - 3; i++) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
                return i;
            }
        }
        throw new IllegalArgumentException("no central directory");
    }

}
