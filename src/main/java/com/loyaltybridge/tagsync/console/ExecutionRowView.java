package com.loyaltybridge.tagsync.console;

import com.loyaltybridge.tagsync.api.ExecutionQueries;

/**
 * One row of the executions page: the API's list row with its run's counts, as the page
 * shows them. Tag syncs and runs of offer wallets share the columns, each cell named for
 * what it counts in that row (a tag sync's users are tagged or in doubt; an offers run's
 * members are written, unchanged or refused by Braze); a count a row's run does not keep
 * shows as a dash.
 *
 * @param kind {@code tags} or {@code offer wallets}
 * @param done tagged (and already tagged) users, or wallets written (a dry run's: that
 * its real run would write)
 * @param doneLabel what {@code done} counts: {@code Tagged} or {@code Written}
 * @param unchanged wallets equal to the one last written; a dash for a tag sync
 * @param trouble users in doubt, or members whose attributes Braze refused
 * @param troubleLabel what {@code trouble} counts: {@code In doubt} or {@code Refused}
 */
record ExecutionRowView(long id, String kind, boolean offers, String segmentId, String export, StatusLook status,
        String started, String duration, String users, String usersLabel, String done, String doneLabel,
        String unchanged, String rejected, String trouble, String troubleLabel, String skippedLines,
        ProgressView progress, boolean dryRun) {

    /** What a count a row's run does not keep (or, a dry run, does not do) shows. */
    static final String NOT_COUNTED = "—";

    static ExecutionRowView of(ExecutionQueries.ExecutionRow row, ProgressView progress) {
        ExecutionQueries.RowCounts counts = row.counts();
        boolean offers = row.offers();
        long trouble = offers ? counts.refused() : counts.inDoubt();
        boolean needsALook = counts.rejected() + trouble + counts.skippedLines() > 0;
        // A dry run tags and writes nothing: an offers dry run says what its real run
        // would write instead, a tag sync's dry run shows a dash (its page has the plan).
        boolean dryRun = row.dryRun();
        String done = !dryRun ? Formats.count(offers ? counts.written() : counts.tagged() + counts.alreadyTagged())
                : offers ? "would write " + Formats.count(counts.changed()) : NOT_COUNTED;
        String unchanged = offers ? Formats.count(counts.unchanged()) : NOT_COUNTED;
        return new ExecutionRowView(row.id(), offers ? KindChoice.OFFER_WALLETS : KindChoice.TAGS, offers,
                row.segmentId(), row.export(), StatusLook.of(row.status(), needsALook),
                Formats.time(row.startTime() != null ? row.startTime() : row.createTime()),
                Formats.duration(row.startTime(), row.endTime()), Formats.count(counts.users()),
                offers ? "Members" : "Users", done, offers ? "Written" : "Tagged", unchanged,
                Formats.count(counts.rejected()), dryRun ? NOT_COUNTED : Formats.count(trouble),
                offers ? "Refused by Braze" : "In doubt", Formats.count(counts.skippedLines()), progress, dryRun);
    }
}
