package com.loyaltybridge.tagsync.brazeexport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.util.unit.DataSize;

import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFixtures;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.StorageBackend;

/**
 * A sanity check that large exports stream through reader and parser line by line: every
 * user comes out once, numbered in order. Deliberately not timed.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("com.loyaltybridge.tagsync.support.StorageBackend#all")
class LargeExportTest {

    private static final int USERS = 200_000;

    private static final BrazeExportSettings SETTINGS = new BrazeExportSettings(DataSize.ofMegabytes(1),
            DataSize.ofGigabytes(1), 255);

    private final StorageBackend backend;

    LargeExportTest(StorageBackend backend) {
        this.backend = backend;
    }

    @Test
    void everyUserOfAGzipExportOf200000LinesIsReadOnceInOrder() throws IOException {
        assertEveryUserReadOnceInOrder(Map.of("a.gz", gzipOfUsers(USERS)));
    }

    @Test
    void everyUserOfAZipExportOf200000LinesIn40EntriesIsReadOnceInOrder() throws IOException {
        assertEveryUserReadOnceInOrder(Map.of("a.zip", zipOfUsers(USERS, 40)));
    }

    private void assertEveryUserReadOnceInOrder(Map<String, byte[]> objects) {
        StorageLocation export = ExportFolder.of("SEG-LARGE").writeTo(backend, objects);
        BrazeExportItemReader<ExportLine> reader = BrazeExportItemReader.lines(backend.store(),
                new BrazeExportListing(backend.store()).objectsOf(export), SETTINGS);
        BrazeUserParser parser = new BrazeUserParser(IdentifierSource.EXTERNAL_ID, SETTINGS);

        long users = 0;
        long lastLineNumber = 0;
        reader.open(new ExecutionContext());
        for (ExportLine line = reader.read(); line != null; line = reader.read()) {
            ExportRecord record = parser.apply(line);
            assertThat(record).isInstanceOf(ExportRecord.ExportUser.class);
            assertThat(record.lineNumber()).isEqualTo(lastLineNumber + 1);
            lastLineNumber = record.lineNumber();
            users++;
        }
        reader.close();

        assertThat(users).isEqualTo(USERS);
        assertThat(lastLineNumber).isEqualTo(USERS);
    }

    private static byte[] zipOfUsers(int count, int entries) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(file)) {
            for (int entry = 0; entry < entries; entry++) {
                zip.putNextEntry(new ZipEntry(ExportFixtures.randomName(".json")));
                for (int i = entry * count / entries + 1; i <= (entry + 1) * count / entries; i++) {
                    zip.write((ExportFixtures.user("C-" + i) + "\n").getBytes(UTF_8));
                }
                zip.closeEntry();
            }
        }
        return file.toByteArray();
    }

    private static byte[] gzipOfUsers(int count) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(file)) {
            for (int i = 1; i <= count; i++) {
                gzip.write((ExportFixtures.user("C-" + i) + "\n").getBytes(UTF_8));
            }
        }
        return file.toByteArray();
    }

}
