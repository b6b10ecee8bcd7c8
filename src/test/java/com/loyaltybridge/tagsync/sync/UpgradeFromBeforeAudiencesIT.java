package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.DailyExports.ids;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.ledger.PlanReason;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.DailyExports;
import com.loyaltybridge.tagsync.support.SyncHistory;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * An upgrade without a storm: a database holding a segment's completed sync from before
 * audiences (as that version left it: no plan, no audience, its users' tagged states in
 * the ledger, ended before the migration that brought audiences). The segment's next
 * export sends only the difference against that sync's tagged users; its dry run first
 * changes nothing of the audience; and that old sync's rows stay until the audience has
 * completed a sync, then are pruned.
 */
class UpgradeFromBeforeAudiencesIT extends SyncTestSupport {

    private static final String BUCKET = "upgrade-exports";

    @Test
    void theFirstExportAfterTheUpgradeSendsOnlyTheDifferenceAgainstTheLastSyncFromBefore() {
        String segment = "upgrade-" + UUID.randomUUID();
        StorageLocation before = DailyExports.write(s3, BUCKET, segment, 1, ids(1, 500));
        StorageLocation after = DailyExports.write(s3, BUCKET, segment, 2, ids(11, 510));
        assertThat(sync("sync", "--export=" + before.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED);
        long old = SyncHistory.jobInstanceOf(jdbc, SegmentSyncJobConfiguration.JOB_NAME, before);
        leftAsBeforeAudiences(segment, old);
        int requestsBefore = sessionm.requests().size();

        Run dryRun = sync("sync", "--export=" + after.uri(), "--tags=vip", "--mode=api", "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(dryRun.stdout()).startsWith("Dry run COMPLETED")
            .contains(PlanReason.SEEDED.description())
            .containsPattern("entering\\s+10\\b")
            .containsPattern("unchanged\\s+490\\b")
            .containsPattern("left\\s+10\\b")
            .containsPattern("would call SessionM\\s+10 times");
        assertThat(sessionm.requests()).as("a dry run calls no one").hasSize(requestsBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_audience WHERE name = ?", Long.class, segment))
            .as("a dry run records no audience")
            .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_audience_member_tag", Long.class)).as("nor any state")
            .isZero();
        assertThat(run(Map.of(), "prune").stdout())
            .as("the old sync, past the retention, is what the audience seeds from")
            .contains("prune: kept job instance " + old + " (" + before.uri()
                    + "): the last sync of its segment from before" + " audiences");

        Run first = sync("sync", "--export=" + after.uri(), "--tags=vip", "--mode=api");

        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(first.stdout()).contains(PlanReason.SEEDED.description())
            .containsPattern("entering\\s+10\\b")
            .containsPattern("unchanged\\s+490\\b")
            .containsPattern("left\\s+10\\b");
        assertThat(postsPerCustomer(requestsBefore)).as("one POST for each entering member, nobody else")
            .isEqualTo(onePostEach(ids(501, 510)));
        for (String member : ids(1, 510)) {
            assertThat(sessionm.appliedCounts(IdentifierType.EXTERNAL_ID, member)).as(member)
                .isEqualTo(Map.of("vip", 1));
        }
        assertThat(jdbc.queryForObject("SELECT seeded_from_job_instance_id FROM sync_audience WHERE name = ?",
                Long.class, segment))
            .isEqualTo(old);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_audience_member_tag WHERE status = 'TAGGED'",
                Long.class))
            .isEqualTo(500);

        Run prune = run(Map.of(), "prune");

        assertThat(prune.stdout()).as("once the audience has its own state")
            .contains("prune: pruned job instance " + old + " ");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_user WHERE job_instance_id = ?", Long.class, old))
            .isZero();
    }

    /**
     * Turns a completed sync into what the version before audiences left: no plan, no
     * reason to send on its users, none of the steps that version did not have, no
     * audience nor state, and ended before the migration that brought audiences was
     * applied (past the retention, too: a long-standing deployment).
     */
    private static void leftAsBeforeAudiences(String segment, long jobInstanceId) {
        jdbc.update("DELETE FROM sync_plan WHERE job_instance_id = ?", jobInstanceId);
        jdbc.update("DELETE FROM sync_left_user WHERE job_instance_id = ?", jobInstanceId);
        jdbc.update("UPDATE sync_user SET send_reason = NULL, tags_due = NULL WHERE job_instance_id = ?",
                jobInstanceId);
        jdbc.update(
                "DELETE FROM sync_audience_member_tag WHERE audience_id IN (SELECT audience_id FROM sync_audience WHERE name = ?)",
                segment);
        jdbc.update("DELETE FROM sync_audience WHERE name = ?", segment);
        List<String> newSteps = List.of(SyncStep.OPEN_PLAN.stepName(), SyncStep.PLAN_AUDIENCE.stepName(),
                SyncStep.UPDATE_AUDIENCE.stepName());
        for (String step : newSteps) {
            jdbc.update(
                    """
                            DELETE FROM batch_step_execution_context WHERE step_execution_id IN (
                                SELECT s.step_execution_id FROM batch_step_execution s JOIN batch_job_execution e USING (job_execution_id)
                                WHERE e.job_instance_id = ? AND s.step_name = ?)""",
                    jobInstanceId, step);
            jdbc.update("""
                    DELETE FROM batch_step_execution WHERE step_name = ? AND job_execution_id IN (
                        SELECT job_execution_id FROM batch_job_execution WHERE job_instance_id = ?)""", step,
                    jobInstanceId);
        }
        long sinceTheMigration = jdbc.queryForObject(
                """
                        SELECT extract(epoch FROM localtimestamp - installed_on)::bigint FROM flyway_schema_history WHERE version = '7'""",
                Long.class);
        SyncHistory.movedBack(jdbc, jobInstanceId, Duration.ofSeconds(Math.max(0, sinceTheMigration)).plusDays(15));
        assertThat(jdbc.queryForObject("""
                SELECT e.end_time < h.installed_on FROM batch_job_execution e, flyway_schema_history h
                WHERE e.job_instance_id = ? AND h.version = '7'""", Boolean.class, jobInstanceId))
            .as("ended before audiences")
            .isTrue();
    }

    /**
     * POSTs SessionM received since it had received {@code before} requests, per
     * customer.
     */
    private static Map<String, Integer> postsPerCustomer(int before) {
        Map<String, Integer> posts = new TreeMap<>();
        sessionm.requests()
            .stream()
            .skip(before)
            .filter(request -> "POST".equals(request.method()))
            .forEach(request -> posts.merge(request.identifier(), 1, Integer::sum));
        return posts;
    }

    private static Map<String, Integer> onePostEach(List<String> customers) {
        Map<String, Integer> posts = new TreeMap<>();
        customers.forEach(customer -> posts.put(customer, 1));
        return posts;
    }

}
