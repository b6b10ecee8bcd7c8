package com.loyaltybridge.tagsync.sessionm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RequestThrottleTest {

    @Test
    void spacesPermitsEvenlyAcrossThreadsEvenAfterAnIdleSpell() throws Exception {
        RequestThrottle throttle = new RequestThrottle(100);
        Thread.sleep(200);

        List<Long> grants = acquireConcurrently(throttle, 4, 10);

        assertThat(grants.get(grants.size() - 1) - grants.get(0))
                .as("40 permits at 100/s take about 390 ms").isGreaterThan(Duration.ofMillis(350).toNanos());
        for (int i = 5; i < grants.size(); i++) {
            assertThat(grants.get(i) - grants.get(i - 5)).as("5 permits take about 50 ms, no burst")
                    .isGreaterThan(Duration.ofMillis(35).toNanos());
        }
    }

    @Test
    void aPauseHoldsEveryThreadBack() throws Exception {
        RequestThrottle throttle = new RequestThrottle(0);
        long pausedAt = System.nanoTime();
        throttle.pauseFor(Duration.ofMillis(300));
        throttle.pauseFor(Duration.ofMillis(50));

        List<Long> grants = acquireConcurrently(throttle, 3, 1);

        assertThat(grants).allSatisfy(grant -> assertThat(grant - pausedAt)
                .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos()));
    }

    @Test
    void noLimitMeansNoWait() throws Exception {
        RequestThrottle throttle = new RequestThrottle(0);
        long start = System.nanoTime();

        for (int i = 0; i < 1000; i++) {
            throttle.acquire();
        }

        assertThat(System.nanoTime() - start).isLessThan(Duration.ofMillis(200).toNanos());
    }

    @Test
    void aNegativeRateIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RequestThrottle(-1));
    }

    private static List<Long> acquireConcurrently(RequestThrottle throttle, int threads, int each) throws Exception {
        List<Long> grants = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    throttle.acquire();
                    grants.add(System.nanoTime());
                }
                return null;
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        return grants.stream().sorted().toList();
    }
}
