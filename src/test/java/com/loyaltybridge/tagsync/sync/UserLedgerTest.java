package com.loyaltybridge.tagsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.brazeexport.ExportRecord.ExportUser;
import com.loyaltybridge.tagsync.support.MigratedDatabase;

/** The ledger against real PostgreSQL: what is recorded, and what survives a rolled-back chunk. */
class UserLedgerTest {

    private final DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(MigratedDatabase.dataSource());
    private final JdbcTemplate jdbc = new JdbcTemplate(MigratedDatabase.dataSource());
    private final UserLedger ledger = new UserLedger(jdbc, transactionManager);
    private long jobInstanceId;

    @BeforeEach
    void newJobInstance() {
        jobInstanceId = MigratedDatabase.newJobInstance(jdbc);
    }

    @Test
    void stagesEachIdentifierOnceAndReportsLaterLinesAsDuplicatesOfTheFirst() {
        List<UserLedger.Duplicate> firstChunk = ledger.stage(jobInstanceId, List.of(
                user(0, 1, "C-1"), user(0, 2, "C-2"), user(0, 3, "C-1")));
        List<UserLedger.Duplicate> secondChunk = ledger.stage(jobInstanceId, List.of(
                user(1, 1, "C-3"), user(1, 2, "C-2")));

        assertThat(firstChunk).extracting(d -> d.user().lineNumber(), UserLedger.Duplicate::firstUserSeq)
                .containsExactly(tuple(3L, user(0, 1, "C-1").position()));
        assertThat(secondChunk).extracting(d -> d.user().identifier(), UserLedger.Duplicate::firstUserSeq)
                .containsExactly(tuple("C-2", user(0, 2, "C-2").position()));
        assertThat(jdbc.queryForList("SELECT identifier FROM sync_user WHERE job_instance_id = ? ORDER BY user_seq",
                String.class, jobInstanceId)).containsExactly("C-1", "C-2", "C-3");
    }

    @Test
    void identifiersAreStoredExactlyAsRead() {
        List<String> identifiers = List.of("a/b", "../../admin", "x y", "id?x=1", "%2e%2e", "ünï", "O'Brien", "\"quoted\"");
        for (int i = 0; i < identifiers.size(); i++) {
            ledger.stage(jobInstanceId, List.of(user(0, i + 1, identifiers.get(i))));
        }

        assertThat(jdbc.queryForList("SELECT identifier FROM sync_user WHERE job_instance_id = ? ORDER BY user_seq",
                String.class, jobInstanceId)).containsExactlyElementsOf(identifiers);
    }

    @Test
    void intentAndOutcomeSurviveTheRollbackOfTheChunkAroundThem() {
        ledger.stage(jobInstanceId, List.of(user(0, 1, "C-1"), user(0, 2, "C-2"), user(0, 3, "C-3")));
        long first = user(0, 1, "C-1").position();
        long second = user(0, 2, "C-2").position();
        long third = user(0, 3, "C-3").position();

        TransactionTemplate chunk = new TransactionTemplate(transactionManager);
        chunk.executeWithoutResult(status -> {
            ledger.record(jobInstanceId, List.of(first, second, third), List.of());
            ledger.record(jobInstanceId, List.of(), List.of(
                    new UserLedger.Completion(first, LedgerState.TAGGED, null, null, null),
                    new UserLedger.Completion(second, LedgerState.REJECTED, 404, "user_not_found", "no such customer")));
            status.setRollbackOnly();
        });

        assertThat(ledger.countByState(jobInstanceId)).containsAllEntriesOf(Map.of(
                LedgerState.TAGGED, 1L, LedgerState.REJECTED, 1L, LedgerState.SENDING, 1L, LedgerState.STAGED, 0L));
        assertThat(ledger.rejectionsByCode(jobInstanceId)).containsExactly(Map.entry("user_not_found", 1L));
    }

    @Test
    void onlyStagedUsersAreMarkedSending() {
        ledger.stage(jobInstanceId, List.of(user(0, 1, "C-1"), user(0, 2, "C-2")));
        long first = user(0, 1, "C-1").position();
        ledger.record(jobInstanceId, List.of(), List.of(new UserLedger.Completion(first, LedgerState.TAGGED, null, null, null)));

        ledger.record(jobInstanceId, List.of(first, user(0, 2, "C-2").position()), List.of());

        assertThat(ledger.countByState(jobInstanceId)).containsEntry(LedgerState.TAGGED, 1L).containsEntry(LedgerState.SENDING, 1L);
    }

    @Test
    void usersAreStreamedInExportOrderFromAPosition() {
        ledger.stage(jobInstanceId, List.of(user(1, 5, "late"), user(0, 9, "early"), user(0, 10, "middle")));
        StringBuilder seen = new StringBuilder();

        ledger.forEachUserAfter(jobInstanceId, user(0, 9, "early").position(), 10, (seq, identifier) -> seen.append(identifier).append(' '));

        assertThat(seen.toString()).isEqualTo("middle late ");
    }

    private static ExportUser user(int objectIndex, long line, String identifier) {
        return new ExportUser(objectIndex, "segment-export/SEG/2026-11-28/x-1/part" + objectIndex + ".zip", line, identifier);
    }
}
