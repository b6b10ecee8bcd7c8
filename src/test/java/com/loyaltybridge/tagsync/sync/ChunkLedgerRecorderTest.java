package com.loyaltybridge.tagsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import com.loyaltybridge.tagsync.brazeexport.ExportRecord.ExportUser;
import com.loyaltybridge.tagsync.ledger.LedgerEntry;
import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.sessionm.TagOutcome;
import com.loyaltybridge.tagsync.support.MigratedDatabase;
import com.loyaltybridge.tagsync.support.TestDatabase;

/**
 * The recorder against real PostgreSQL, with as many threads as a sender would use: no
 * call starts before its user's intent is committed, and only a bounded window of users
 * is ever committed ahead of the calls.
 */
class ChunkLedgerRecorderTest {

    private static final int USERS = 400;

    private static final int BATCH = 32;

    private static final int THREADS = 8;

    private final JdbcTemplate jdbc = new JdbcTemplate(MigratedDatabase.dataSource());

    private final SyncUserRepository ledger = new SyncUserRepository(jdbc,
            new DataSourceTransactionManager(MigratedDatabase.dataSource()));

    /** Reads what is committed, on one connection of its own. */
    private final SingleConnectionDataSource probeConnection = new SingleConnectionDataSource(TestDatabase.get().url(),
            TestDatabase.get().username(), TestDatabase.get().password(), true);

    private final JdbcTemplate probe = new JdbcTemplate(probeConnection);

    @AfterEach
    void closeProbe() {
        probeConnection.destroy();
    }

    @Test
    void everyCallStartsAfterItsIntentIsCommittedAndFewIntentsRunAhead() throws Exception {
        long jobInstanceId = MigratedDatabase.newJobInstance(jdbc);
        ledger.stage(jobInstanceId,
                IntStream.rangeClosed(1, USERS)
                    .mapToObj(line -> new ExportUser(0, "a.zip", line, "C-" + line))
                    .toList());
        List<LedgerEntry> entries = IntStream.rangeClosed(1, USERS)
            .mapToObj(line -> new LedgerEntry(line, "C-" + line, LedgerState.STAGED))
            .toList();
        Runnable runLockHeld = () -> {
        };
        DeliveryLedger deliveries = new DeliveryLedger(jobInstanceId, ledger, null, null, List.of("vip"), null,
                new DataSourceTransactionManager(MigratedDatabase.dataSource()));
        ChunkLedgerRecorder recorder = new ChunkLedgerRecorder(entries, deliveries, runLockHeld, BATCH, (entry,
                outcome) -> new SyncUserRepository.Completion(entry.userSeq(), LedgerState.TAGGED, null, null, null));
        ConcurrentLinkedQueue<String> startedWithoutIntent = new ConcurrentLinkedQueue<>();
        AtomicInteger mostInDoubt = new AtomicInteger();

        ExecutorService senders = Executors.newFixedThreadPool(THREADS);
        List<Future<TagOutcome>> calls = new ArrayList<>();
        for (int index = 0; index < USERS; index++) {
            int call = index;
            calls.add(senders.submit(() -> {
                recorder.beforeStart(call);
                // What a crash right now would leave: committed state only, read on
                // another connection.
                if (!"SENDING".equals(
                        probe.queryForObject("SELECT state FROM sync_user WHERE job_instance_id = ? AND user_seq = ?",
                                String.class, jobInstanceId, call + 1L))) {
                    startedWithoutIntent.add("C-" + (call + 1));
                }
                mostInDoubt.accumulateAndGet(probe.queryForObject(
                        "SELECT count(*) FROM sync_user WHERE job_instance_id = ? AND state = 'SENDING'", Integer.class,
                        jobInstanceId), Math::max);
                TagOutcome outcome = new TagOutcome.Tagged(false);
                recorder.completed(call, outcome);
                return outcome;
            }));
        }
        List<TagOutcome> outcomes = new ArrayList<>();
        for (Future<TagOutcome> call : calls) {
            outcomes.add(call.get());
        }
        senders.shutdown();
        recorder.recordRemaining(outcomes);

        assertThat(startedWithoutIntent).isEmpty();
        assertThat(mostInDoubt.get()).as("users committed as SENDING at once").isLessThanOrEqualTo(2 * BATCH + THREADS);
        assertThat(ledger.countByState(jobInstanceId)).containsEntry(LedgerState.TAGGED, (long) USERS)
            .containsEntry(LedgerState.SENDING, 0L);
    }

}
