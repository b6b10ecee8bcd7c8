package com.loyaltybridge.tagsync.console;

import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An execution as Spring Batch recorded it in PostgreSQL, which the browser tests check
 * against what the pages show.
 */
final class ExecutionRows {

    private ExecutionRows() {
    }

    static String status(JdbcTemplate jdbc, long id) {
        return jdbc.queryForObject("SELECT status FROM batch_job_execution WHERE job_execution_id = ?", String.class,
                id);
    }

    /**
     * Ended for good with {@code status}: Spring Batch writes the exit code with the
     * status, and the failure's reason after its listeners.
     */
    static boolean endedAs(JdbcTemplate jdbc, long id, String status) {
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT status, exit_code, exit_message FROM batch_job_execution WHERE job_execution_id = ?", id);
        return status.equals(row.get("status")) && status.equals(row.get("exit_code"))
                && !(status.equals("FAILED") && String.valueOf(row.get("exit_message")).isBlank());
    }

}
