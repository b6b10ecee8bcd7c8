package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * A segment exported day after day: each export of its audience sends only what changed
 * since the last one synced, as SessionM sees it (POSTs received, counts of counter tags)
 * and as the bulk file holds it.
 */
class AudienceSyncIT extends SyncTestSupport {

    private static final String BUCKET = "audience-exports";

    private static final long DAY = 86_400L;

    private static final long FIRST_DAY = 1_764_000_000L;

    @Test
    void theSecondDaySendsExactlyTheEnteringMembersOfCounterTagsOnePostEach() {
        String segment = "aud-counter-" + UUID.randomUUID();
        StorageLocation day1 = export(segment, 1, ids(1, 1_000));
        StorageLocation day2 = export(segment, 2, ids(21, 1_020));

        Run first = sync("sync", "--export=" + day1.uri(), "--tags=vip", "--mode=api");
        Run second = sync("sync", "--export=" + day2.uri(), "--tags=vip", "--mode=api");

        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(first.stdout()).contains("the audience's first sync: every member is entering");
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(second.stdout()).containsPattern("entering\\s+20\\b")
            .containsPattern("unchanged\\s+980\\b")
            .containsPattern("left\\s+20\\b");
        Map<String, Integer> posts = postsPerCustomer();
        assertThat(posts).as("one POST per member of day 1, and one per member entering on day 2").hasSize(1_020);
        assertThat(posts.values()).containsOnly(1);
        for (String id : ids(1, 1_020)) {
            assertThat(sessionm.appliedCounts(IdentifierType.EXTERNAL_ID, id)).as(id).isEqualTo(Map.of("vip", 1));
        }
        assertThat(
                jdbc.queryForList("SELECT identifier FROM sync_left_user WHERE job_instance_id = ? ORDER BY identifier",
                        String.class, jobInstanceOf(day2)))
            .containsExactlyInAnyOrderElementsOf(ids(1, 20));
    }

    @Test
    void expiringTagsAreSentAgainOnlyWhenDueForARefresh() {
        String segment = "aud-ttl-" + UUID.randomUUID();
        StorageLocation day1 = export(segment, 1, ids(1, 100));
        StorageLocation day2 = export(segment, 2, ids(11, 110));
        assertThat(sync("sync", "--export=" + day1.uri(), "--tags=vip", "--ttl=864000", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        // Ten members' tags were taken nine days ago: with a TTL of ten days they end
        // before the run starts plus five.
        jdbc.update(
                """
                        UPDATE sync_audience_member_tag SET tagged_at = tagged_at - interval '9 days', expires_at = expires_at - interval '9 days'
                        WHERE identifier IN (%s)"""
                    .formatted(String.join(",", ids(11, 20).stream().map(id -> "'" + id + "'").toList())));
        sessionm.reset();

        Run second = sync("sync", "--export=" + day2.uri(), "--tags=vip", "--ttl=864000", "--mode=api");

        assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(second.stdout()).containsPattern("entering\\s+10\\b")
            .containsPattern("refresh due\\s+10\\b")
            .containsPattern("unchanged\\s+80\\b");
        assertThat(postsPerCustomer().keySet()).as("entering members and refresh-due ones, nobody else")
            .containsExactlyInAnyOrderElementsOf(concat(ids(11, 20), ids(101, 110)));
    }

    @Test
    void theBulkFileOfTheSecondDayHoldsOnlyTheEnteringMembers(@TempDir Path output) throws Exception {
        String segment = "aud-csv-" + UUID.randomUUID();
        StorageLocation day1 = export(segment, 1, ids(1, 600));
        StorageLocation day2 = export(segment, 2, ids(31, 630));
        String out = "--output=" + StorageLocation.directory(output).uri();

        assertThat(sync("sync", "--export=" + day1.uri(), "--tags=vip,gold", "--mode=csv", out).exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        Run second = sync("sync", "--export=" + day2.uri(), "--tags=vip,gold", "--mode=csv", out);

        assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCode.COMPLETED);
        List<String> rows = bulkFileRows(output, jobInstanceOf(day2));
        List<String> expected = new ArrayList<>();
        for (String id : ids(601, 630)) {
            expected.add(id + ",gold,");
            expected.add(id + ",vip,");
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aDryRunSendsNothingAndTheRealRunThatFollowsSendsExactlyWhatItPlanned() {
        String segment = "aud-dry-" + UUID.randomUUID();
        StorageLocation day1 = export(segment, 1, ids(1, 200));
        StorageLocation day2 = export(segment, 2, ids(6, 205));
        assertThat(sync("sync", "--export=" + day1.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        sessionm.reset();

        Run dry = sync("sync", "--export=" + day2.uri(), "--tags=vip", "--mode=api", "--dry-run");

        assertThat(dry.exitCode()).as(dry.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(dry.stdout()).startsWith("Dry run COMPLETED")
            .containsPattern("entering\\s+5\\b")
            .contains("C-201, C-202, C-203, C-204, C-205")
            .containsPattern("left\\s+5\\b")
            .contains("C-1, C-2, C-3, C-4, C-5")
            .containsPattern("would call SessionM\\s+5 times");
        assertThat(sessionm.requests()).as("a dry run calls no one").isEmpty();

        Run real = sync("sync", "--export=" + day2.uri(), "--tags=vip", "--mode=api");

        assertThat(real.exitCode()).as(real.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(postsPerCustomer().keySet()).containsExactlyInAnyOrderElementsOf(ids(201, 205));
    }

    @Test
    void anExportOlderThanTheLastOneSyncedIsRefusedUnlessFull() {
        String segment = "aud-old-" + UUID.randomUUID();
        StorageLocation older = export(segment, 1, ids(1, 10));
        StorageLocation newer = export(segment, 2, ids(1, 10));
        assertThat(sync("sync", "--export=" + newer.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        sessionm.reset();

        Run refused = sync("sync", "--export=" + older.uri(), "--tags=vip", "--mode=api");
        Run forced = sync("sync", "--export=" + older.uri(), "--tags=vip", "--mode=api", "--full");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.stderr()).contains("superseded: audience " + segment + " already follows " + newer.uri());
        assertThat(forced.exitCode()).as(forced.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(forced.stdout())
            .contains("--full: every member is sent whatever the audience's state, and counter tags went up"
                    + " for everyone");
        assertThat(postsPerCustomer()).as("--full sends everyone, once").hasSize(10).containsValue(1);
    }

    private static List<String> bulkFileRows(Path output, long jobInstanceId) throws Exception {
        try (Stream<Path> files = Files.walk(output)) {
            List<Path> parts = files.filter(path -> path.getFileName().toString().startsWith("part-"))
                .filter(path -> path.getParent().getFileName().toString().equals("job-" + jobInstanceId))
                .toList();
            List<String> rows = new ArrayList<>();
            for (Path part : parts) {
                List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
                rows.addAll(lines.subList(1, lines.size()));
            }
            return rows;
        }
    }

    private static StorageLocation export(String segment, int day, List<String> identifiers) {
        ExportFolder folder = new ExportFolder(segment, LocalDate.of(2026, 11, day), UUID.randomUUID(),
                FIRST_DAY + day * DAY);
        return folder.writeTo(s3, BUCKET,
                Map.of("part.zip", zip(lines(identifiers.stream().map(id -> user(id)).toArray(String[]::new)))));
    }

    private static List<String> ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "C-" + i).toList();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

}
