package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * The in-flight limit end to end, with the default bound: SessionM enforces the
 * configured rate (429 beyond it), and its latency rises ten-fold in the middle of the
 * run, then comes back. The limit comes down while SessionM is slow and goes back up when
 * it is not; every user is tagged exactly once, without a storm of 429s.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdaptiveInFlightLimitIT extends SyncTestSupport {

    private static final int RATE = 200;

    private static final int USERS = 2_400;

    private static final Pattern PROGRESS = Pattern.compile(
            "SessionM: ([\\d.,]+) of 200 requests/s configured \\(\\d+%\\), latency [^,]+(?:, p99 \\d+ ms)?, in-flight limit (\\d+) of at most 512");

    @Test
    void theLimitComesDownWhileSessionmIsSlowAndBackUpAfterEveryUserTaggedOnceWithout429Storm(CapturedOutput output) {
        List<String> identifiers = IntStream.rangeClosed(1, USERS).mapToObj(i -> "L-" + i).toList();
        StorageLocation export = ExportFolder.of("latency-steps")
            .writeTo(s3, "braze-exports",
                    Map.of("a.zip", zip(lines(identifiers.stream().map(id -> user(id)).toArray(String[]::new)))));
        sessionm.rateLimit(RATE);
        sessionm.latency(Duration.ofMillis(30));
        sessionm.latencyFrom(Duration.ofSeconds(4), Duration.ofMillis(300));
        sessionm.latencyFrom(Duration.ofSeconds(10), Duration.ofMillis(30));
        sessionm.recordRequests(false);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sessionm.requests-per-second", Integer.toString(RATE));
        settings.put("sessionm.max-in-flight", "512");
        settings.put("sessionm.request-timeout", "5s");
        settings.put("monitoring.progress-interval", "1s");

        Run run = run(settings, "sync", "--export=" + export.uri(), "--tags=vip", "--mode=api");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        assertAppliedExactlyOnce(identifiers, "vip");
        long posts = sessionm.stats().posts();
        long throttled = sessionm.stats().byStatus().getOrDefault("429", 0L);
        assertThat(throttled).as("429s SessionM sent, enforcing %d requests/s, out of %d POSTs", RATE, posts)
            .isLessThanOrEqualTo(posts / 100);

        List<Integer> limits = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        Matcher progress = PROGRESS.matcher(output.getOut());
        while (progress.find()) {
            rates.add(Double.parseDouble(progress.group(1).replace(",", "")));
            limits.add(Integer.parseInt(progress.group(2)));
        }
        assertThat(cameDownAndWentBackUp(limits)).as("in-flight limits, a line a second: " + limits).isTrue();
        int lowest = limits.indexOf(limits.stream().min(Integer::compare).orElseThrow());
        assertThat(rates.subList(lowest, rates.size()).stream().mapToDouble(Double::doubleValue).max().orElse(0))
            .as("requests/s once SessionM is fast again: " + rates)
            .isGreaterThan(RATE * 0.6);
        assertThat(run.stdout()).as("the summary says SessionM's strain held the run back part of the time")
            .containsPattern("held back by\\s+[^\\n]*SessionM's strain[^\\n]*\\d+%")
            .containsPattern("SessionM rate\\s+[\\d.,]+ of 200 requests/s configured");
    }

    /** Some limit, then one at most half of it, then one at least twice that. */
    private static boolean cameDownAndWentBackUp(List<Integer> limits) {
        for (int high = 0; high < limits.size(); high++) {
            for (int low = high + 1; low < limits.size(); low++) {
                if (limits.get(low) * 2 > limits.get(high)) {
                    continue;
                }
                for (int again = low + 1; again < limits.size(); again++) {
                    if (limits.get(again) >= limits.get(low) * 2) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

}
