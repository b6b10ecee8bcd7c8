package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.concat;
import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.users;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zipWithEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.simulator.RecordedRequest;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * The hostile export: bad lines are recorded with their object, line and reason and never
 * stop the run; identifiers are data, reaching SessionM as exactly themselves; broken
 * archives and zip bombs fail the run with a message naming the object; entry names are
 * never used as paths.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileExportSyncIT extends SyncTestSupport {

    @Test
    void recordsEveryBadLineWithItsReasonAndTagsTheRest() {
        byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
        byte[] invalidUtf8 = "{\"external_id\":\"C-?\"}\n".getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length - 4] = (byte) 0xC3; // a lead byte followed by '"'
                                                           // is not UTF-8
        String deep = "{\"external_id\":\"C-deep\",\"x\":" + "[".repeat(200) + "]".repeat(200) + "}";
        byte[] content = concat(bom, lines(user("C-1"), // 1
                "", // 2 blank: fine, not recorded
                "{\"external_id\":\"C-2\"", // 3 bad JSON
                "{\"external_id\":42}", // 4 number where a string belongs
                "{\"external_id\":\"C-3\",\"pad\":\"" + "x".repeat(2048) + "\"}", // 5
                                                                                  // over
                                                                                  // the
                                                                                  // line-size
                                                                                  // limit
                "{\"braze_id\":\"65a1f0c2e4b0a1b2c3d4e5f7\"}", // 6 no external_id
                "{\"external_id\":null}", // 7 null identifier
                "{\"external_id\":\"\"}", // 8 empty identifier
                "{\"external_id\":\"C-\\u0007bell\"}", // 9 control character
                user("C-1"), // 10 duplicate of line 1
                deep, // 11 nested too deeply
                "[\"not\",\"an\",\"object\"]", // 12 not an object
                "   ", // 13 blank: fine
                user("C-4")), invalidUtf8, lines(user("C-5"))); // 15 invalid UTF-8, 16
                                                                // fine
        StorageLocation export = ExportFolder.of("hostile")
            .writeTo(s3, "braze-exports", Map.of("lines.zip", zip(content)));

        Run run = run(Map.of("braze.export.max-line-size", "1KB"), "sync", "--export=" + export.uri(), "--tags=vip",
                "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        String key = export.prefix() + "lines.zip";
        assertThat(jdbc.query(
                "SELECT object_key, line_number, reason FROM sync_skipped_line WHERE job_instance_id = ? ORDER BY line_number",
                (rs, row) -> tuple(rs.getString(1), rs.getLong(2), rs.getString(3)), jobInstanceOf(export)))
            .containsExactly(tuple(key, 3L, "invalid_json"), tuple(key, 4L, "wrong_type"),
                    tuple(key, 5L, "line_too_long"), tuple(key, 6L, "missing_identifier"),
                    tuple(key, 7L, "missing_identifier"), tuple(key, 8L, "missing_identifier"),
                    tuple(key, 9L, "invalid_identifier"), tuple(key, 10L, "duplicate_user"),
                    tuple(key, 11L, "invalid_json"), tuple(key, 12L, "wrong_type"), tuple(key, 15L, "invalid_json"));
        assertThat(jdbc.queryForObject(
                "SELECT detail FROM sync_skipped_line WHERE job_instance_id = ? AND line_number = 10", String.class,
                jobInstanceOf(export)))
            .contains("line 1 of " + key);
        assertThat(sessionm.requests()).extracting(RecordedRequest::identifier)
            .containsExactlyInAnyOrder("C-1", "C-4", "C-5");
        assertThat(run.stdout()).containsPattern("skipped lines\\s+11")
            .contains("invalid_json: 3", "missing_identifier: 3");
    }

    @Test
    void aUserRepeatedInALaterChunkIsSkippedAndTheRestOfThatChunkIsStaged() {
        // Chunks of three lines: the second chunk repeats C-2 between two users not seen
        // before.
        StorageLocation export = ExportFolder.of("hostile")
            .writeTo(s3, "braze-exports", Map.of("repeat.zip",
                    zip(lines(user("C-1"), user("C-2"), user("C-3"), user("C-4"), user("C-2"), user("C-5")))));

        Run run = run(Map.of("sync.staging-chunk-size", "3"), "sync", "--export=" + export.uri(), "--tags=vip",
                "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(jdbc.queryForList(
                "SELECT detail FROM sync_skipped_line WHERE job_instance_id = ? AND reason = 'duplicate_user'",
                String.class, jobInstanceOf(export)))
            .singleElement()
            .asString()
            .contains("line 2 of " + export.prefix() + "repeat.zip");
        assertThat(ledgerStates(export)).containsExactly(Map.entry("TAGGED", 5L));
        assertThat(sessionm.requests()).extracting(RecordedRequest::identifier)
            .containsExactlyInAnyOrder("C-1", "C-2", "C-3", "C-4", "C-5");
    }

    @Test
    void identifiersReachSessionmAsExactlyThemselves() {
        Map<String, String> expectedRawSegments = Map.of("a/b", "a%2Fb", "../../admin", "..%2F..%2Fadmin", "x y",
                "x%20y", "id?x=1", "id%3Fx%3D1", "%2e%2e", "%252e%252e", "..", "%2E%2E", "a#b", "a%23b", "ünï",
                "%C3%BCn%C3%AF");
        StorageLocation export = ExportFolder.of("hostile")
            .writeTo(s3, "braze-exports", Map.of("ids.zip",
                    zip(lines(expectedRawSegments.keySet().stream().map(id -> user(id)).toArray(String[]::new)))));

        Run run = sync("sync", "--export=" + export.uri(), "--tags=vip", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        expectedRawSegments.forEach((identifier, rawSegment) -> {
            List<RecordedRequest> posts = sessionm.postsFor(IdentifierType.EXTERNAL_ID, identifier);
            assertThat(posts).as(identifier).hasSize(1);
            assertThat(posts.get(0).rawPath())
                .isEqualTo("/priv/v1/apps/" + API_KEY + "/external/users/" + rawSegment + "/tags");
        });
        assertThat(sessionm.postCount()).isEqualTo(expectedRawSegments.size());
    }

    @Test
    void tooManyBadLinesFailTheRunWithAClearMessage() {
        String[] garbage = new String[30];
        Arrays.fill(garbage, "not json at all");
        StorageLocation export = ExportFolder.of("hostile")
            .writeTo(s3, "braze-exports", Map.of("bad.zip", zip(lines(garbage))));

        Run run = run(Map.of("sync.max-skipped-lines", "10"), "sync", "--export=" + export.uri(), "--tags=vip",
                "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(run.stdout()).contains("FAILED")
            .contains("more than sync.max-skipped-lines=10 allows")
            .doesNotContain("Exception", "\tat ");
        assertThat(sessionm.requests()).isEmpty();
    }

    @Test
    void tooManyRepeatedUsersFailTheRunBeforeAnyoneIsSentAndARaisedLimitLetsItFinish() {
        String[] users = users(1, 5);
        StorageLocation export = ExportFolder.of("hostile")
            .writeTo(s3, "braze-exports", Map.of("repeats.zip", zip(concat(lines(users), lines(users), lines(users)))));

        Run failed = run(Map.of("sync.max-skipped-lines", "5"), "sync", "--export=" + export.uri(), "--tags=vip",
                "--mode=api");

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(failed.stdout())
            .contains("10 lines of the export could not be used, 10 of them repeating a user seen"
                    + " earlier in the export")
            .contains("more than sync.max-skipped-lines=5 allows")
            .doesNotContain("\tat ");
        assertThat(sessionm.requests()).isEmpty();

        Run resumed = run(Map.of("sync.max-skipped-lines", "10"), "sync", "--export=" + export.uri(), "--tags=vip",
                "--mode=api");

        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(sessionm.requests()).extracting(RecordedRequest::identifier)
            .containsExactlyInAnyOrder("C-1", "C-2", "C-3", "C-4", "C-5");
        assertThat(
                jdbc.queryForList(
                        "SELECT line_number FROM sync_skipped_line WHERE job_instance_id = ?"
                                + " AND reason = 'duplicate_user' ORDER BY line_number",
                        Long.class, jobInstanceOf(export)))
            .containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
    }

    @Test
    void aTruncatedArchiveFailsTheRunNamingTheObject() {
        byte[] archive = zip(lines(users(1, 200)));
        StorageLocation export = ExportFolder.of("hostile")
            .writeTo(s3, "braze-exports", Map.of("cut.zip", Arrays.copyOf(archive, archive.length / 2)));

        Run run = sync("sync", "--export=" + export.uri(), "--tags=vip", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(run.stdout()).contains("FAILED").contains(export.prefix() + "cut.zip").doesNotContain("\tat ");
    }

    static Stream<Arguments> brokenArchives() {
        byte[] garbageAfterGzip = concat(gzip(lines(user("C-1"))), "trailing garbage".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                Arguments.of("zip bomb", "bomb.zip", zip(new byte[20 * 1024 * 1024]),
                        "bomb.zip decompresses to more than 10MB (braze.export.max-uncompressed-size-per-object):"
                                + " a zip bomb, or not a Braze export"),
                Arguments.of("gzip bomb", "bomb.gz", gzip(new byte[20 * 1024 * 1024]),
                        "bomb.gz decompresses to more than 10MB"),
                Arguments.of(".zip that is not a zip", "plain.zip", lines(user("C-1")),
                        "plain.zip is not a readable zip archive: it does not start with a zip signature"),
                Arguments.of("gz with trailing garbage", "tail.gz", garbageAfterGzip,
                        "tail.gz is not a readable gzip file: Unexpected data after a valid .gz stream."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenArchives")
    void aBrokenOrHostileArchiveFailsTheRunNamingItWithoutTaggingAnyone(String description, String name, byte[] archive,
            String expected, CapturedOutput output) {
        StorageLocation export = ExportFolder.of("hostile")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(users(1, 10))), name, archive));

        Run run = run(Map.of("braze.export.max-uncompressed-size-per-object", "10MB"), "sync",
                "--export=" + export.uri(), "--tags=vip", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(run.stdout()).containsPattern("failure\\s+" + Pattern.quote(export.prefix() + expected));
        assertThat(sessionm.requests()).as("nobody is tagged from an export that cannot be read whole").isEmpty();
        assertThat(output.getAll()).as("no stack trace").doesNotContain("\tat ");
    }

    @Test
    void emptyArchivesSeveralEntriesAndEntryNamesThatClimbOutAreJustRead() {
        String escape = "chaos-escape-" + UUID.randomUUID() + ".json";
        String absolute = "/tmp/chaos-absolute-" + UUID.randomUUID() + ".json";
        StorageLocation export = ExportFolder.of("hostile")
            .writeTo(s3, "braze-exports",
                    Map.of("empty.zip", zip(), "empty.gz", gzip(new byte[0]), "entries.zip",
                            zipWithEntries("users-1.json", lines(users(1, 3)), "nested/", new byte[0],
                                    "../".repeat(12) + "tmp/" + escape, lines(users(4, 6)), absolute,
                                    lines(users(7, 9)))));

        Run run = sync("sync", "--export=" + export.uri(), "--tags=vip", "--ttl=60", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        assertAppliedExactlyOnce(IntStream.rangeClosed(1, 9).mapToObj(i -> "C-" + i).toList(), "vip");
        assertThat(Path.of("/tmp", escape)).as("entry names are never used as paths").doesNotExist();
        assertThat(Path.of(absolute)).doesNotExist();
    }

    @Test
    void anEmptyExportFolderFailsWithAClearMessage() {
        s3.createBucket("braze-exports");

        String folder = "s3://braze-exports/" + ExportFolder.of("none").path();

        Run run = sync("sync", "--export=" + folder, "--tags=vip", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(run.stdout()).contains("no .zip or .gz objects in " + folder);
    }

}
