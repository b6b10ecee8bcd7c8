package com.loyaltybridge.tagsync.wallet;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.loyaltybridge.tagsync.brazeapi.simulator.TrackRequest;
import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets.Wallet;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.WalletTestSupport;

/**
 * Wallets that try to break the job: offer titles with quotes, line ends, emoji and
 * markup reach Braze exactly as SessionM wrote them; a wallet of thousands of offers is
 * read up to its cap and written capped; an answer that is not a wallet rejects that
 * member and the run goes on.
 */
class OfferWalletHostileIT extends WalletTestSupport {

    private static final String HOSTILE_TITLE = "\"Quoted\" 50% off\nsecond line\r\t<script>alert('x')</script> 🎁 \\ é";

    @Test
    void hostileTitlesHugeWalletsAndAnswersThatAreNotWalletsAreHandledMemberByMember() {
        ObjectNode hostile = OfferWallets.offer("hostile", HOSTILE_TITLE, "2027-01-01T00:00:00Z");
        hostile.put("description", "x".repeat(1000));
        sessionm.offers().put("U-1", Wallet.of(1, 1, hostile));
        sessionm.offers()
            .put("U-2",
                    new Wallet(IntStream.rangeClosed(1, 5_000)
                        .mapToObj(i -> (JsonNode) OfferWallets.offer("big-" + i, "Big " + i,
                                LocalDate.of(2027, 1, 1).plusDays(i % 365) + "T00:00:00Z"))
                        .toList(), null, null));
        sessionm.offers().put("U-3", Wallet.of(3, 3));
        sessionm.offers().faultFor("U-4", OfferWallets.notJson());
        StorageLocation export = ExportFolder.of("hostile-wallets")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(members(1, 4)))));

        Run run = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        JsonNode written = braze.profile("external_id", "E-1").get("sessionm_offers").get(0);
        assertThat(written.get("name").asString()).as("the title exactly as SessionM wrote it")
            .isEqualTo(HOSTILE_TITLE);
        assertThat(written.get("description").asString()).as("cut at Braze's 255 characters").hasSize(255);
        assertThat(braze.requests()).extracting(TrackRequest::body)
            .allSatisfy(body -> assertThat(body).as("markup travels as JSON text, escaped").doesNotContain("\n"));

        assertThat(sessionm.offers().requestsFor("U-2")).as("reading stops at sessionm.connect.max-offers-read")
            .hasSize(10);
        assertThat(braze.profile("external_id", "E-2").get("sessionm_offers"))
            .as("capped at offers.attributes.max-offers")
            .hasSize(25);
        assertThat(braze.requests()).extracting(TrackRequest::body)
            .allSatisfy(body -> assertThat(body.length()).as("a request stays far below Braze's sizes")
                .isLessThan(200_000));

        assertThat(braze.profile("external_id", "E-3")).containsKey("sessionm_offers");
        assertThat(braze.profile("external_id", "E-4")).as("no wallet was read").isEmpty();
        assertThat(run.stdout()).contains("rejected by SessionM   1  (unreadable_answer: 1)");
        assertThat(jdbc.queryForList(
                "SELECT sessionm_message FROM sync_user WHERE job_instance_id = ? AND identifier = 'U-4'", String.class,
                offersRunOf(export)))
            .containsExactly("HTTP 200: the answer is not JSON");
    }

    @Test
    void aConnectEndpointThatAnswersNoWalletAtAllStopsTheRunRatherThanRejectingEveryMember() {
        for (int i = 1; i <= 12; i++) {
            sessionm.offers().faultFor("U-" + i, OfferWallets.notJson());
        }
        StorageLocation export = ExportFolder.of("wrong-endpoint")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(members(1, 12)))));

        Run run = offers("--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(run.stdout())
            .contains(
                    "SessionM Connect answered all 12 wallet reads of a chunk with something that is" + " not a wallet")
            .contains("not yet done           12");
        assertThat(braze.requests()).isEmpty();
    }

}
