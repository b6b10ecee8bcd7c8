package com.loyaltybridge.tagsync.retention;

import static com.loyaltybridge.tagsync.support.DailyExports.concat;
import static com.loyaltybridge.tagsync.support.DailyExports.ids;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.DailyExports;
import com.loyaltybridge.tagsync.support.DeletesPerTransaction;
import com.loyaltybridge.tagsync.support.SyncHistory;
import com.loyaltybridge.tagsync.support.SyncTestSupport;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;

/**
 * Retention as an operator sees it: syncs that ended more than
 * {@code sync.ledger-retention} ago and can never run again lose their users' rows to
 * {@code prune} (and to every scan), in bounded transactions; their summaries still show
 * their counts, their refused and in-doubt users and skipped lines stay, and the audience
 * goes on sending only what changed. Days are made to pass by moving the syncs' recorded
 * times back.
 */
class LedgerRetentionIT extends SyncTestSupport {

    private static final String BUCKET = "retention-exports";

    private static final Duration PAST_RETENTION = Duration.ofDays(15);

    @Test
    void aCompletedSyncPastTheRetentionKeepsItsCountsAndTheUsersToLookAtAndNothingElse() {
        String segment = "ret-done-" + UUID.randomUUID();
        StorageLocation day1 = DailyExports.write(s3, BUCKET, segment, 1, ids(1, 100));
        StorageLocation day2 = DailyExports.write(s3, BUCKET, segment, 2, ids(11, 110), "not json at all");
        // C-17's call lands but its answer is lost: its counter tag is then found
        // present, in doubt. C-19 is unknown.
        sessionm.faultFor("C-17", Fault.resetAfterApply());
        sessionm.unknownCustomers("C-19");
        assertThat(sync("sync", "--export=" + day1.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(sync("sync", "--export=" + day2.uri(), "--tags=vip", "--mode=api", "--dry-run").exitCode())
            .isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(sync("sync", "--export=" + day2.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        long first = syncOf(day1);
        long second = syncOf(day2);
        long dryRun = SyncHistory.jobInstanceOf(jdbc, SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME, day2);
        assertThat(usersOf(first)).as("day 1 before pruning")
            .hasSize(100)
            .containsEntry("C-17", "IN_DOUBT")
            .containsEntry("C-19", "REJECTED");
        String summaryBefore = summaryOf(day2);
        List.of(first, second, dryRun).forEach(sync -> SyncHistory.movedBack(jdbc, sync, PAST_RETENTION));

        Run prune = run(Map.of(), "prune");

        assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(prune.stdout()).contains("prune: pruned job instance " + first + " (" + day1.uri() + ", ended ")
            .contains("prune: pruned job instance " + second + " (" + day2.uri() + ", ended ")
            .contains("prune: pruned dry run, job instance " + dryRun + " (" + day2.uri() + ", ended ")
            .containsPattern(
                    "job instance " + first + " .*: 98 users' rows, 0 of members who left and 0 of the audience's"
                            + " state for members gone since, in \\d+ transactions; 2 refused or in doubt kept")
            .containsPattern("job instance " + second + " .*: 99 users' rows, 10 of members who left and 10 of the"
                    + " audience's state for members gone since, in \\d+ transactions; 1 refused or in doubt kept");
        assertThat(usersOf(first)).as("day 1's users to look at, and nobody else")
            .isEqualTo(Map.of("C-17", "IN_DOUBT", "C-19", "REJECTED"));
        assertThat(usersOf(second)).isEqualTo(Map.of("C-19", "REJECTED"));
        assertThat(usersOf(dryRun)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_left_user WHERE job_instance_id IN (?, ?)",
                Long.class, second, dryRun))
            .isZero();
        assertThat(jdbc.queryForList("SELECT reason FROM sync_skipped_line WHERE job_instance_id = ?", String.class,
                second))
            .containsExactly("invalid_json");
        assertThat(new TreeSet<>(jdbc.queryForList(
                """
                        SELECT m.identifier FROM sync_audience_member_tag m JOIN sync_audience a ON a.audience_id = m.audience_id
                        WHERE a.name = ?""",
                String.class, segment)))
            .as("the audience's state: members now, the ten who left day 2 forgotten")
            .isEqualTo(new TreeSet<>(ids(11, 110)));
        assertThat(summaryOf(day2)).as("the summary of the pruned sync")
            .isEqualTo(summaryBefore)
            .containsPattern("users\\s+100\\b")
            .containsPattern("entering\\s+10\\b")
            .containsPattern("left\\s+10\\b")
            .containsPattern("rejected by SessionM\\s+1\\b");

        sessionm.reset();
        sessionm.unknownCustomers("C-19");
        StorageLocation day3 = DailyExports.write(s3, BUCKET, segment, 3, concat(ids(1, 5), ids(11, 110)));
        Run third = sync("sync", "--export=" + day3.uri(), "--tags=vip", "--mode=api");

        assertThat(third.exitCode()).as(third.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(postedCustomers()).as("members back after leaving, and the refused one retried: nobody else")
            .isEqualTo(new TreeSet<>(concat(ids(1, 5), List.of("C-19"))));
    }

    @Test
    void aSyncThatCouldStillResumeKeepsItsRowsWhateverItsAgeAndResumesToTheEnd() {
        String segment = "ret-failed-" + UUID.randomUUID();
        StorageLocation day1 = DailyExports.write(s3, BUCKET, segment, 1, ids(1, 50));
        sessionm.revokeCredentials();
        Run failed = sync("sync", "--export=" + day1.uri(), "--tags=vip", "--mode=api");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.FAILED);
        long sync = syncOf(day1);
        SyncHistory.movedBack(jdbc, sync, PAST_RETENTION);

        Run prune = run(Map.of(), "prune");

        assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(prune.stdout()).contains("prune: kept job instance " + sync + " (" + day1.uri()
                + "): ended FAILED and can still be run again, resuming from its rows");
        assertThat(usersOf(sync)).hasSize(50);

        sessionm.restoreCredentials();
        Run resumed = sync("sync", "--export=" + day1.uri(), "--tags=vip", "--mode=api");

        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCode.COMPLETED);
        assertAppliedExactlyOnce(ids(1, 50), "vip");
    }

    @Test
    void aFailedSyncOfAnExportSupersededByANewerOneIsPrunedAndNeverRunsAgain() {
        String segment = "ret-superseded-" + UUID.randomUUID();
        StorageLocation older = DailyExports.write(s3, BUCKET, segment, 1, ids(1, 30));
        StorageLocation newer = DailyExports.write(s3, BUCKET, segment, 2, ids(1, 40));
        sessionm.revokeCredentials();
        assertThat(sync("sync", "--export=" + older.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.FAILED);
        sessionm.restoreCredentials();
        assertThat(sync("sync", "--export=" + newer.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        long failed = syncOf(older);
        SyncHistory.movedBack(jdbc, failed, PAST_RETENTION);

        Run prune = run(Map.of(), "prune");

        assertThat(prune.stdout()).as(prune.toString())
            .contains("prune: pruned job instance " + failed + " (" + older.uri());
        assertThat(usersOf(failed)).isEmpty();
        Run again = sync("sync", "--export=" + older.uri(), "--tags=vip", "--mode=api");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(again.stderr()).contains("superseded: audience " + segment + " already follows " + newer.uri());
        assertAppliedExactlyOnce(ids(1, 40), "vip");
    }

    @Test
    void eachTransactionOfAPruneDeletesAtMostTheBatchSize(@TempDir Path output) {
        String segment = "ret-batches-" + UUID.randomUUID();
        StorageLocation day1 = DailyExports.write(s3, BUCKET, segment, 1, ids(1, 300));
        StorageLocation day2 = DailyExports.write(s3, BUCKET, segment, 2, ids(61, 360));
        Map<String, String> csv = Map.of("bulk-file.output", StorageLocation.directory(output).uri());
        assertThat(run(csv, "sync", "--export=" + day1.uri(), "--tags=vip,gold", "--mode=csv").exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        assertThat(run(csv, "sync", "--export=" + day2.uri(), "--tags=vip,gold", "--mode=csv").exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        long first = syncOf(day1);
        long second = syncOf(day2);
        SyncHistory.movedBack(jdbc, first, PAST_RETENTION);
        SyncHistory.movedBack(jdbc, second, PAST_RETENTION);
        Map<Long, Long> deletedPerTransaction;
        try (DeletesPerTransaction deletes = DeletesPerTransaction.observe(jdbc, "sync_user", "sync_left_user",
                "sync_audience_member_tag")) {
            Run prune = run(Map.of("sync.prune-batch-size", "50"), "prune");
            assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(ExitCode.COMPLETED);
            deletedPerTransaction = deletes.rowsByTransaction();
        }

        assertThat(deletedPerTransaction.values()).as("rows deleted by each transaction of the prune")
            .allMatch(rows -> rows <= 50);
        assertThat(deletedPerTransaction.values().stream().mapToLong(Long::longValue).sum())
            .as("day 1's and day 2's users, day 2's 60 leavers and their 120 (member, tag) rows")
            .isEqualTo(300 + 300 + 60 + 120);
        assertThat(usersOf(first)).isEmpty();
        assertThat(usersOf(second)).isEmpty();
    }

    @Test
    void aPruneThatFailsMidwayIsFinishedByTheNextWithTheCountsItStoredFirst() {
        String segment = "ret-interrupted-" + UUID.randomUUID();
        StorageLocation day1 = DailyExports.write(s3, BUCKET, segment, 1, ids(1, 200));
        sessionm.unknownCustomers("C-150");
        assertThat(sync("sync", "--export=" + day1.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        long sync = syncOf(day1);
        String summaryBefore = summaryOf(day1);
        SyncHistory.movedBack(jdbc, sync, PAST_RETENTION);
        // PostgreSQL fails the third delete: the prune stops after two transactions of 30
        // users each.
        jdbc.execute("CREATE SEQUENCE prune_deletes");
        jdbc.execute("""
                CREATE FUNCTION prune_fail() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('prune_deletes') > 2 THEN RAISE EXCEPTION 'the database went away'; END IF;
                    RETURN NULL;
                END $$""");
        jdbc.execute(
                "CREATE TRIGGER prune_fail BEFORE DELETE ON sync_user FOR EACH STATEMENT EXECUTE FUNCTION prune_fail()");
        Run interrupted;
        try {
            interrupted = run(Map.of("sync.prune-batch-size", "30"), "prune");
        }
        finally {
            jdbc.execute("DROP TRIGGER prune_fail ON sync_user");
            jdbc.execute("DROP FUNCTION prune_fail()");
            jdbc.execute("DROP SEQUENCE prune_deletes");
        }
        assertThat(interrupted.exitCode()).as(interrupted.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(interrupted.stderr()).contains("the database went away");
        assertThat(usersOf(sync)).as("two batches deleted").hasSize(140);
        assertThat(summaryOf(day1)).as("the summary while half pruned").isEqualTo(summaryBefore);

        Run prune = run(Map.of("sync.prune-batch-size", "30"), "prune");

        assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(prune.stdout()).containsPattern("pruned job instance " + sync + " .*: 139 users' rows");
        assertThat(usersOf(sync)).isEqualTo(Map.of("C-150", "REJECTED"));
        assertThat(summaryOf(day1)).isEqualTo(summaryBefore)
            .containsPattern("users\\s+200\\b")
            .containsPattern("tagged\\s+199\\b");
        assertThat(run(Map.of(), "prune").stdout()).as("nothing left of it to prune")
            .doesNotContain("job instance " + sync + " ");
    }

    @Test
    void aScanPrunesAtItsEnd() {
        String segment = "ret-scan-" + UUID.randomUUID();
        StorageLocation day1 = DailyExports.write(s3, BUCKET, segment, 1, ids(1, 20));
        assertThat(sync("sync", "--export=" + day1.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        long sync = syncOf(day1);
        SyncHistory.movedBack(jdbc, sync, PAST_RETENTION);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("scan.export-roots", "s3://" + BUCKET + "/");
        settings.put("scan.segments[0].segment-id", "ret-scan-nothing-exported-" + UUID.randomUUID());
        settings.put("scan.segments[0].tags", "vip");
        settings.put("scan.segments[0].mode", "api");

        Run scan = run(settings, "scan");

        assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(scan.stdout()).containsSubsequence("scan: 0 synced now",
                "prune: pruned job instance " + sync + " (" + day1.uri(), "prune: ");
        assertThat(usersOf(sync)).isEmpty();
    }

    private static long syncOf(StorageLocation export) {
        return SyncHistory.jobInstanceOf(jdbc, SegmentSyncJobConfiguration.JOB_NAME, export);
    }

    /** The sync's rows in the ledger: identifier to state. */
    private static Map<String, String> usersOf(long jobInstanceId) {
        Map<String, String> users = new LinkedHashMap<>();
        jdbc.query("SELECT identifier, state FROM sync_user WHERE job_instance_id = ? ORDER BY user_seq", rs -> {
            users.put(rs.getString(1), rs.getString(2));
        }, jobInstanceId);
        return users;
    }

    /**
     * The summary a user gets for a completed sync by running it again, without the line
     * of its times.
     */
    private String summaryOf(StorageLocation export) {
        Run again = sync("sync", "--export=" + export.uri(), "--tags=vip", "--mode=api");
        assertThat(again.stdout()).as(again.toString()).contains("this sync already completed");
        return again.stdout()
            .lines()
            .filter(line -> !line.startsWith("  job instance") && !line.startsWith("this sync already"))
            .reduce("", (text, line) -> text + line + "\n");
    }

    private static TreeSet<String> postedCustomers() {
        TreeSet<String> customers = new TreeSet<>();
        sessionm.requests()
            .stream()
            .filter(request -> "POST".equals(request.method()))
            .forEach(request -> customers.add(request.identifier()));
        return customers;
    }

}
