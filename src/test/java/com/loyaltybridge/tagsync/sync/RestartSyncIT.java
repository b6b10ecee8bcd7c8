package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.users;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * A run that fails half-way is resumed by the same command and ends with exactly one
 * applied POST per user and tag.
 */
class RestartSyncIT extends SyncTestSupport {

    private static final int USERS = 120;

    @Test
    void aRunStoppedBySessionmGoingDownResumesWhereItStoppedAndTagsEveryUserOnce() {
        StorageLocation export = ExportFolder.of("restart")
            .writeTo(s3, "braze-exports",
                    Map.of("a.zip", zip(lines(users(1, 60))), "b.gz", gzip(lines(users(61, USERS)))));
        Fault[] healthyThenDown = new Fault[500];
        Arrays.fill(healthyThenDown, 0, 45, Fault.none());
        Arrays.fill(healthyThenDown, 45, healthyThenDown.length, Fault.status(503));
        sessionm.enqueue(healthyThenDown);
        Map<String, String> settings = Map.of("sync.tagging-chunk-size", "20", "sessionm.max-retries", "1");
        String[] command = { "sync", "--export=" + export.uri(), "--tags=vip,braze_sync", "--mode=api" };

        Run failed = run(settings, command);

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(failed.stdout()).contains("SessionM did not take")
            .contains("run the same command again to resume")
            .containsPattern("not yet tagged\\s+\\d+");
        List<String> taggedBeforeRestart = jdbc.queryForList(
                "SELECT identifier FROM sync_user WHERE job_instance_id = ? AND state = 'TAGGED'", String.class,
                jobInstanceOf(export));
        assertThat(taggedBeforeRestart).hasSize(45);
        int postsBeforeRestart = sessionm.postCount();

        sessionm.clearFaults();
        Run resumed = run(settings, command);

        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(resumed.stdout()).containsPattern("tagged\\s+" + USERS);
        for (int i = 1; i <= USERS; i++) {
            String id = "C-" + i;
            assertThat(sessionm.appliedCounts(IdentifierType.EXTERNAL_ID, id)).as(id)
                .isEqualTo(Map.of("vip", 1, "braze_sync", 1));
        }
        for (String id : taggedBeforeRestart) {
            assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, id)).as("%s was tagged before the restart", id)
                .hasSize(1);
        }
        assertThat(sessionm.postCount() - postsBeforeRestart).as("the restart sends only the users not yet tagged")
            .isEqualTo(USERS - 45);
        assertThat(ledgerStates(export)).isEqualTo(Map.of("TAGGED", (long) USERS));
    }

}
