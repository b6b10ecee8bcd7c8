package com.loyaltybridge.tagsync.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.brazeexport.ExportRecord.ExportUser;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.storage.StoredObject;
import com.loyaltybridge.tagsync.support.MigratedDatabase;

/**
 * The ledger against real PostgreSQL: what is recorded, which line of a repeated user is
 * kept, and what survives a rolled-back chunk.
 */
class SyncUserRepositoryTest {

    private final DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(
            MigratedDatabase.dataSource());

    private final JdbcTemplate jdbc = new JdbcTemplate(MigratedDatabase.dataSource());

    private static final StorageLocation EXPORT = StorageLocation.s3("braze-exports",
            "segment-export/SEG/2026-11-28/x-1/");

    private final SyncUserRepository ledger = new SyncUserRepository(jdbc, transactionManager);

    private final SyncExportObjectRepository catalog = new SyncExportObjectRepository(jdbc);

    private long jobInstanceId;

    @BeforeEach
    void newJobInstance() {
        jobInstanceId = MigratedDatabase.newJobInstance(jdbc);
    }

    @Test
    void keepsEachIdentifierAtItsFirstLineAndRecordsTheLaterLinesAsSkipped() {
        catalog.record(jobInstanceId, List.of(exportObject("part0.zip"), exportObject("part1.zip")));
        ledger.stage(jobInstanceId, List.of(user(0, 1, "C-1"), user(0, 2, "C-2"), user(0, 3, "C-1")));
        ledger.stage(jobInstanceId, List.of(user(1, 1, "C-3"), user(1, 2, "C-2"), user(1, 3, "c-3")));

        int removed = ledger.removeDuplicates(jobInstanceId, EXPORT.keyPrefix());

        assertThat(removed).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT identifier FROM sync_user WHERE job_instance_id = ? ORDER BY user_seq",
                String.class, jobInstanceId))
            .containsExactly("C-1", "C-2", "C-3", "c-3");
        assertThat(jdbc.query("""
                SELECT object_key, line_number, reason, detail FROM sync_skipped_line
                WHERE job_instance_id = ? ORDER BY object_key, line_number""",
                (rs, row) -> tuple(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)), jobInstanceId))
            .containsExactly(
                    tuple(EXPORT.keyPrefix() + "part0.zip", 3L, "duplicate_user",
                            "identifier already seen at line 1 of " + EXPORT.keyPrefix() + "part0.zip"),
                    tuple(EXPORT.keyPrefix() + "part1.zip", 2L, "duplicate_user",
                            "identifier already seen at line 2 of " + EXPORT.keyPrefix() + "part0.zip"));
        assertThat(ledger.removeDuplicates(jobInstanceId, EXPORT.keyPrefix())).as("nothing left to remove").isZero();
    }

    @Test
    void aLineStagedBeforeIsNotStagedAgainWhileTheRestOfItsChunkIs() {
        ledger.stage(jobInstanceId, List.of(user(0, 1, "C-1"), user(0, 2, "C-2")));

        ledger.stage(jobInstanceId, List.of(user(0, 2, "C-2"), user(0, 3, "C-3")));

        assertThat(jdbc.queryForList("SELECT identifier FROM sync_user WHERE job_instance_id = ? ORDER BY user_seq",
                String.class, jobInstanceId))
            .containsExactly("C-1", "C-2", "C-3");
    }

    @Test
    void identifiersAreStoredExactlyAsRead() {
        List<String> identifiers = List.of("a/b", "../../admin", "x y", "id?x=1", "%2e%2e", "ünï", "O'Brien",
                "\"quoted\"");
        for (int i = 0; i < identifiers.size(); i++) {
            ledger.stage(jobInstanceId, List.of(user(0, i + 1, identifiers.get(i))));
        }

        assertThat(jdbc.queryForList("SELECT identifier FROM sync_user WHERE job_instance_id = ? ORDER BY user_seq",
                String.class, jobInstanceId))
            .containsExactlyElementsOf(identifiers);
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
            ledger.record(jobInstanceId, List.of(),
                    List.of(new SyncUserRepository.Completion(first, LedgerState.TAGGED, null, null, null),
                            new SyncUserRepository.Completion(second, LedgerState.REJECTED, 404, "user_not_found",
                                    "no such customer")));
            status.setRollbackOnly();
        });

        assertThat(ledger.countByState(jobInstanceId)).containsAllEntriesOf(Map.of(LedgerState.TAGGED, 1L,
                LedgerState.REJECTED, 1L, LedgerState.SENDING, 1L, LedgerState.STAGED, 0L));
        assertThat(ledger.rejectionsByCode(jobInstanceId)).containsExactly(Map.entry("user_not_found", 1L));
    }

    @Test
    void onlyStagedUsersAreMarkedSending() {
        ledger.stage(jobInstanceId, List.of(user(0, 1, "C-1"), user(0, 2, "C-2")));
        long first = user(0, 1, "C-1").position();
        ledger.record(jobInstanceId, List.of(),
                List.of(new SyncUserRepository.Completion(first, LedgerState.TAGGED, null, null, null)));

        ledger.record(jobInstanceId, List.of(first, user(0, 2, "C-2").position()), List.of());

        assertThat(ledger.countByState(jobInstanceId)).containsEntry(LedgerState.TAGGED, 1L)
            .containsEntry(LedgerState.SENDING, 1L);
    }

    @Test
    void usersAreStreamedInExportOrderFromAPosition() {
        ledger.stage(jobInstanceId, List.of(user(1, 5, "late"), user(0, 9, "early"), user(0, 10, "middle")));
        StringBuilder seen = new StringBuilder();

        ledger.forEachUserAfter(jobInstanceId, user(0, 9, "early").position(), 10,
                (seq, identifier, tags) -> seen.append(identifier).append(' '));

        assertThat(seen.toString()).isEqualTo("middle late ");
    }

    @Test
    void rejectedUsersAreListedInExportOrderPageByPageAndStreamedWhole() {
        ledger.stage(jobInstanceId, List.of(user(0, 1, "C-1"), user(0, 2, "C-2"), user(0, 3, "C-3")));
        ledger.record(jobInstanceId, List.of(), List.of(
                new SyncUserRepository.Completion(user(0, 3, "C-3").position(), LedgerState.REJECTED, 404,
                        "user_not_found", "no"),
                new SyncUserRepository.Completion(user(0, 2, "C-2").position(), LedgerState.TAGGED, null, null, null),
                new SyncUserRepository.Completion(user(0, 1, "C-1").position(), LedgerState.REJECTED, 200,
                        "requires_registered_user", "x")));
        List<String> streamed = new ArrayList<>();

        ledger.forEachRejectedUser(jobInstanceId,
                rejected -> streamed.add(rejected.identifier() + " " + rejected.code()));

        assertThat(ledger.rejectedCount(jobInstanceId)).isEqualTo(2);
        assertThat(ledger.rejectedUsers(jobInstanceId, 1, 0)).extracting(SyncUserRepository.RejectedUser::identifier)
            .containsExactly("C-1");
        assertThat(ledger.rejectedUsers(jobInstanceId, 1, 1)).singleElement().satisfies(rejected -> {
            assertThat(rejected.identifier()).isEqualTo("C-3");
            assertThat(rejected.httpStatus()).isEqualTo(404);
            assertThat(rejected.at()).isNotNull();
        });
        assertThat(streamed).containsExactly("C-1 requires_registered_user", "C-3 user_not_found");
    }

    @Test
    void thePendingUsersReaderReadsStagedAndSendingUsersInExportOrder() throws Exception {
        ledger.stage(jobInstanceId,
                List.of(user(0, 1, "C-1"), user(0, 2, "C-2"), user(0, 3, "C-3"), user(1, 1, "C-4")));
        ledger.record(jobInstanceId, List.of(user(0, 2, "C-2").position(), user(0, 3, "C-3").position()), List
            .of(new SyncUserRepository.Completion(user(0, 3, "C-3").position(), LedgerState.TAGGED, null, null, null)));
        JdbcPagingItemReader<LedgerEntry> reader = ledger.pendingUsersReader("pendingUsersReader", jobInstanceId, 2);
        List<String> read = new ArrayList<>();

        reader.open(new ExecutionContext());
        for (LedgerEntry entry = reader.read(); entry != null; entry = reader.read()) {
            read.add(entry.identifier() + " " + entry.state());
        }
        reader.close();

        assertThat(read).containsExactly("C-1 STAGED", "C-2 SENDING", "C-4 STAGED");
    }

    private static ExportUser user(int objectIndex, long line, String identifier) {
        return new ExportUser(objectIndex, exportObject("part" + objectIndex + ".zip").key(), line, identifier);
    }

    private static StoredObject exportObject(String name) {
        return new StoredObject(EXPORT, name, 100, "etag-" + name, Instant.parse("2026-11-28T10:00:00Z"));
    }

}
