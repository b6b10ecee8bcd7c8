package com.loyaltybridge.tagsync.bulkfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.loyaltybridge.tagsync.storage.LocalObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * The bulk file as SessionM's import reads it: RFC 4180 CSV in UTF-8, one row per user
 * and tag, every identifier quoted as CSV needs it, parts invisible until published, and
 * a manifest whose counts and checksums match the parts.
 */
class BulkFileWriterTest {

    private static final BulkFileSettings DEFAULTS = new BulkFileSettings(null, 100_000, true, null, "tag", "ttl");

    @TempDir
    Path root;

    @Test
    void eachUserGetsOneRowPerTagAndIdentifiersSurviveCsvQuotingExactly() throws IOException {
        List<String> identifiers = List.of("plain", "with,comma", "with \"quotes\"", "line\nbreak", "carriage\rreturn",
                " padded ", "ünïcødé 🙂", "=cmd|' /C calc'!A0", "");
        PublishedPart part = writePart(DEFAULTS, List.of("braze_sync", "vip"), 2592000L, identifiers);

        List<CSVRecord> records = read(part);
        assertThat(records.get(0).values()).containsExactly("external_id", "tag", "ttl");
        List<CSVRecord> rows = records.subList(1, records.size());
        assertThat(rows).hasSize(identifiers.size() * 2);
        for (int i = 0; i < identifiers.size(); i++) {
            assertThat(rows.get(2 * i).values()).containsExactly(identifiers.get(i), "braze_sync", "2592000");
            assertThat(rows.get(2 * i + 1).values()).containsExactly(identifiers.get(i), "vip", "2592000");
        }
        assertThat(part.users()).isEqualTo(identifiers.size());
        assertThat(part.rows()).isEqualTo(identifiers.size() * 2L);
    }

    @Test
    void rowsEndWithCrLfAndOnlyFieldsThatNeedItAreQuoted() throws IOException {
        PublishedPart part = writePart(DEFAULTS, List.of("vip"), null, List.of("C-1", "a,b", "say \"hi\""));

        assertThat(content(part))
            .isEqualTo("external_id,tag,ttl\r\nC-1,vip,\r\n\"a,b\",vip,\r\n\"say \"\"hi\"\"\",vip,\r\n");
    }

    @Test
    void counterTagsLeaveTheTtlEmptyAndTheHeaderFollowsTheSettings() throws IOException {
        BulkFileSettings named = new BulkFileSettings(null, 100_000, true, "customer", "tag_name", "expires_in");
        PublishedPart part = writePart(named, List.of("vip"), null, List.of("C-1"));

        assertThat(read(part)).extracting(CSVRecord::values)
            .containsExactly(new String[] { "customer", "tag_name", "expires_in" }, new String[] { "C-1", "vip", "" });
    }

    @Test
    void withoutAHeaderThePartHoldsOnlyRows() throws IOException {
        BulkFileSettings noHeader = new BulkFileSettings(null, 100_000, false, null, "tag", "ttl");
        PublishedPart part = writePart(noHeader, List.of("vip"), 60L, List.of("C-1", "C-2"));

        assertThat(content(part)).isEqualTo("C-1,vip,60\r\nC-2,vip,60\r\n");
    }

    @Test
    void thePartsSizeAndChecksumAreThoseOfItsBytes() throws Exception {
        PublishedPart part = writePart(DEFAULTS, List.of("vip", "gold"), 60L, List.of("C-1", "ü"));

        byte[] bytes = Files.readAllBytes(fileOf(part));
        assertThat(part.bytes()).isEqualTo(bytes.length);
        assertThat(part.sha256())
            .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(part.name()).isEqualTo("part-00001.csv");
    }

    @Test
    void aPartIsInvisibleUntilPublishedAndGoneIfClosedBefore() throws IOException {
        BulkFileWriter writer = new BulkFileWriter(new LocalObjectStore(), DEFAULTS);
        StorageLocation folder = StorageLocation.directory(root.resolve("out"));
        try (BulkFilePart part = writer.startPart(folder, 1, "external_id", List.of("vip"), null)) {
            part.writeUser("C-1");
            assertThat(visibleFiles()).isEmpty();
        }
        writer.discardUnpublished(folder);

        assertThat(visibleFiles()).isEmpty();
    }

    @Test
    void aUserNeverSpansTwoParts() {
        BulkFileWriter writer = new BulkFileWriter(new LocalObjectStore(),
                new BulkFileSettings(null, 10, true, null, "tag", "ttl"));

        assertThat(writer.usersPerPart(3)).isEqualTo(3);
        assertThat(writer.usersPerPart(20)).isEqualTo(1);
    }

    @Test
    void theManifestListsEveryPartWithItsCountsAndChecksum() throws IOException {
        BulkFileWriter writer = new BulkFileWriter(new LocalObjectStore(), DEFAULTS);
        StorageLocation folder = StorageLocation.directory(root.resolve("out"));
        PublishedPart first = publish(writer, folder, 1, List.of("vip"), List.of("C-1", "C-2"));
        PublishedPart second = publish(writer, folder, 2, List.of("vip"), List.of("C-3"));

        String manifest = writer.publishManifest(folder,
                new BulkFileWriter.Source("s3://braze/segment-export/gold/2026-11-28/x/", "gold", List.of("vip"), 60L,
                        "external_id", 7),
                List.of(first, second));

        JsonNode json = JsonMapper.builder()
            .build()
            .readTree(Files.readString(root.resolve("out").resolve(BulkFileWriter.MANIFEST_NAME)));
        assertThat(manifest).endsWith(BulkFileWriter.MANIFEST_NAME);
        assertThat(json.path("segmentId").asString()).isEqualTo("gold");
        assertThat(json.path("users").asLong()).isEqualTo(3);
        assertThat(json.path("rows").asLong()).isEqualTo(3);
        assertThat(json.path("parts").findValuesAsString("name")).containsExactly("part-00001.csv", "part-00002.csv");
        assertThat(json.path("parts").findValuesAsString("sha256")).containsExactly(first.sha256(), second.sha256());
    }

    @Test
    void theFolderOfASyncIsNamedAfterItsExportAndJobInstance() {
        StorageLocation folder = BulkFileWriter.folderFor(StorageLocation.parse("s3://imports/incoming/"),
                StorageLocation.parse("s3://braze/segment-export/gold/2026-11-28/6f1c-1764316800/"), 42);

        assertThat(folder.uri()).isEqualTo("s3://imports/incoming/gold/2026-11-28/6f1c-1764316800/job-42/");
    }

    private PublishedPart writePart(BulkFileSettings settings, List<String> tags, Long ttl, List<String> identifiers) {
        BulkFileWriter writer = new BulkFileWriter(new LocalObjectStore(), settings);
        StorageLocation folder = StorageLocation.directory(root.resolve("out"));
        try (BulkFilePart part = writer.startPart(folder, 1, "external_id", tags, ttl)) {
            identifiers.forEach(part::writeUser);
            return part.publish();
        }
    }

    private static PublishedPart publish(BulkFileWriter writer, StorageLocation folder, int number, List<String> tags,
            List<String> identifiers) {
        try (BulkFilePart part = writer.startPart(folder, number, "external_id", tags, 60L)) {
            identifiers.forEach(part::writeUser);
            return part.publish();
        }
    }

    private List<CSVRecord> read(PublishedPart part) throws IOException {
        return CSVFormat.RFC4180.parse(new StringReader(content(part))).getRecords();
    }

    private String content(PublishedPart part) throws IOException {
        return Files.readString(fileOf(part), StandardCharsets.UTF_8);
    }

    private Path fileOf(PublishedPart part) {
        return root.resolve("out").resolve(part.name());
    }

    private List<String> visibleFiles() throws IOException {
        Path out = root.resolve("out");
        if (!Files.exists(out)) {
            return List.of();
        }
        try (var files = Files.list(out)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> !name.startsWith(".")).toList();
        }
    }

}
