package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.users;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * {@code --mode=csv} end to end: the bulk file in the bucket, its rows, quoting, parts
 * and manifest; SessionM untouched.
 */
class BulkFileSyncIT extends SyncTestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void writesEveryUserAndTagOnceIntoPartsWithAManifestInTheBucket() throws Exception {
        String quoted = "C-\"quoted\", with comma";
        String spaced = " C-leading space, and 'single' quotes ";
        StorageLocation export = ExportFolder.of("platinum")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(users(1, 4)), lines(user(quoted), user(spaced))),
                    "b.gz", gzip(lines(users(5, 7)), lines(user("ünï"), user("=cmd|' /C calc'!A0")))));
        s3.createBucket("sessionm-imports");

        Run run = run(Map.of("bulk-file.max-rows-per-part", "8"), "sync", "--export=" + export.uri(),
                "--tags=vip,braze_sync", "--ttl=86400", "--mode=csv", "--output=s3://sessionm-imports/incoming/");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(sessionm.requests()).isEmpty();
        long jobInstance = jobInstanceOf(export);
        String folder = "incoming/platinum/2026-11-28/" + export.lastSegments(1) + "/job-" + jobInstance + "/";
        assertThat(s3.list("sessionm-imports", folder)).containsExactly(folder + "manifest.json",
                folder + "part-00001.csv", folder + "part-00002.csv", folder + "part-00003.csv");

        List<CSVRecord> rows = new ArrayList<>();
        for (int part = 1; part <= 3; part++) {
            byte[] content = s3.get("sessionm-imports", folder + "part-0000" + part + ".csv");
            List<CSVRecord> records = CSVFormat.RFC4180
                .parse(new StringReader(new String(content, StandardCharsets.UTF_8)))
                .getRecords();
            assertThat(records.get(0).values()).containsExactly("external_id", "tag", "ttl");
            assertThat(records.size() - 1).as("rows of part %d", part).isLessThanOrEqualTo(8);
            rows.addAll(records.subList(1, records.size()));
        }
        List<String> identifiers = List.of("C-1", "C-2", "C-3", "C-4", quoted, spaced, "C-5", "C-6", "C-7", "ünï",
                "=cmd|' /C calc'!A0");
        List<List<String>> expected = new ArrayList<>();
        for (String identifier : identifiers) {
            expected.add(List.of(identifier, "braze_sync", "86400"));
            expected.add(List.of(identifier, "vip", "86400"));
        }
        assertThat(rows).extracting(record -> List.of(record.values())).containsExactlyElementsOf(expected);

        JsonNode manifest = JSON.readTree(s3.get("sessionm-imports", folder + "manifest.json"));
        assertThat(manifest.get("export").asString()).isEqualTo(export.uri());
        assertThat(manifest.get("segmentId").asString()).isEqualTo("platinum");
        assertThat(manifest.get("users").asLong()).isEqualTo(11);
        assertThat(manifest.get("rows").asLong()).isEqualTo(22);
        assertThat(manifest.get("ttlSeconds").asLong()).isEqualTo(86400);
        for (JsonNode part : manifest.get("parts")) {
            byte[] content = s3.get("sessionm-imports", folder + part.get("name").asString());
            assertThat(part.get("bytes").asLong()).isEqualTo(content.length);
            assertThat(part.get("sha256").asString()).isEqualTo(sha256(content));
        }
        assertThat(run.stdout()).containsPattern("bulk file\\s+3 parts, 22 rows");
    }

    @Test
    void counterTagsLeaveTheTtlColumnEmptyAndLocalOutputWorksToo(@TempDir Path output) throws IOException {
        StorageLocation export = ExportFolder.of("gold")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(users(1, 2)))));

        Run run = sync("sync", "--export=" + export.uri(), "--tags=vip", "--mode=csv", "--output=file:" + output);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        Path part = output
            .resolve("gold/2026-11-28/" + export.lastSegments(1) + "/job-" + jobInstanceOf(export) + "/part-00001.csv");
        assertThat(Files.readString(part)).isEqualTo("external_id,tag,ttl\r\nC-1,vip,\r\nC-2,vip,\r\n");
        try (var files = Files.list(part.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("part-00001.csv",
                    "manifest.json");
        }
    }

    @Test
    void autoModeWritesABulkFileForAnExportAboveTheThreshold(@TempDir Path output) {
        StorageLocation export = ExportFolder.of("gold")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(users(1, 6)))));

        Run run = run(Map.of("sync.auto-api-max-users", "5"), "sync", "--export=" + export.uri(), "--tags=vip",
                "--output=file:" + output);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(run.stdout()).contains("auto chose csv").containsPattern("bulk file\\s+1 parts, 6 rows");
        assertThat(sessionm.requests()).isEmpty();
    }

    @Test
    void theBulkFileColumnsAreSettings(@TempDir Path output) throws IOException {
        StorageLocation export = ExportFolder.of("gold")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(users(1, 1)))));

        Run run = run(
                Map.of("bulk-file.identifier-column", "customer", "bulk-file.tag-column", "tag_name",
                        "bulk-file.ttl-column", "time_to_live"),
                "sync", "--export=" + export.uri(), "--tags=vip", "--ttl=60", "--mode=csv", "--output=file:" + output);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        Path part = output
            .resolve("gold/2026-11-28/" + export.lastSegments(1) + "/job-" + jobInstanceOf(export) + "/part-00001.csv");
        assertThat(Files.readString(part)).isEqualTo("customer,tag_name,time_to_live\r\nC-1,vip,60\r\n");
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

}
