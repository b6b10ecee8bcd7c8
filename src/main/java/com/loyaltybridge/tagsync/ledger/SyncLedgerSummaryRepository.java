package com.loyaltybridge.tagsync.ledger;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The counts of syncs (and offers runs) whose users' rows are pruned (table
 * {@code sync_ledger_summary}), stored before the first row goes: the summary of such a
 * run reads them instead of counting its rows. Also finds the runs whose rows are still
 * there and that ended before a given time, the candidates for pruning.
 */
@Repository
public class SyncLedgerSummaryRepository {

    /** A state's column: its name in lower case. */
    private static final String STATE_COLUMNS = Arrays.stream(LedgerState.values())
        .map(SyncLedgerSummaryRepository::column)
        .collect(Collectors.joining(", "));

    /**
     * The states an offers run's leaver takes ({@code sync_wallet_leaver.state}), each
     * counted in a column {@code leavers_<state>}.
     */
    private static final Set<LedgerState> LEAVER_STATES = Collections.unmodifiableSet(EnumSet.of(LedgerState.STAGED,
            LedgerState.SENDING, LedgerState.WRITTEN, LedgerState.UNCHANGED, LedgerState.REFUSED));

    private static final String LEAVER_COLUMNS = LEAVER_STATES.stream()
        .map(SyncLedgerSummaryRepository::leaverColumn)
        .collect(Collectors.joining(", "));

    private final JdbcTemplate jdbc;

    public SyncLedgerSummaryRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What a run's summary counts of its users (and, for an offers run, of its leavers).
     *
     * @param users distinct users of the export
     * @param usersByState the users by state, as the summary counts them
     * @param leaversByState an offers run's leavers ({@code sync_wallet_leaver}) by
     * state, those it has none in left out; empty for a tag sync
     * @param writtenAgain an offers run's members and leavers written while an earlier
     * request carrying them may have landed; 0 for a tag sync
     */
    public record LedgerCounts(long users, Map<LedgerState, Long> usersByState, Map<LedgerState, Long> leaversByState,
            long writtenAgain) {

        public LedgerCounts {
            usersByState = inStateOrder(usersByState);
            leaversByState = inStateOrder(leaversByState);
            for (Map.Entry<LedgerState, Long> leavers : leaversByState.entrySet()) {
                if (leavers.getValue() != 0 && !LEAVER_STATES.contains(leavers.getKey())) {
                    throw new IllegalArgumentException("a leaver is never " + leavers.getKey());
                }
            }
        }

        /** A tag sync's counts: its users, and no leavers of the offers job. */
        public LedgerCounts(long users, Map<LedgerState, Long> usersByState) {
            this(users, usersByState, Map.of(), 0);
        }

        private static Map<LedgerState, Long> inStateOrder(Map<LedgerState, Long> counts) {
            Map<LedgerState, Long> ordered = new EnumMap<>(LedgerState.class);
            ordered.putAll(counts);
            return Collections.unmodifiableMap(ordered);
        }
    }

    /**
     * The counts stored for a sync whose rows are pruned, or being pruned; empty for any
     * other.
     */
    public Optional<LedgerCounts> find(long jobInstanceId) {
        return jdbc.query("SELECT users, " + STATE_COLUMNS + ", " + LEAVER_COLUMNS
                + ", written_again FROM sync_ledger_summary WHERE job_instance_id = ?", (rs, row) -> {
                    Map<LedgerState, Long> byState = new EnumMap<>(LedgerState.class);
                    for (LedgerState state : LedgerState.values()) {
                        byState.put(state, rs.getLong(column(state)));
                    }
                    Map<LedgerState, Long> leavers = new EnumMap<>(LedgerState.class);
                    for (LedgerState state : LEAVER_STATES) {
                        long count = rs.getLong(leaverColumn(state));
                        if (count > 0) {
                            leavers.put(state, count);
                        }
                    }
                    return new LedgerCounts(rs.getLong("users"), byState, leavers, rs.getLong("written_again"));
                }, jobInstanceId)
            .stream()
            .findFirst();
    }

    /**
     * Stores a sync's counts, in the caller's transaction; counts stored before (an
     * interrupted prune) stay.
     */
    public void record(long jobInstanceId, LedgerCounts counts) {
        List<Object> arguments = new ArrayList<>();
        arguments.add(jobInstanceId);
        arguments.add(counts.users());
        for (LedgerState state : LedgerState.values()) {
            arguments.add(counts.usersByState().getOrDefault(state, 0L));
        }
        for (LedgerState state : LEAVER_STATES) {
            arguments.add(counts.leaversByState().getOrDefault(state, 0L));
        }
        arguments.add(counts.writtenAgain());
        jdbc.update("INSERT INTO sync_ledger_summary (job_instance_id, users, " + STATE_COLUMNS + ", " + LEAVER_COLUMNS
                + ", written_again, summarised_at) VALUES (" + "?, ".repeat(arguments.size())
                + "now()) ON CONFLICT (job_instance_id) DO NOTHING", arguments.toArray());
    }

    /** The last of the sync's prunable rows are gone. */
    public void markPruned(long jobInstanceId) {
        jdbc.update("UPDATE sync_ledger_summary SET pruned_at = now() WHERE job_instance_id = ?", jobInstanceId);
    }

    /**
     * A sync whose rows are not pruned yet, as its last execution left it.
     *
     * @param status the last execution's status (Spring Batch's {@code BatchStatus}, by
     * name)
     * @param endedAt when it ended; for one that never recorded its end (killed), when it
     * last recorded anything
     */
    public record Unpruned(long jobInstanceId, String jobName, long lastExecutionId, String status,
            LocalDateTime endedAt) {
    }

    /**
     * The syncs of {@code jobNames} whose rows are not pruned yet (or not to the end) and
     * whose last execution ended before {@code endedBefore}, oldest first. Reads Spring
     * Batch's tables: times there are the local time of the process that wrote them, as
     * is {@code endedBefore}.
     */
    public List<Unpruned> unprunedEndedBefore(List<String> jobNames, LocalDateTime endedBefore) {
        Object[] arguments = new Object[jobNames.size() + 1];
        for (int i = 0; i < jobNames.size(); i++) {
            arguments[i] = jobNames.get(i);
        }
        arguments[jobNames.size()] = Timestamp.valueOf(endedBefore);
        return jdbc.query(
                """
                        SELECT i.job_instance_id, i.job_name, e.job_execution_id, e.status, e.ended
                        FROM batch_job_instance AS i
                        CROSS JOIN LATERAL (
                            SELECT job_execution_id, status, coalesce(end_time, last_updated, create_time) AS ended
                            FROM batch_job_execution WHERE job_instance_id = i.job_instance_id
                            ORDER BY job_execution_id DESC LIMIT 1) AS e
                        LEFT JOIN sync_ledger_summary AS s ON s.job_instance_id = i.job_instance_id
                        WHERE i.job_name IN (%s) AND s.pruned_at IS NULL AND e.ended < ?
                        ORDER BY e.ended, i.job_instance_id"""
                    .formatted(String.join(", ", jobNames.stream().map(name -> "?").toList())),
                (rs, row) -> new Unpruned(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getTimestamp(5).toLocalDateTime()),
                arguments);
    }

    private static String column(LedgerState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static String leaverColumn(LedgerState state) {
        return "leavers_" + column(state);
    }

}
