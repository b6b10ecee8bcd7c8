package com.loyaltybridge.tagsync.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What each sync sends and why (table {@code sync_plan}): the kind is decided once,
 * before the export is staged, and the counts once the plan is made; every later run of
 * the sync reads the same plan.
 */
@Repository
public class SyncPlanRepository {

    private final JdbcTemplate jdbc;

    public SyncPlanRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A sync's plan.
     *
     * @param audienceId its audience; null without one
     * @param runStart when the sync first started
     * @param refreshBeforeSeconds how long before its end an expiring tag is refreshed;
     * null for counter tags
     * @param counts the counts, once made (null before step planAudience)
     */
    public record Plan(long jobInstanceId, Long audienceId, PlanReason why, Instant runStart, Long refreshBeforeSeconds,
            Counts counts) {

        public PlanKind kind() {
            return why.kind();
        }

        /**
         * When an expiring tag must still be valid not to be refreshed: the run's start
         * plus the refresh margin.
         */
        public Instant refreshDueBefore() {
            return refreshBeforeSeconds == null ? null : runStart.plusSeconds(refreshBeforeSeconds);
        }
    }

    /** The users of a sync by what the plan does with them. */
    public record Counts(long entering, long refresh, long retry, long full, long unchanged, long leaving) {

        /** Users sent (api) or written (csv). */
        public long toSend() {
            return entering + refresh + retry + full;
        }
    }

    public Optional<Plan> find(long jobInstanceId) {
        return jdbc
            .query("""
                    SELECT job_instance_id, audience_id, why, run_start, refresh_before_seconds, entering, refresh, retry, unchanged,
                           leaving, planned_at, kind
                    FROM sync_plan WHERE job_instance_id = ?""",
                    SyncPlanRepository::plan, jobInstanceId)
            .stream()
            .findFirst();
    }

    /** Records the plan of a sync that has none yet; returns the one recorded first. */
    public Plan open(long jobInstanceId, Long audienceId, PlanReason why, Instant runStart, Long refreshBeforeSeconds) {
        jdbc.update("""
                INSERT INTO sync_plan (job_instance_id, audience_id, kind, why, run_start, refresh_before_seconds)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_instance_id) DO NOTHING""", jobInstanceId, audienceId,
                why.kind().name(), why.name(), Timestamp.from(runStart), refreshBeforeSeconds);
        return find(jobInstanceId).orElseThrow();
    }

    /** Records the counts of the plan (in the transaction that made it). */
    public void recordCounts(long jobInstanceId, Counts counts) {
        jdbc.update(
                """
                        UPDATE sync_plan SET entering = ?, refresh = ?, retry = ?, unchanged = ?, leaving = ?, planned_at = now()
                        WHERE job_instance_id = ?""",
                counts.entering() + counts.full(), counts.refresh(), counts.retry(), counts.unchanged(),
                counts.leaving(), jobInstanceId);
    }

    /**
     * The migration that brought audiences (V7__audience_state.sql), as Flyway records it
     * when it was applied.
     */
    static final String AUDIENCES_MIGRATION = "7";

    /**
     * The latest sync that completed before audiences existed (it has no plan, and ended
     * before the migration that brought them was applied) of an export of
     * {@code segmentId} with that identifier source: where an audience's first members
     * come from after an upgrade. Its tags and how it ended.
     */
    public Optional<BeforeAudiences> latestCompletedBeforeAudiences(String jobName, String segmentId,
            String identifierSource) {
        return jdbc
            .query("""
                    SELECT e.job_instance_id, e.end_time, tags.parameter_value, ttl.parameter_value
                    FROM batch_job_execution e
                    JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id AND i.job_name = ?
                    JOIN batch_job_execution_params export ON export.job_execution_id = e.job_execution_id
                        AND export.parameter_name = 'export' AND position(? IN export.parameter_value) > 0
                    JOIN batch_job_execution_params identifier ON identifier.job_execution_id = e.job_execution_id
                        AND identifier.parameter_name = 'identifier' AND identifier.parameter_value = ?
                    JOIN batch_job_execution_params tags ON tags.job_execution_id = e.job_execution_id AND tags.parameter_name = 'tags'
                    JOIN batch_job_execution_params ttl ON ttl.job_execution_id = e.job_execution_id AND ttl.parameter_name = 'ttl'
                    WHERE e.status = 'COMPLETED'
                      AND NOT EXISTS (SELECT 1 FROM sync_plan p WHERE p.job_instance_id = e.job_instance_id)
                      AND e.end_time < (SELECT installed_on FROM flyway_schema_history WHERE version = ?)
                    ORDER BY e.end_time DESC LIMIT 1""",
                    (rs, row) -> new BeforeAudiences(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                            List.of(rs.getString(3).split(",")),
                            "none".equals(rs.getString(4)) ? null : Long.valueOf(rs.getString(4))),
                    jobName, "/segment-export/" + segmentId + "/", identifierSource, AUDIENCES_MIGRATION)
            .stream()
            .findFirst();
    }

    /**
     * A sync that completed before audiences existed: its users that SessionM holds
     * tagged become the first members.
     */
    public record BeforeAudiences(long jobInstanceId, Instant endedAt, List<String> tags, Long ttlSeconds) {
    }

    private static Plan plan(ResultSet rs, int row) throws SQLException {
        Timestamp plannedAt = rs.getTimestamp("planned_at");
        long unchanged = rs.getLong("unchanged");
        Counts counts = plannedAt == null ? null : new Counts(rs.getLong("entering"), rs.getLong("refresh"),
                rs.getLong("retry"), 0, unchanged, rs.getLong("leaving"));
        PlanReason why = PlanReason.valueOf(rs.getString("why"));
        if (counts != null && why.stagedReason() == SendReason.FULL) {
            counts = new Counts(0, 0, 0, counts.entering(), counts.unchanged(), counts.leaving());
        }
        return new Plan(rs.getLong("job_instance_id"), (Long) rs.getObject("audience_id"), why,
                rs.getTimestamp("run_start").toInstant(), (Long) rs.getObject("refresh_before_seconds"), counts);
    }

}
