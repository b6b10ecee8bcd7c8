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

    /**
     * A busy machine can only delay a grant, never advance one, so "the i-th permit comes
     * no earlier than i/rate after the start" holds however loaded the machine is, and
     * fails for a limiter that lets a burst through.
     */
    @Test
    void spacesPermitsEvenlyAcrossThreadsEvenAfterAnIdleSpell() throws Exception {
        double rate = 100;
        RequestThrottle throttle = new RequestThrottle(rate);
        Thread.sleep(200);
        long start = System.nanoTime();

        List<Long> grants = acquireConcurrently(throttle, 4, 10);

        for (int i = 0; i < grants.size(); i++) {
            long earliest = start + (long) ((i - 1) / rate * 1e9);
            assertThat(grants.get(i))
                .as("permit %d of 40 at %s/s comes no earlier than %d ms", i + 1, rate, (i - 1) * 10)
                .isGreaterThanOrEqualTo(earliest);
        }
        assertThat(grants.get(grants.size() - 1) - start).as("and the limiter does not crawl")
            .isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aPauseHoldsEveryThreadBack() throws Exception {
        RequestThrottle throttle = new RequestThrottle(0);
        long pausedAt = System.nanoTime();
        throttle.pauseFor(Duration.ofMillis(300));
        throttle.pauseFor(Duration.ofMillis(50));

        List<Long> grants = acquireConcurrently(throttle, 3, 1);

        assertThat(grants)
            .allSatisfy(grant -> assertThat(grant - pausedAt).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos()));
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
