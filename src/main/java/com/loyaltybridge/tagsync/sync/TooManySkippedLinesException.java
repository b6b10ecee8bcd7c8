package com.loyaltybridge.tagsync.sync;

/**
 * More lines of an export were unusable than the run allows: the export is more likely
 * broken than dirty.
 */
public class TooManySkippedLinesException extends RuntimeException {

    TooManySkippedLinesException(long skipped, long limit) {
        super(skipped + " lines of the export could not be used, more than sync.max-skipped-lines=" + limit
                + " allows; see sync_skipped_line for what was wrong. " + remedy());
    }

    /**
     * Found once the export is staged: the duplicates are only recorded when the run is
     * let through.
     */
    TooManySkippedLinesException(long skipped, long duplicates, long limit) {
        super(skipped + " lines of the export could not be used, " + duplicates + " of them repeating a user seen"
                + " earlier in the export; that is more than sync.max-skipped-lines=" + limit + " allows. " + remedy());
    }

    private static String remedy() {
        return "If the export is fine, raise the limit and run the same command again to resume.";
    }

}
