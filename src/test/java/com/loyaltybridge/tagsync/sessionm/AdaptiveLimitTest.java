package com.loyaltybridge.tagsync.sessionm;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.LongFunction;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.sessionm.AdaptiveLimit.Strain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-flight limit's decisions on a fake clock: {@link PacedCalls} plays a sync that
 * always has more users to send, through a rate limit that spaces requests evenly,
 * against a SessionM whose latency and answers each test sets. Nothing sleeps: a minute
 * of calls takes milliseconds.
 */
class AdaptiveLimitTest {

    private static final long MS = 1_000_000;

    @Test
    void growsFourFoldPerLatencyToWhatReachesTheRateAtTheLatencySessionmShows() {
        PacedCalls calls = new PacedCalls(512, 1_000, at -> 300 * MS);

        calls.runFor(Duration.ofMillis(350));
        int afterOneLatency = calls.limit.limit();
        calls.runFor(Duration.ofMillis(650));
        int afterOneSecond = calls.limit.limit();
        calls.runFor(Duration.ofSeconds(5));

        // 1,000 requests/s x (300 ms + a quarter + 25 ms) = 400 under way, and 2 spare.
        assertThat(afterOneLatency).as("limit after one latency").isEqualTo(32);
        assertThat(afterOneSecond).as("limit after one second").isBetween(400, 404);
        assertThat(calls.limit.limit()).as("limit after six seconds").isBetween(400, 404);
        assertThat(calls.rateOverLast(Duration.ofSeconds(4))).isGreaterThan(995);
        assertThat(calls.limit.lastHeldBack()).isEqualTo(HeldBackBy.RATE_LIMIT);
    }

    @Test
    void holdsNoMoreRoomThanTheRateNeedsWhenSessionmIsFast() {
        PacedCalls calls = new PacedCalls(512, 100, at -> 5 * MS);

        calls.runFor(Duration.ofSeconds(5));

        // 100 requests/s x 5 ms is half a call under way; with a quarter more, 25 ms of
        // spare and 2 places: 6.
        assertThat(calls.limit.limit()).isBetween(5, 6);
        assertThat(calls.rateOverLast(Duration.ofSeconds(3))).isGreaterThan(99);
        assertThat(calls.limit.lastHeldBack()).isEqualTo(HeldBackBy.RATE_LIMIT);
    }

    @Test
    void stopsAtTheBoundWhenTheRateNeedsMoreAndSaysTheCapHeldCallsBack() {
        PacedCalls calls = new PacedCalls(512, 1_000, at -> 1_000 * MS);

        calls.runFor(Duration.ofSeconds(10));

        assertThat(calls.limit.limit()).isEqualTo(512);
        assertThat(calls.rateOverLast(Duration.ofSeconds(5))).isBetween(500.0, 520.0);
        assertThat(calls.limit.lastHeldBack()).isEqualTo(HeldBackBy.IN_FLIGHT_CAP);
    }

    @Test
    void withoutARateLimitDoublesUntilTheBound() {
        PacedCalls calls = new PacedCalls(64, 0, at -> 20 * MS);

        calls.runFor(Duration.ofMillis(150));
        int early = calls.limit.limit();
        calls.runFor(Duration.ofSeconds(3));

        assertThat(early).isGreaterThan(8).isLessThan(64);
        assertThat(calls.limit.limit()).isEqualTo(64);
        assertThat(calls.limit.lastHeldBack()).isEqualTo(HeldBackBy.IN_FLIGHT_CAP);
    }

    @Test
    void a429HalvesTheLimitOnceForTheCallsAlreadyUnderWayThenItGrowsBackCautiously() {
        PacedCalls calls = new PacedCalls(512, 1_000, at -> 300 * MS);
        calls.runFor(Duration.ofSeconds(3));
        int before = calls.limit.limit();

        // Twenty calls in a row answered 429 within a few milliseconds: one signal, not
        // twenty.
        calls.strainNext(20, Strain.THROTTLED);
        calls.runFor(Duration.ofMillis(100));
        int cut = calls.limit.limit();
        calls.runFor(Duration.ofMillis(500));
        int halfASecondLater = calls.limit.limit();
        calls.runFor(Duration.ofSeconds(10));

        assertThat(cut).isEqualTo(before / 2);
        assertThat(halfASecondLater).as("grows back by a quarter per window, not straight to the target")
            .isGreaterThan(cut)
            .isLessThan(before);
        assertThat(calls.limit.limit()).as("back at the target ten seconds later").isBetween(400, 404);
        assertThat(calls.limit.heldBackNanos().get(HeldBackBy.SESSIONM_STRAIN)).isPositive();
    }

    @Test
    void serverErrorsAndCallsLeftUnansweredAreStrainToo() {
        for (Strain strain : new Strain[] { Strain.SERVER_ERROR, Strain.NO_ANSWER }) {
            PacedCalls calls = new PacedCalls(512, 1_000, at -> 300 * MS);
            calls.runFor(Duration.ofSeconds(3));
            int before = calls.limit.limit();

            calls.strainNext(1, strain);
            calls.runFor(Duration.ofMillis(50));

            assertThat(calls.limit.limit()).as(strain.name()).isEqualTo(before / 2);
        }
    }

    @Test
    void latencyRisingFiveFoldBringsTheLimitDownAndItsReturnBringsTheRateBack() {
        long[] latency = { 300 * MS };
        PacedCalls calls = new PacedCalls(512, 1_000, at -> latency[0]);
        calls.runFor(Duration.ofSeconds(5));
        int before = calls.limit.limit();

        latency[0] = 1_500 * MS;
        calls.runFor(Duration.ofSeconds(15));
        int duringStrain = calls.limit.limit();
        latency[0] = 300 * MS;
        // The calls under way when SessionM recovers still take 1.5 s; then the limit
        // grows four-fold per window.
        calls.runFor(Duration.ofSeconds(4));

        assertThat(duringStrain).as("limit while SessionM is five times slower").isLessThan(before / 5);
        assertThat(calls.limit.heldBackNanos().get(HeldBackBy.SESSIONM_STRAIN)).as("strain")
            .isGreaterThan(Duration.ofSeconds(10).toNanos());
        assertThat(calls.limit.limit()).as("limit once latency is back").isBetween(400, 404);
        assertThat(calls.rateOverLast(Duration.ofSeconds(1))).isGreaterThan(950);
    }

    @Test
    void latencyThatStaysHighBecomesTheNewNormalAndTheRateIsReachedAgain() {
        long[] latency = { 50 * MS };
        PacedCalls calls = new PacedCalls(512, 100, at -> latency[0]);
        calls.runFor(Duration.ofSeconds(5));

        latency[0] = 500 * MS;
        calls.runFor(Duration.ofSeconds(20));
        int afterTwentySeconds = calls.limit.limit();
        calls.runFor(Duration.ofSeconds(60));

        assertThat(afterTwentySeconds).isLessThan(10);
        // 100 requests/s x (500 ms + a quarter + 25 ms) = 65 under way, and 2 spare.
        assertThat(calls.limit.limit()).isBetween(65, 69);
        assertThat(calls.rateOverLast(Duration.ofSeconds(5))).isGreaterThan(99);
    }

    @Test
    void latencyJitterWithinTwiceItsMinimumIsNotStrain() {
        Random random = new Random(7);
        PacedCalls calls = new PacedCalls(512, 1_000, at -> (200 + random.nextInt(181)) * MS);

        calls.runFor(Duration.ofSeconds(30));

        assertThat(calls.limit.heldBackNanos().get(HeldBackBy.SESSIONM_STRAIN)).isZero();
        assertThat(calls.rateOverLast(Duration.ofSeconds(25))).isGreaterThan(995);
    }

    @Test
    void aRetryAfterPauseIsStrainAndStopsTheLimitFromGrowing() {
        PacedCalls calls = new PacedCalls(512, 1_000, at -> 300 * MS);
        calls.runFor(Duration.ofSeconds(3));
        int before = calls.limit.limit();

        calls.pauseNext(Duration.ofSeconds(1));
        calls.runFor(Duration.ofSeconds(2));

        assertThat(calls.limit.limit()).isLessThanOrEqualTo(before);
        assertThat(calls.limit.heldBackNanos().get(HeldBackBy.SESSIONM_STRAIN)).isPositive();
    }

    @Test
    void timeWithNothingToSendIsNoBoundsDoing() {
        PacedCalls calls = new PacedCalls(512, 100, at -> 20 * MS);
        calls.runFor(Duration.ofSeconds(2));
        long judged = calls.limit.heldBackNanos().values().stream().mapToLong(Long::longValue).sum();

        calls.idle(Duration.ofMinutes(5));
        calls.runFor(Duration.ofSeconds(2));

        long judgedAfter = calls.limit.heldBackNanos().values().stream().mapToLong(Long::longValue).sum();
        assertThat(judgedAfter - judged).isLessThan(Duration.ofSeconds(3).toNanos());
    }

    /**
     * A sync with always more calls to make than room, through a rate limit spacing
     * requests {@code 1/rate} apart, against a SessionM answering after {@code latency}
     * (a function of the time the request goes out).
     */
    private static final class PacedCalls {

        final AdaptiveLimit limit;

        private final long intervalNanos;

        private final LongFunction<Long> latency;

        private final PriorityQueue<long[]> events = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));

        private final PriorityQueue<Long> answers = new PriorityQueue<>();

        private long now;

        private long nextSlot;

        private int strainsToCome;

        private Strain strain;

        private long pauseToCome;

        private static final int WENT = 0;

        private static final int ANSWERED = 1;

        PacedCalls(int bound, double rate, LongFunction<Long> latency) {
            this.limit = new AdaptiveLimit(bound, rate, 0);
            this.intervalNanos = rate > 0 ? Math.round(1e9 / rate) : 0;
            this.latency = latency;
        }

        void strainNext(int calls, Strain strain) {
            this.strainsToCome = calls;
            this.strain = strain;
        }

        void pauseNext(Duration pause) {
            this.pauseToCome = pause.toNanos();
        }

        void idle(Duration idle) {
            runFor(Duration.ZERO);
            while (!events.isEmpty()) {
                step();
            }
            now += idle.toNanos();
            nextSlot = Math.max(nextSlot, now);
        }

        void runFor(Duration duration) {
            long end = now + duration.toNanos();
            startCalls();
            while (!events.isEmpty() && events.peek()[0] <= end) {
                step();
                startCalls();
            }
            now = end;
        }

        private void step() {
            long[] event = events.poll();
            now = event[0];
            if (event[1] == WENT) {
                limit.waited(now, event[2], event[3]);
                long took = latency.apply(now);
                events.add(new long[] { now + took, ANSWERED, took, 0 });
            }
            else {
                if (strainsToCome > 0) {
                    strainsToCome--;
                    limit.strained(now, strain);
                    event[2] = 0;
                }
                else {
                    limit.answered(now, event[2]);
                    answers.add(now);
                }
                limit.release(now, event[2]);
            }
        }

        private void startCalls() {
            while (limit.tryAcquire(now)) {
                long paused = pauseToCome;
                pauseToCome = 0;
                long goes = Math.max(now + paused, nextSlot);
                nextSlot = goes + intervalNanos;
                events.add(new long[] { goes, WENT, goes - now - paused, paused });
            }
        }

        /** Calls answered per second over the last {@code span} of simulated time. */
        double rateOverLast(Duration span) {
            long from = now - span.toNanos();
            return answers.stream().filter(at -> at > from).count() / (span.toNanos() / 1e9);
        }

    }

}
