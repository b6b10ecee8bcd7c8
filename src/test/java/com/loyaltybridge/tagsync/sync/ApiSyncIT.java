package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.users;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.simulator.RecordedRequest;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * {@code --mode=api} end to end: what SessionM receives for an export of several zip and
 * gz objects in S3.
 */
class ApiSyncIT extends SyncTestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void tagsEveryUserOfAMultiObjectExportWithExactlyOneCorrectPost() {
        StorageLocation export = ExportFolder.of("gold")
            .writeTo(s3, "braze-exports", Map.of("a1.zip", zip(lines(users(1, 10)), lines(users(11, 20))), "b2.zip",
                    zip(lines(users(21, 30))), "c3.gz", gzip(lines(users(31, 35)), lines(users(36, 40)))));

        Run run = sync("sync", "--export=" + export.uri(), "--tags=vip,braze_sync", "--ttl=2592000", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(sessionm.postCount()).isEqualTo(40);
        String expectedAuthorization = "Basic "
                + Base64.getEncoder().encodeToString((API_KEY + ":" + API_SECRET).getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i <= 40; i++) {
            String id = "C-" + i;
            List<RecordedRequest> posts = sessionm.postsFor(IdentifierType.EXTERNAL_ID, id);
            assertThat(posts).as(id).hasSize(1);
            RecordedRequest post = posts.get(0);
            assertThat(post.rawPath()).isEqualTo("/priv/v1/apps/" + API_KEY + "/external/users/" + id + "/tags");
            assertThat(post.authorization()).isEqualTo(expectedAuthorization);
            assertThat(post.contentType()).startsWith("application/json");
            assertThat(JSON.readTree(post.body()))
                .isEqualTo(JSON.readTree("{\"tags\":[\"braze_sync\",\"vip\"],\"ttl\":2592000}"));
        }
        assertThat(ledgerStates(export)).isEqualTo(Map.of("TAGGED", 40L));
        assertThat(run.stdout()).contains("COMPLETED")
            .containsPattern("tagged\\s+40\\b")
            .containsPattern("users\\s+40\\b");
        assertThat(run.stdout()).as("SessionM's pace in the summary")
            .containsPattern("SessionM rate\\s+[\\d.,]+ requests/s \\(no rate limit configured\\)")
            .containsPattern("SessionM latency\\s+p50 \\d+ ms, p99 \\d+ ms")
            .containsPattern("in-flight limit\\s+4 of at most 4 at the end")
            .containsPattern("held back by\\s+\\S");
    }

    @Test
    void runningTheSameCommandAfterSuccessDoesNothingAndSaysWhenItCompleted() {
        StorageLocation export = ExportFolder.of("gold")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(users(1, 5)))));
        String[] command = { "sync", "--export=" + export.uri(), "--tags=vip", "--mode=api" };
        assertThat(sync(command).exitCode()).isEqualTo(ExitCode.COMPLETED);

        Run again = sync(command);

        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(again.stdout()).contains("this sync already completed at").contains("nothing was done");
        assertThat(sessionm.postCount()).isEqualTo(5);
    }

    @Test
    void counterTagsAreSentWithoutTtlAndAliasIdentifiersUseTheSessionmUserPath() {
        String withAlias = "{\"external_id\":\"C-1\",\"user_aliases\":[{\"alias_name\":\"sm-0001\",\"alias_label\":\"sessionm_user_id\"}]}";
        String otherLabel = "{\"external_id\":\"C-2\",\"user_aliases\":[{\"alias_name\":\"x\",\"alias_label\":\"other\"}]}";
        StorageLocation export = ExportFolder.of("gold")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(withAlias, otherLabel))));

        Run run = sync("sync", "--export=" + export.uri(), "--tags=vip", "--mode=api",
                "--identifier=alias:sessionm_user_id");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        List<RecordedRequest> posts = sessionm.postsFor(IdentifierType.USER_ID, "sm-0001");
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).rawPath()).isEqualTo("/priv/v1/apps/" + API_KEY + "/users/sm-0001/tags");
        assertThat(JSON.readTree(posts.get(0).body())).isEqualTo(JSON.readTree("{\"tags\":[\"vip\"]}"));
        assertThat(sessionm.postCount()).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT reason FROM sync_skipped_line WHERE job_instance_id = ?", String.class,
                jobInstanceOf(export)))
            .containsExactly("missing_identifier");
    }

    @Test
    void autoModeUsesTheApiForASmallExport() {
        StorageLocation export = ExportFolder.of("gold")
            .writeTo(s3, "braze-exports", Map.of("a.gz", gzip(lines(users(1, 3)))));

        Run run = run(Map.of("sync.auto-api-max-users", "3"), "sync", "--export=" + export.uri(), "--tags=vip",
                "--output=s3://bulk-out/imports/");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(run.stdout()).contains("auto chose api");
        assertThat(sessionm.postCount()).isEqualTo(3);
    }

}
