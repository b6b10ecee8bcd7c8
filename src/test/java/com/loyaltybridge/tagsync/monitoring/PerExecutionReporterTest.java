package com.loyaltybridge.tagsync.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The progress logs' scheduling: each running execution of the log's job gets its own
 * report, every interval, from its start to its end; executions of other jobs get none,
 * and a report that fails is tried again at the next tick.
 */
class PerExecutionReporterTest {

    private static final Duration INTERVAL = Duration.ofMillis(10);

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<CountingReporter> reporters = new ArrayList<>();

    @AfterEach
    void stopReporters() {
        reporters.forEach(CountingReporter::destroy);
    }

    @Test
    void eachRunningExecutionIsReportedEveryIntervalUntilItEnds() {
        CountingReporter reporter = reporter(INTERVAL);
        JobExecution first = execution(1, "reported");
        JobExecution second = execution(2, "reported");

        reporter.beforeJob(first);
        reporter.beforeJob(second);
        awaitUntil(() -> reporter.ticks(first) >= 3 && reporter.ticks(second) >= 3);
        reporter.afterJob(first);
        int firstAtItsEnd = reporter.ticks(first);
        int secondThen = reporter.ticks(second);
        // One timer runs both: five more ticks of the second are five intervals in which
        // the first was due too.
        awaitUntil(() -> reporter.ticks(second) >= secondThen + 5);

        assertThat(reporter.ticks(first)).as("ticks of the ended execution: at most one under way as it ended")
            .isBetween(firstAtItsEnd, firstAtItsEnd + 1);
        assertThat(reporter.made).as("one report made per execution, at its start").isEqualTo(Map.of(1L, 1, 2L, 1));
        reporter.afterJob(second);
    }

    @Test
    void anotherJobsExecutionsAndAZeroIntervalGetNoReport() {
        CountingReporter reporter = reporter(INTERVAL);
        CountingReporter switchedOff = reporter(Duration.ZERO);

        reporter.beforeJob(execution(3, "another job"));
        switchedOff.beforeJob(execution(4, "reported"));
        reporter.afterJob(execution(3, "another job"));
        switchedOff.afterJob(execution(4, "reported"));

        assertThat(reporter.made).isEmpty();
        assertThat(switchedOff.made).isEmpty();
    }

    @Test
    void aReportThatFailsIsTriedAgainAtTheNextTick() {
        CountingReporter reporter = reporter(INTERVAL);
        reporter.failFirstTicks.set(2);
        JobExecution execution = execution(5, "reported");

        reporter.beforeJob(execution);

        awaitUntil(() -> reporter.ticks(execution) >= 2);
        assertThat(reporter.failFirstTicks.get()).as("failed ticks before those counted").isNegative();
        reporter.afterJob(execution);
    }

    private CountingReporter reporter(Duration interval) {
        CountingReporter reporter = new CountingReporter(interval);
        reporters.add(reporter);
        return reporter;
    }

    private static JobExecution execution(long id, String jobName) {
        return new JobExecution(id, new JobInstance(100 + id, jobName), new JobParameters());
    }

    private static void awaitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for the reports", PATIENCE).isLessThan(deadline);
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Reports the executions of the job "reported" by counting its ticks; the first
     * {@code failFirstTicks} ticks throw.
     */
    private static final class CountingReporter extends PerExecutionReporter {

        final Map<Long, Integer> made = new ConcurrentHashMap<>();

        final Map<Long, AtomicInteger> ticks = new ConcurrentHashMap<>();

        final AtomicInteger failFirstTicks = new AtomicInteger();

        CountingReporter(Duration interval) {
            super("test-progress", interval);
        }

        @Override
        protected boolean reports(JobExecution execution) {
            return "reported".equals(execution.getJobInstance().getJobName());
        }

        @Override
        protected Runnable reportOf(JobExecution execution) {
            made.merge(execution.getId(), 1, Integer::sum);
            AtomicInteger count = ticks.computeIfAbsent(execution.getId(), id -> new AtomicInteger());
            return () -> {
                if (failFirstTicks.getAndDecrement() > 0) {
                    throw new IllegalStateException("PostgreSQL is away");
                }
                count.incrementAndGet();
            };
        }

        int ticks(JobExecution execution) {
            return ticks.getOrDefault(execution.getId(), new AtomicInteger()).get();
        }

    }

}
