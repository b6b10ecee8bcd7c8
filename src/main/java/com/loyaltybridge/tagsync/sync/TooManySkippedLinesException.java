package com.loyaltybridge.tagsync.sync;

/** More lines of an export were unusable than the run allows: the export is more likely broken than dirty. */
public class TooManySkippedLinesException extends RuntimeException {

    TooManySkippedLinesException(long skipped, long limit) {
        super(skipped + " lines of the export could not be used, more than sync.max-skipped-lines=" + limit
                + " allows; see sync_skipped_line for what was wrong. If the export is fine, raise the limit and run the"
                + " same command again to resume.");
    }
}
