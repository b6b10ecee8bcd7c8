package com.loyaltybridge.tagsync.support;

import java.time.Duration;

import org.springframework.jdbc.core.JdbcTemplate;

import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * The syncs Spring Batch recorded, looked up and moved back in time the way days passing
 * would.
 */
public final class SyncHistory {

    private SyncHistory() {
    }

    /**
     * The job instance of {@code jobName} (the sync's, or the dry run's) for
     * {@code export}.
     */
    public static long jobInstanceOf(JdbcTemplate jdbc, String jobName, StorageLocation export) {
        return jdbc.queryForObject("""
                SELECT DISTINCT e.job_instance_id FROM batch_job_execution e
                JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id AND i.job_name = ?
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                WHERE p.parameter_name = 'export' AND p.parameter_value = ?""", Long.class, jobName, export.uri());
    }

    /**
     * Moves every time Spring Batch recorded of the sync's executions and steps
     * {@code by} back: the sync ran that long ago, as far as anything reading those times
     * can tell.
     */
    public static void movedBack(JdbcTemplate jdbc, long jobInstanceId, Duration by) {
        String interval = by.toSeconds() + " seconds";
        jdbc.update(
                """
                        UPDATE batch_step_execution SET create_time = create_time - ?::interval, start_time = start_time - ?::interval,
                            end_time = end_time - ?::interval, last_updated = last_updated - ?::interval
                        WHERE job_execution_id IN (SELECT job_execution_id FROM batch_job_execution WHERE job_instance_id = ?)""",
                interval, interval, interval, interval, jobInstanceId);
        jdbc.update(
                """
                        UPDATE batch_job_execution SET create_time = create_time - ?::interval, start_time = start_time - ?::interval,
                            end_time = end_time - ?::interval, last_updated = last_updated - ?::interval
                        WHERE job_instance_id = ?""",
                interval, interval, interval, interval, jobInstanceId);
    }

}
