package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.users;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.sessionm.simulator.FaultRate;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ChaosSeed;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * SessionM's bad days, end to end: what is retried, what is settled by reading, what is
 * recorded, what stops the run; and, whatever it does, no user is missed and none is
 * tagged twice.
 */
class SessionmFaultsSyncIT extends SyncTestSupport {

    @Test
    void transientFaultsAreRetriedAndUnansweredCallsSettledByReadingWithoutASecondPost() {
        StorageLocation export = export(6);
        sessionm.faultFor("C-1", Fault.tooManyRequests("1"));
        sessionm.faultFor("C-2", Fault.status(500));
        sessionm.faultFor("C-3", Fault.status(503));
        sessionm.faultFor("C-4", Fault.resetAfterApply());
        sessionm.faultFor("C-5", Fault.errorBody("internal_server_error"));
        sessionm.faultFor("C-6", Fault.applyThenDelay(Duration.ofSeconds(3)));

        Run run = sync("sync", "--export=" + export.uri(), "--tags=vip", "--ttl=3600", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(posts("C-1")).as("429 then accepted").isEqualTo(2);
        assertThat(posts("C-2")).as("500 (not applied) then accepted").isEqualTo(2);
        assertThat(posts("C-3")).as("503 then accepted").isEqualTo(2);
        assertThat(posts("C-4")).as("reset after applying: read, not sent again").isEqualTo(1);
        assertThat(posts("C-5")).as("retryable error body then accepted").isEqualTo(2);
        assertThat(posts("C-6")).as("timeout after applying: read, not sent again").isEqualTo(1);
        assertThat(jdbc.query("SELECT identifier, state FROM sync_user WHERE job_instance_id = ? ORDER BY identifier",
                (rs, row) -> tuple(rs.getString(1), rs.getString(2)), jobInstanceOf(export)))
            .containsExactly(tuple("C-1", "TAGGED"), tuple("C-2", "TAGGED"), tuple("C-3", "TAGGED"),
                    tuple("C-4", "ALREADY_TAGGED"), tuple("C-5", "TAGGED"), tuple("C-6", "ALREADY_TAGGED"));
        assertThat(run.stdout()).containsPattern("tagged\\s+4").containsPattern("already tagged\\s+2");
    }

    @Test
    void usersSessionmRefusesAreRecordedWithItsCodeAndTheRunGoesOn() {
        StorageLocation export = export(5);
        sessionm.unknownCustomers("C-2");
        sessionm.faultFor("C-3", Fault.errorBody("requires_registered_user"));

        Run run = sync("sync", "--export=" + export.uri(), "--tags=vip", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(jdbc.query("""
                SELECT identifier, sessionm_status, sessionm_code FROM sync_user
                WHERE job_instance_id = ? AND state = 'REJECTED' ORDER BY identifier""",
                (rs, row) -> tuple(rs.getString(1), rs.getInt(2), rs.getString(3)), jobInstanceOf(export)))
            .containsExactly(tuple("C-2", 404, "user_not_found"), tuple("C-3", 200, "requires_registered_user"));
        assertThat(ledgerStates(export)).containsEntry("TAGGED", 3L);
        assertThat(run.stdout())
            .containsPattern("rejected by SessionM\\s+2\\s+\\(requires_registered_user: 1, user_not_found: 1\\)");
    }

    @Test
    void aLong429StormSlowsTheRunDownInsteadOfFailingIt() {
        StorageLocation export = export(200);
        Fault[] storm = new Fault[60];
        Arrays.fill(storm, Fault.tooManyRequests("1"));
        sessionm.enqueue(storm);
        // Retry-After is capped at 100ms to keep the test short; one retry would be far
        // too few if 429s used them up.
        Map<String, String> settings = Map.of("sessionm.max-retry-after", "100ms", "sessionm.max-retries", "1");

        Run run = run(settings, "sync", "--export=" + export.uri(), "--tags=vip", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(sessionm.stats().byStatus()).containsEntry("429", 60L);
        assertAppliedExactlyOnce(identifiers(200), "vip");
        assertThat(ledgerStates(export)).isEqualTo(Map.of("TAGGED", 200L));
    }

    @Test
    void randomServerErrorsTimeoutsAndResetsNeverMissOrDoubleAUser() {
        int users = 600;
        StorageLocation export = export(users);
        long seed = ChaosSeed.forTest("randomServerErrorsTimeoutsAndResetsNeverMissOrDoubleAUser");
        sessionm.faultRates(seed, FaultRate.of(Fault.status(500), 0.05),
                FaultRate.of(Fault.status(500).afterApplying(), 0.01), FaultRate.of(Fault.resetBeforeApply(), 0.01),
                FaultRate.of(Fault.resetAfterApply(), 0.01),
                FaultRate.of(Fault.applyThenDelay(Duration.ofMillis(1_500)), 0.005));

        Run run = sync("sync", "--export=" + export.uri(), "--tags=vip,braze_sync", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isIn(ExitCode.COMPLETED, ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(sessionm.stats().byStatus()).as("faults struck").containsKeys("500", "reset");
        assertAppliedExactlyOnce(identifiers(users), "vip", "braze_sync");
        Map<String, Long> states = ledgerStates(export);
        assertThat(states.keySet()).isSubsetOf("TAGGED", "ALREADY_TAGGED", "IN_DOUBT");
        assertThat(run.stdout()).containsPattern("\\n  tagged\\s+" + states.getOrDefault("TAGGED", 0L) + "\\n")
            .containsPattern("\\n  already tagged\\s+" + states.getOrDefault("ALREADY_TAGGED", 0L) + "\\n")
            .containsPattern("\\n  in doubt\\s+" + states.getOrDefault("IN_DOUBT", 0L) + "\\b");
    }

    @Test
    void credentialsRevokedMidRunStopTheRunAtOnceAndAFixedSecretResumesIt() {
        StorageLocation export = export(300);
        String[] command = { "sync", "--export=" + export.uri(), "--tags=vip", "--mode=api" };
        int[] postsAtRevocation = new int[1];
        CompletableFuture<Void> revoked = strikeWhen(() -> sessionm.postCount() >= 100, () -> {
            sessionm.revokeCredentials();
            postsAtRevocation[0] = sessionm.postCount();
        });
        sessionm.latency(Duration.ofMillis(5));

        Run refused = sync(command);

        assertThat(revoked).succeedsWithin(Duration.ofSeconds(10));
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.stdout()).contains("SessionM refused the API credentials (HTTP 401")
            .contains("SESSIONM_CORE_API_SECRET")
            .doesNotContain(API_SECRET)
            .doesNotContain("\tat ");
        assertThat(sessionm.postCount() - postsAtRevocation[0]).as("stopped at once: only the calls under way")
            .isLessThanOrEqualTo(4);
        List<String> taggedBefore = jdbc.queryForList(
                "SELECT identifier FROM sync_user WHERE job_instance_id = ? AND state = 'TAGGED'", String.class,
                jobInstanceOf(export));
        assertThat(taggedBefore).hasSizeGreaterThanOrEqualTo(90);

        sessionm.restoreCredentials();
        Run resumed = sync(command);

        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCode.COMPLETED);
        assertAppliedExactlyOnce(identifiers(300), "vip");
        for (String id : taggedBefore) {
            assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, id)).as("%s was tagged before the 401", id)
                .hasSize(1);
        }
        assertThat(ledgerStates(export)).isEqualTo(Map.of("TAGGED", 300L));
    }

    private static List<String> identifiers(int users) {
        return IntStream.rangeClosed(1, users).mapToObj(i -> "C-" + i).toList();
    }

    private static StorageLocation export(int users) {
        return ExportFolder.of("faults").writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(users(1, users)))));
    }

    private static int posts(String identifier) {
        return sessionm.postsFor(IdentifierType.EXTERNAL_ID, identifier).size();
    }

}
