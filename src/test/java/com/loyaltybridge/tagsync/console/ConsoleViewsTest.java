package com.loyaltybridge.tagsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.api.ExecutionQueries;

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

}
