package com.loyaltybridge.tagsync.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.api.ExecutionQueries;
import com.loyaltybridge.tagsync.api.ExecutionView;
import com.loyaltybridge.tagsync.api.WalletExecutionView;

/** What the console's pages show, computed from what the API's services return. */
class ConsoleViewsTest {

    @Test
    void everyStatusHasAWordAndASignBesideItsColour() {
        for (String status : new String[] { "COMPLETED", "STARTING", "STARTED", "STOPPING", "STOPPED", "FAILED",
                "ABANDONED", "UNKNOWN" }) {
            StatusLook look = StatusLook.of(status, false);
            assertThat(look.word()).as(status).isNotBlank().doesNotContain("_");
            assertThat(look.symbol()).as(status).isNotBlank();
        }
        assertThat(StatusLook.of("COMPLETED", true).word()).isEqualTo("completed, needs a look");
        assertThat(StatusLook.of("FAILED", false).word()).isEqualTo("failed");
    }

    @Test
    void theThroughputChartScalesItsBarsToTheBusiestIntervalAndSaysSoInWords() {
        ExecutionQueries.Throughput throughput = new ExecutionQueries.Throughput(Instant.EPOCH, 2000,
                new long[] { 10, 40, 0, 20 }, "ledger");

        ThroughputChart chart = ThroughputChart.of(throughput);

        assertThat(chart.bars()).hasSize(4);
        assertThat(chart.bars().get(1).height()).isEqualTo("148.0");
        assertThat(chart.bars().get(1).y()).isEqualTo("12.0");
        assertThat(chart.bars().get(2).height()).isEqualTo("0.0");
        assertThat(chart.bars().get(3).title()).isEqualTo("0:00:06 into the run: 20 users (10.0/s)");
        assertThat(chart.peakLabel()).isEqualTo("20.0 users/s");
        assertThat(chart.description()).isEqualTo(
                "70 users done over 0:00:08, in intervals of 2.0 s; the busiest interval reached" + " 20.0 users/s");
        assertThat(ThroughputChart.of(new ExecutionQueries.Throughput(Instant.EPOCH, 1000, new long[] { 0 }, "ledger"))
            .empty()).isTrue();
    }

    @Test
    void aPagerSaysWhichRowsItShowsAndWhetherThereAreMore() {
        assertThat(Pager.of(0, 25, 0).label()).isEqualTo("None");
        Pager second = Pager.of(1, 25, 60);
        assertThat(second.label()).isEqualTo("26 to 50 of 60");
        assertThat(second.hasPrevious()).isTrue();
        assertThat(second.hasNext()).isTrue();
        assertThat(Pager.of(2, 25, 60).hasNext()).isFalse();
    }

    @Test
    void aRunOfOfferWalletsShowsItsMembersLeaversAndTrafficInWords() {
        WalletLook look = WalletLook.of(walletRun(false, "COMPLETED"));

        assertThat(look.members()).extracting(WalletLook.Figure::label, WalletLook.Figure::value)
            .containsExactly(tuple("Members", "1,201"), tuple("Wallets read", "1,200"), tuple("Changed", "150"),
                    tuple("Written", "149"), tuple("Unchanged (nothing sent)", "1,050"),
                    tuple("Rejected by SessionM", "1"), tuple("Refused by Braze", "1"), tuple("Not yet done", "0"),
                    tuple("Skipped lines", "2"), tuple("Braze requests", "2"), tuple("Written again", "0"));
        assertThat(look.rejectedByCode()).containsExactly(new WalletLook.Breakdown("user_not_found", "1"));
        assertThat(look.refusedByMessage()).containsExactly(new WalletLook.Breakdown("invalid email", "1"));
        assertThat(look.leavers()).extracting(WalletLook.Figure::key, WalletLook.Figure::value)
            .containsExactly(tuple("left", "7"), tuple("cleared", "6"), tuple("leavers-refused", "1"),
                    tuple("kept", "0"), tuple("not-yet-cleared", "0"), tuple("clearing-requests", "1"));
        assertThat(look.traffic()).containsExactly(
                new WalletLook.Traffic("connect", "SessionM Connect (wallet reads)", "1,201", "40.0/s",
                        "50.0/s (80% of it reached)", "20 ms", "95 ms"),
                new WalletLook.Traffic("braze", "Braze (/users/track)", "3", "0.1/s", "no limit configured", "—", "—"));
        assertThat(look.estimate()).as("a real run has no estimate").isNull();
    }

    @Test
    void aDryRunOfOfferWalletsShowsWhatItWouldWriteAndNothingItWrote() {
        WalletLook look = WalletLook.of(walletRun(true, "COMPLETED"));

        assertThat(look.members()).extracting(WalletLook.Figure::key)
            .containsExactly("members", "wallets-read", "changed", "unchanged", "rejected", "not-yet-done",
                    "skipped-lines");
        assertThat(look.leavers()).as("a dry run's leavers are in its estimate").isEmpty();
        assertThat(look.estimate()).isEqualTo(
                new WalletLook.Estimate("150", "2", List.of("U-1", "U-2"), true, "7", "1", List.of("U-900"), true));
    }

    @Test
    void aRunningRunOfOfferWalletsCountsItsMembersDoneWithRateAndTimeLeft() {
        WalletExecutionView running = walletRun(false, "STARTED");

        ProgressView progress = ProgressView.of(running, 3);

        assertThat(progress.running()).isTrue();
        assertThat(progress.percentText()).isEqualTo("50.0%");
        assertThat(progress.summary()).isEqualTo("601 of 1,201 members done, 40.0 members/s, about 0:00:15 left");
        assertThat(progress.status().word()).isEqualTo("running");
    }

    @Test
    void anOffersRowOfTheListCountsWrittenUnchangedAndRefusedWhereATagRowCountsTaggedAndInDoubt() {
        LocalDateTime start = LocalDateTime.of(2026, 11, 28, 10, 0);
        ExecutionQueries.RowCounts counts = new ExecutionQueries.RowCounts(101, 0, 0, 0, 1, 0, 0, 95, 0, 4, 1);
        ExecutionRowView offers = ExecutionRowView.of(new ExecutionQueries.ExecutionRow(7, 3, "seg", "s3://b/x/",
                "COMPLETED", "COMPLETED", start, start, start.plusMinutes(1), false, counts, "offers"), null);
        ExecutionRowView dryRun = ExecutionRowView.of(new ExecutionQueries.ExecutionRow(6, 2, "seg", "s3://b/x/",
                "COMPLETED", "COMPLETED", start, start, start.plusMinutes(1), true,
                new ExecutionQueries.RowCounts(101, 0, 0, 0, 1, 0, 0, 0, 96, 4, 0), "offers"), null);
        ExecutionRowView tags = ExecutionRowView.of(new ExecutionQueries.ExecutionRow(5, 1, "seg", "s3://b/x/",
                "COMPLETED", "COMPLETED", start, start, start.plusMinutes(1), false,
                new ExecutionQueries.RowCounts(12, 10, 1, 1, 0, 0, 0, 0, 0, 0, 0), "tags"), null);

        assertThat(offers.kind()).isEqualTo("offer wallets");
        assertThat(List.of(offers.users(), offers.done(), offers.unchanged(), offers.rejected(), offers.trouble()))
            .containsExactly("101", "95", "4", "1", "1");
        assertThat(List.of(offers.usersLabel(), offers.doneLabel(), offers.troubleLabel())).containsExactly("Members",
                "Written", "Refused by Braze");
        assertThat(offers.status().word()).isEqualTo("completed, needs a look");
        assertThat(List.of(dryRun.done(), dryRun.unchanged(), dryRun.trouble()))
            .as("a dry run writes nothing: what its real run would write")
            .containsExactly("would write 96", "4", "—");
        assertThat(tags.kind()).isEqualTo("tags");
        assertThat(List.of(tags.done(), tags.unchanged(), tags.trouble())).containsExactly("11", "—", "1");
        assertThat(List.of(tags.doneLabel(), tags.troubleLabel())).containsExactly("Tagged", "In doubt");
    }

    @Test
    void failureAdviceSpeaksOfTheJobThatFailed() {
        String brazeKey = "Braze refused the API key (HTTP 401): check BRAZE_API_KEY (it needs users.track) and"
                + " BRAZE_REST_ENDPOINT, then run the same command again to resume";

        assertThat(FailureAdvice.forOfferWallets(brazeKey))
            .hasValueSatisfying(advice -> assertThat(advice).contains("BRAZE_API_KEY")
                .contains("restart")
                .contains("not written again"));
        assertThat(FailureAdvice.forOfferWallets("Braze did not take a /users/track request after all retries"))
            .hasValueSatisfying(advice -> assertThat(advice).contains("sets the same attributes"));
        assertThat(FailureAdvice.forOfferWallets("s3://b/x/part.zip was listed but is gone: it was deleted since"))
            .hasValueSatisfying(advice -> assertThat(advice).contains("request a new export"));
        assertThat(FailureAdvice.forFailure("SessionM refused the API credentials (401)"))
            .hasValueSatisfying(advice -> assertThat(advice).contains("SESSIONM_CORE_API_KEY"));
        assertThat(FailureAdvice.forOfferWallets("")).isEmpty();
    }

    /**
     * A run of offer wallets of 1,201 members: half done while it runs, every one once it
     * completed.
     */
    private static WalletExecutionView walletRun(boolean dryRun, String status) {
        boolean running = "STARTED".equals(status);
        WalletExecutionView.Counts counts = dryRun
                ? new WalletExecutionView.Counts(1201, 1200, 150, 0, 1050, 1, 0, 0, 2, 0, 0)
                : new WalletExecutionView.Counts(1201, 1200, 150, 149, 1050, 1, 1, running ? 600 : 0, 2, 2, 0);
        LocalDateTime start = LocalDateTime.of(2026, 11, 28, 10, 0);
        return new WalletExecutionView(9, 4, "seg", "s3://b/segment-export/seg/2026-11-28/x-1/",
                "custom_attribute:sm_user_id", null, "offers:seg", false, dryRun, status, status, "", start,
                running ? null : start.plusSeconds(30), 30,
                "only the wallets that changed since they were last written", counts,
                new WalletExecutionView.Leavers(7, 6, 1, 0, 0, 1), Map.of("user_not_found", 1L),
                dryRun ? Map.of() : Map.of("invalid email", 1L), Map.of("invalid_json", 2L), running ? 50 : 100, 40.0,
                List.<ExecutionView.StepView>of(), new WalletExecutionView.Traffic(1201, 40.0, 50, 20L, 95L),
                dryRun ? null : new WalletExecutionView.Traffic(3, 0.1, 0, null, null),
                dryRun ? new WalletExecutionView.DryRunEstimate(150, 2, 7, 1, List.of("U-1", "U-2"), List.of("U-900"))
                        : null);
    }

}
