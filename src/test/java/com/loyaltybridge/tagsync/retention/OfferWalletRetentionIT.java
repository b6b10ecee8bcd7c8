package com.loyaltybridge.tagsync.retention;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets.Wallet;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.DeletesPerTransaction;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncHistory;
import com.loyaltybridge.tagsync.support.WalletTestSupport;
import com.loyaltybridge.tagsync.wallet.OfferWalletJobConfiguration;

/**
 * Retention of the offers job's runs, as an operator sees it: a wallet refresh stages the
 * whole segment every time, so a run that ended more than {@code sync.ledger-retention}
 * ago and can never run again loses its members' and leavers' rows to {@code prune} (and
 * to every scan), in bounded transactions. Its summary shows what it showed before, the
 * members SessionM or Braze refused stay, and the audience's wallet fingerprints stay:
 * the next run still writes only the wallets that changed. Days are made to pass by
 * moving the runs' recorded times back.
 */
class OfferWalletRetentionIT extends WalletTestSupport {

    private static final String BUCKET = "retention-wallets";

    private static final Duration PAST_RETENTION = Duration.ofDays(15);

    private static final int MEMBERS = 30;

    @Test
    void aCompletedOffersRunPastTheRetentionKeepsItsSummaryAndTheMembersToLookAtAndTheNextRunWritesOnlyWhatChanged() {
        String segment = "ret-wallets-" + UUID.randomUUID();
        for (int i = 1; i <= MEMBERS; i++) {
            sessionm.offers().put("U-" + i, wallet(i, "w-" + i));
        }
        sessionm.offers().unknownUsers("U-404");
        braze.rejectUser("external_id", "E-7", "invalid external_id");
        ExportFolder day1 = ExportFolder.of(segment);
        StorageLocation first = writeExport(day1, withTheUnknown(MEMBERS));
        assertThat(offers("--export=" + first.uri(), "--identifier=" + IDENTIFIER).exitCode())
            .isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        // The next day: two wallets changed, two members left.
        sessionm.offers().put("U-2", wallet(2, "new-2"));
        sessionm.offers().put("U-3", wallet(3, "new-3"));
        StorageLocation second = writeExport(day1.nextDay(), withTheUnknown(MEMBERS - 2));
        assertThat(offers("--export=" + second.uri(), "--identifier=" + IDENTIFIER, "--dry-run").exitCode())
            .isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(offers("--export=" + second.uri(), "--identifier=" + IDENTIFIER).exitCode())
            .isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        long firstRun = offersRunOf(first);
        long secondRun = offersRunOf(second);
        long dryRun = SyncHistory.jobInstanceOf(jdbc, OfferWalletJobConfiguration.DRY_RUN_JOB_NAME, second);
        assertThat(membersOf(secondRun)).as("day 2 before pruning")
            .hasSize(MEMBERS - 2 + 1)
            .containsEntry("U-2", "WRITTEN")
            .containsEntry("U-7", "REFUSED")
            .containsEntry("U-404", "REJECTED");
        assertThat(leaversOf(secondRun)).isEqualTo(Map.of("U-29", "WRITTEN", "U-30", "WRITTEN"));
        String firstSummary = summaryOf(first);
        String secondSummary = summaryOf(second);
        Map<String, Long> dryRunCounts = countsOfRows(dryRun);
        Map<String, String> fingerprints = fingerprintsOf(segment);
        List.of(firstRun, secondRun, dryRun).forEach(run -> SyncHistory.movedBack(jdbc, run, PAST_RETENTION));

        Run prune;
        Map<Long, Long> deletedPerTransaction;
        try (DeletesPerTransaction deletes = DeletesPerTransaction.observe(jdbc, "sync_user", "sync_wallet_leaver",
                "sync_audience_member_wallet")) {
            prune = run(Map.of("sync.prune-batch-size", "5"), "prune");
            deletedPerTransaction = deletes.rowsByTransaction();
        }

        assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(prune.stdout())
            .containsPattern("prune: pruned offer wallets run, job instance " + firstRun + " \\(" + first.uri()
                    + ", ended .*\\): 29 users' rows, 0 of members who left and 0 of the audience's state for members"
                    + " gone since, in \\d+ transactions; 2 refused or in doubt kept")
            .containsPattern("prune: pruned offer wallets run, job instance " + secondRun + " \\(" + second.uri()
                    + ", ended .*\\): 27 users' rows, 2 of members who left and 0 of the audience's state")
            .containsPattern("prune: pruned offer wallets dry run, job instance " + dryRun + " \\(" + second.uri()
                    + ", ended .*\\): 28 users' rows, 2 of members who left");
        assertThat(deletedPerTransaction.values()).as("rows deleted by each transaction of the prune")
            .allMatch(rows -> rows <= 5);
        assertThat(deletedPerTransaction.values().stream().mapToLong(Long::longValue).sum())
            .as("the three runs' members but those to look at, and day 2's leavers twice (run and dry run)")
            .isEqualTo(29 + 27 + 28 + 2 + 2);
        assertThat(membersOf(firstRun)).as("the members SessionM or Braze refused, and nobody else")
            .isEqualTo(Map.of("U-7", "REFUSED", "U-404", "REJECTED"));
        assertThat(membersOf(secondRun)).isEqualTo(Map.of("U-7", "REFUSED", "U-404", "REJECTED"));
        assertThat(membersOf(dryRun)).isEqualTo(Map.of("U-404", "REJECTED"));
        assertThat(leaversOf(secondRun)).isEmpty();
        assertThat(leaversOf(dryRun)).isEmpty();
        assertThat(fingerprintsOf(segment)).as("the audience's wallet fingerprints").isEqualTo(fingerprints);
        assertThat(summaryOf(first)).as("the summary of the pruned first run").isEqualTo(firstSummary);
        assertThat(summaryOf(second)).as("the summary of the pruned second run")
            .isEqualTo(secondSummary)
            .containsPattern("members\\s+29\\n")
            .containsPattern("written\\s+2 in 1 Braze requests")
            .containsPattern("unchanged\\s+25\\b")
            .contains("rejected by SessionM   1  (user_not_found: 1)")
            .contains("refused by Braze       1  (invalid external_id: 1)")
            .contains("left the segment       2: cleared 2 in 1 Braze requests");
        assertThat(storedCounts(dryRun)).as("the dry run's counts, as its rows had them").isEqualTo(dryRunCounts);

        // The day after: one wallet changed; Braze takes E-7 again.
        braze.reset();
        sessionm.offers().put("U-5", wallet(5, "new-5"));
        StorageLocation third = writeExport(day1.nextDay().nextDay(), withTheUnknown(MEMBERS - 2));
        Run next = offers("--export=" + third.uri(), "--identifier=" + IDENTIFIER);

        assertThat(next.exitCode()).as(next.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(objectsPerMember()).as("the changed wallet and the one Braze refused before: nobody else")
            .isEqualTo(Map.of("E-5", 1, "E-7", 1));
        assertThat(summaryCount(next.stdout(), "unchanged")).isEqualTo(MEMBERS - 2 - 2);
    }

    @Test
    void anOffersRunThatCouldStillResumeKeepsItsRowsWhateverItsAgeAndResumesToTheEnd() {
        for (int i = 1; i <= 20; i++) {
            sessionm.offers().put("U-" + i, wallet(i, "w-" + i));
        }
        StorageLocation export = writeExport(ExportFolder.of("ret-wallets-failed-" + UUID.randomUUID()),
                List.of(members(1, 20)));
        braze.revokeKey();
        Run failed = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.FAILED);
        long run = offersRunOf(export);
        SyncHistory.movedBack(jdbc, run, PAST_RETENTION);

        Run prune = run(Map.of(), "prune");

        assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(prune.stdout()).contains("prune: kept offer wallets run, job instance " + run + " (" + export.uri()
                + "): ended FAILED and can still be run again, resuming from its rows");
        assertThat(membersOf(run)).hasSize(20);

        braze.reset();
        Run resumed = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(objectsPerMember()).hasSize(20).allSatisfy((member, objects) -> assertThat(objects).isEqualTo(1));
    }

    @Test
    void aFailedOffersRunWhoseAudienceCompletedANewerExportIsPrunedAndNeverRunsAgain() {
        for (int i = 1; i <= 12; i++) {
            sessionm.offers().put("U-" + i, wallet(i, "w-" + i));
        }
        ExportFolder day1 = ExportFolder.of("ret-wallets-superseded-" + UUID.randomUUID());
        StorageLocation older = writeExport(day1, List.of(members(1, 12)));
        braze.revokeKey();
        assertThat(offers("--export=" + older.uri(), "--identifier=" + IDENTIFIER).exitCode())
            .isEqualTo(ExitCode.FAILED);
        long failed = offersRunOf(older);
        braze.reset();
        StorageLocation newer = writeExport(day1.nextDay(), List.of(members(1, 12)));
        assertThat(offers("--export=" + newer.uri(), "--identifier=" + IDENTIFIER).exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        SyncHistory.movedBack(jdbc, failed, PAST_RETENTION);

        Run prune = run(Map.of(), "prune");

        assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(prune.stdout())
            .contains("prune: pruned offer wallets run, job instance " + failed + " (" + older.uri());
        assertThat(membersOf(failed)).isEmpty();
        int objects = braze.attributeObjects().size();
        Run again = offers("--export=" + older.uri(), "--identifier=" + IDENTIFIER);
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(braze.attributeObjects()).as("nothing written for the older export").hasSize(objects);
    }

    @Test
    void aScanPrunesOffersRunsAtItsEnd() {
        for (int i = 1; i <= 10; i++) {
            sessionm.offers().put("U-" + i, wallet(i, "w-" + i));
        }
        StorageLocation export = writeExport(ExportFolder.of("ret-wallets-scan-" + UUID.randomUUID()),
                List.of(members(1, 10)));
        assertThat(offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER).exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        long run = offersRunOf(export);
        SyncHistory.movedBack(jdbc, run, PAST_RETENTION);
        Map<String, String> settings = new LinkedHashMap<>(walletProperties());
        settings.put("scan.export-roots", "s3://" + BUCKET + "/");
        settings.put("scan.segments[0].segment-id", "ret-wallets-nothing-exported-" + UUID.randomUUID());
        settings.put("scan.segments[0].kind", "offers");
        settings.put("scan.segments[0].identifier", IDENTIFIER);

        Run scan = run(settings, "scan");

        assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(scan.stdout()).containsSubsequence("scan: 0 synced now",
                "prune: pruned offer wallets run, job instance " + run + " (" + export.uri(), "prune: ");
        assertThat(membersOf(run)).isEmpty();
    }

    private static Wallet wallet(int points, String offerId) {
        return Wallet.of(points, 10 * points, OfferWallets.offer(offerId, "Offer " + offerId, "2027-06-01T00:00:00Z"));
    }

    /** Members {@code E-1}..{@code E-members}, and E-404, whom SessionM does not know. */
    private static List<String> withTheUnknown(int members) {
        List<String> lines = new ArrayList<>(List.of(members(1, members)));
        lines.add(member("E-404", "U-404"));
        return lines;
    }

    private static StorageLocation writeExport(ExportFolder folder, List<String> members) {
        return folder.writeTo(s3, BUCKET, Map.of("part.zip", zip(lines(members.toArray(String[]::new)))));
    }

    /** The run's members in the ledger: SessionM user id to state. */
    private static Map<String, String> membersOf(long jobInstanceId) {
        return rows("SELECT identifier, state FROM sync_user WHERE job_instance_id = ? ORDER BY user_seq",
                jobInstanceId);
    }

    /** The run's leavers: SessionM user id to state. */
    private static Map<String, String> leaversOf(long jobInstanceId) {
        return rows("SELECT identifier, state FROM sync_wallet_leaver WHERE job_instance_id = ? ORDER BY identifier",
                jobInstanceId);
    }

    /**
     * The wallet audience's fingerprints: member to fingerprint and the run that wrote
     * it.
     */
    private static Map<String, String> fingerprintsOf(String segment) {
        return rows("""
                SELECT w.identifier, encode(w.fingerprint, 'hex') || ' by ' || w.job_instance_id
                FROM sync_audience_member_wallet AS w JOIN sync_audience AS a ON a.audience_id = w.audience_id
                WHERE a.name = ? ORDER BY w.identifier""", "offers:" + segment);
    }

    private static Map<String, String> rows(String sql, Object parameter) {
        Map<String, String> rows = new LinkedHashMap<>();
        jdbc.query(sql, rs -> {
            rows.put(rs.getString(1), rs.getString(2));
        }, parameter);
        return rows;
    }

    /**
     * What a run's summary counts, from its rows: members, members by state, leavers by
     * state.
     */
    private static Map<String, Long> countsOfRows(long jobInstanceId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("users", jdbc.queryForObject("SELECT count(*) FROM sync_user WHERE job_instance_id = ?", Long.class,
                jobInstanceId));
        jdbc.query("SELECT lower(state), count(*) FROM sync_user WHERE job_instance_id = ? GROUP BY 1", rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        }, jobInstanceId);
        jdbc.query("SELECT 'leavers_' || lower(state), count(*) FROM sync_wallet_leaver WHERE job_instance_id = ?"
                + " GROUP BY 1", rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                }, jobInstanceId);
        return counts;
    }

    /**
     * The counts stored for a pruned run, in the terms of {@link #countsOfRows}: those
     * that are not 0.
     */
    private static Map<String, Long> storedCounts(long jobInstanceId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT * FROM sync_ledger_summary WHERE job_instance_id = ?", rs -> {
            for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                String name = rs.getMetaData().getColumnName(column);
                if (!List.of("job_instance_id", "summarised_at", "pruned_at").contains(name)
                        && rs.getLong(column) != 0) {
                    counts.put(name, rs.getLong(column));
                }
            }
        }, jobInstanceId);
        return counts;
    }

    /**
     * The summary a user gets for a completed run by running it again, without the line
     * of its times.
     */
    private String summaryOf(StorageLocation export) {
        Run again = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);
        assertThat(again.stdout()).as(again.toString()).contains("this sync already completed");
        return again.stdout()
            .lines()
            .filter(line -> !line.startsWith("  job instance") && !line.startsWith("this sync already"))
            .reduce("", (text, line) -> text + line + "\n");
    }

}
