package com.loyaltybridge.tagsync.console;

import com.loyaltybridge.tagsync.api.ExecutionQueries;

/**
 * One row of the executions page: the API's list row with its sync's counts, as the page
 * shows them.
 */
record ExecutionRowView(long id, String segmentId, String export, StatusLook status, String started, String duration,
        String users, String tagged, String rejected, String inDoubt, String skippedLines, ProgressView progress,
        boolean dryRun) {

    static ExecutionRowView of(ExecutionQueries.ExecutionRow row, ProgressView progress) {
        ExecutionQueries.RowCounts counts = row.counts();
        boolean needsALook = counts.rejected() + counts.inDoubt() + counts.skippedLines() > 0;
        return new ExecutionRowView(row.id(), row.segmentId(), row.export(), StatusLook.of(row.status(), needsALook),
                Formats.time(row.startTime() != null ? row.startTime() : row.createTime()),
                Formats.duration(row.startTime(), row.endTime()), Formats.count(counts.users()),
                Formats.count(counts.tagged() + counts.alreadyTagged()), Formats.count(counts.rejected()),
                Formats.count(counts.inDoubt()), Formats.count(counts.skippedLines()), progress, row.dryRun());
    }
}
