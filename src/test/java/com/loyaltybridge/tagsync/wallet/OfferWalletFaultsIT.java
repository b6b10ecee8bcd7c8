package com.loyaltybridge.tagsync.wallet;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.brazeapi.simulator.BrazeFault;
import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets.Wallet;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.WalletTestSupport;

/**
 * What the offers job does when SessionM Connect or Braze misbehave: refused credentials
 * stop the run with one line, and the same command then finishes it; 5xx are retried; a
 * refusal of one member is recorded and the run goes on; a Braze that stays down leaves
 * its members to be written again, and counted so.
 */
class OfferWalletFaultsIT extends WalletTestSupport {

    @Test
    void brazeRefusingTheKeyStopsTheRunWithOneLineAndTheSameCommandThenWritesEveryWalletOnce() {
        StorageLocation export = export("braze-key", 100);
        braze.revokeKey();

        Run refused = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.stdout())
            .contains("failure                Braze refused the API key (HTTP 401 Unauthorized): check"
                    + " BRAZE_API_KEY")
            .contains("not yet done           100");
        assertThat(braze.attributeObjects()).isEmpty();
        braze.reset();

        Run resumed = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(objectsPerMember()).hasSize(100).allSatisfy((member, objects) -> assertThat(objects).isEqualTo(1));
        assertThat(summaryCount(resumed.stdout(), "written again")).isZero();
        assertNoSecretIn(refused.stdout() + refused.stderr() + resumed.stdout() + resumed.stderr());
    }

    @Test
    void connectRefusingTheCredentialsStopsTheRunWithOneLineAndTheSameCommandThenFinishes() {
        StorageLocation export = export("connect-credentials", 20);
        sessionm.offers().revokeCredentials();

        Run refused = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.stdout())
            .contains("failure                SessionM Connect refused the credentials (HTTP 401,"
                    + " unauthorized): check SESSIONM_CONNECT_AUTHORIZATION");
        assertThat(braze.requests()).isEmpty();
        sessionm.reset();
        putWallets(20);

        Run resumed = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(objectsPerMember()).hasSize(20);
        assertNoSecretIn(refused.stdout() + refused.stderr() + resumed.stdout() + resumed.stderr());
    }

    @Test
    void statusErrorInAnHttp200RejectsThatMemberWithSessionmsCodeAndTheRunGoesOn() {
        StorageLocation export = export("status-error", 10);
        sessionm.offers().faultFor("U-4", Fault.errorBody("user_suspended"));

        Run run = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(run.stdout()).contains("rejected by SessionM   1  (user_suspended: 1)");
        assertThat(objectsPerMember()).hasSize(9).doesNotContainKey("E-4");
    }

    @Test
    void brazeServerErrorsAreRetriedAndAMemberBrazeRefusesIsRecordedWithItsMessage() {
        StorageLocation export = export("braze-partial", 10);
        braze.enqueue(BrazeFault.status(500), BrazeFault.status(503), BrazeFault.reset());
        braze.rejectUser("external_id", "E-7", "'sessionm_offers' is not a valid attribute value");

        Run run = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(objectsPerMember()).hasSize(9).doesNotContainKey("E-7");
        assertThat(run.stdout())
            .contains("refused by Braze       1  ('sessionm_offers' is not a valid attribute value: 1)");
        assertThat(jdbc.queryForObject(
                "SELECT braze_message FROM sync_user WHERE job_instance_id = ? AND identifier = 'U-7'", String.class,
                offersRunOf(export)))
            .isEqualTo("'sessionm_offers' is not a valid attribute value");
    }

    @Test
    void aBrazeThatStaysDownStopsTheRunAndTheNextRunWritesAgainOnlyWhatMayHaveLanded() {
        StorageLocation export = export("braze-down", 100);
        // The first request of 75 lands and its answer is lost, as are its retries: it
        // may have been written.
        braze.enqueue(BrazeFault.processThenDelay(Duration.ofSeconds(5)), BrazeFault.status(500),
                BrazeFault.status(500));

        Run down = offers(Map.of("braze.rest.max-retries", "2", "braze.rest.max-in-flight", "1"),
                "--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(down.exitCode()).as(down.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(down.stdout())
            .contains("failure                Braze did not take a /users/track request after all retries");
        long inDoubt = jdbc.queryForObject(
                "SELECT count(*) FROM sync_user WHERE job_instance_id = ? AND state = 'SENDING'", Long.class,
                offersRunOf(export));
        assertThat(inDoubt).as("members whose request may have landed").isEqualTo(75);

        Run resumed = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(objectsPerMember()).hasSize(100)
            .allSatisfy((member, objects) -> assertThat(objects).isBetween(1, 2));
        assertThat(summaryCount(resumed.stdout(), "written again")).isEqualTo(75);
        assertThat(summaryCount(resumed.stdout(), "written")).isEqualTo(100);
    }

    /** An export of members E-1..E-{@code members}, each with a wallet of one offer. */
    private static StorageLocation export(String segment, int members) {
        putWallets(members);
        return ExportFolder.of(segment).writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(members(1, members)))));
    }

    private static void putWallets(int members) {
        for (int i = 1; i <= members; i++) {
            sessionm.offers()
                .put("U-" + i, Wallet.of(i, i, OfferWallets.offer("o-" + i, "Offer " + i, "2027-01-01T00:00:00Z")));
        }
    }

    private static void assertNoSecretIn(String output) {
        assertThat(output).doesNotContain(BRAZE_KEY)
            .doesNotContain(OfferWallets.DEFAULT_AUTHORIZATION)
            .doesNotContain(
                    new String(Base64.getDecoder().decode(OfferWallets.DEFAULT_AUTHORIZATION), StandardCharsets.UTF_8));
    }

}
