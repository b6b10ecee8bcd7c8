package com.loyaltybridge.tagsync.api;

import static com.loyaltybridge.tagsync.support.DailyExports.ids;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.api.ApiServer.Caller;
import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.DailyExports;
import com.loyaltybridge.tagsync.support.SyncHistory;
import com.loyaltybridge.tagsync.support.SyncTestSupport;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;

import tools.jackson.databind.JsonNode;

/**
 * The REST view of an execution whose sync's users were pruned after the retention: the
 * same counts as before.
 */
class PrunedExecutionViewIT extends SyncTestSupport {

    @Test
    void aPrunedSyncsExecutionShowsTheCountsItShowedBefore() {
        String segment = "pruned-view-" + UUID.randomUUID();
        StorageLocation day1 = DailyExports.write(s3, "pruned-view", segment, 1, ids(1, 40));
        StorageLocation day2 = DailyExports.write(s3, "pruned-view", segment, 2, ids(6, 45), "{\"external_id\":42}");
        sessionm.unknownCustomers("C-9");
        assertThat(sync("sync", "--export=" + day1.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(sync("sync", "--export=" + day2.uri(), "--tags=vip", "--mode=api").exitCode())
            .isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        long sync = SyncHistory.jobInstanceOf(jdbc, SegmentSyncJobConfiguration.JOB_NAME, day2);
        long execution = jdbc.queryForObject(
                "SELECT max(job_execution_id) FROM batch_job_execution WHERE job_instance_id = ?", Long.class, sync);

        try (ApiServer server = ApiServer.start(serviceProperties())) {
            JsonNode before = server.get(Caller.VIEWER, "/api/executions/" + execution).json();
            SyncHistory.movedBack(jdbc, sync, Duration.ofDays(15));
            assertThat(run(Map.of(), "prune").stdout()).contains("prune: pruned job instance " + sync + " ");
            assertThat(
                    jdbc.queryForObject("SELECT count(*) FROM sync_user WHERE job_instance_id = ?", Long.class, sync))
                .as("the refused user's row alone")
                .isEqualTo(1);

            JsonNode after = server.get(Caller.VIEWER, "/api/executions/" + execution).json();

            assertThat(after.path("counts")).as(after.toString()).isEqualTo(before.path("counts"));
            assertThat(after.path("counts").path("users").asLong()).isEqualTo(40);
            assertThat(after.path("counts").path("tagged").asLong()).as("the five entering; C-9 refused again")
                .isEqualTo(5);
            assertThat(after.path("counts").path("rejected").asLong()).isEqualTo(1);
            assertThat(after.path("counts").path("skippedLines").asLong()).isEqualTo(1);
            assertThat(after.path("rejectedByCode")).isEqualTo(before.path("rejectedByCode"));
            assertThat(server.get(Caller.VIEWER, "/api/executions/" + execution + "/rejected-users")
                .json()
                .path("items")
                .get(0)
                .path("identifier")
                .asString()).isEqualTo("C-9");
        }
    }

}
