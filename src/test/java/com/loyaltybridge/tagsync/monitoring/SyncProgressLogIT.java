package com.loyaltybridge.tagsync.monitoring;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * While a sync runs, it logs its progress every {@code monitoring.progress-interval}:
 * done/total, percent, rate and ETA, and while tagging, SessionM's rate, latency and
 * in-flight limit.
 */
@ExtendWith(OutputCaptureExtension.class)
class SyncProgressLogIT extends SyncTestSupport {

    private static final Pattern TAGGING = Pattern.compile(
            "step tagUsers: (\\d+)/40 users tagged \\((\\d+\\.\\d)%\\), \\d+ users/s, ETA (\\d+:\\d\\d:\\d\\d|unknown)");

    private static final Pattern SESSIONM = Pattern
        .compile("SessionM: ([\\d.]+) requests/s \\(no rate limit configured\\), "
                + "latency p50 (\\d+) ms, p99 \\d+ ms, in-flight limit 1 of at most 1, held back by ");

    @Test
    void aRunningSyncLogsDoneTotalRateAndEtaEveryInterval(CapturedOutput output) {
        StorageLocation export = ExportFolder.of("progress")
            .writeTo(s3, "braze-exports", Map.of("a.zip",
                    zip(lines(IntStream.rangeClosed(1, 40).mapToObj(i -> user("P-" + i)).toArray(String[]::new)))));
        sessionm.latency(Duration.ofMillis(60));

        Run run = run(
                Map.of("monitoring.progress-interval", "300ms", "sessionm.max-in-flight", "1",
                        "sync.tagging-chunk-size", "10", "sessionm.request-timeout", "10s"),
                "sync", "--export=" + export.uri(), "--tags=vip", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        Matcher progress = TAGGING.matcher(output.getOut());
        int lines = 0;
        long lastDone = -1;
        while (progress.find()) {
            long done = Long.parseLong(progress.group(1));
            assertThat(done).as("progress never goes back").isGreaterThanOrEqualTo(lastDone);
            assertThat(Double.parseDouble(progress.group(2))).isCloseTo(done * 100.0 / 40, offset(0.05));
            lastDone = done;
            lines++;
        }
        assertThat(lines).as("a line every 300 ms of a run of about 2.4 s:\n" + output.getOut())
            .isGreaterThanOrEqualTo(3);
        assertThat(output.getOut()).containsPattern("ETA \\d+:\\d\\d:\\d\\d");
        Matcher sessionmPace = SESSIONM.matcher(output.getOut());
        assertThat(sessionmPace.find()).as("SessionM's pace in a tagging line:\n" + output.getOut()).isTrue();
        assertThat(Long.parseLong(sessionmPace.group(2))).as("latency p50 of a SessionM answering in 60 ms")
            .isGreaterThanOrEqualTo(60);
        // A rate over a window counts the calls that end in it: one more at its edge is a
        // tenth more over a second.
        assertThat(Double.parseDouble(sessionmPace.group(1))).as("one call at a time of 60 ms")
            .isLessThanOrEqualTo(1000.0 / 60 * 1.1);
    }

}
