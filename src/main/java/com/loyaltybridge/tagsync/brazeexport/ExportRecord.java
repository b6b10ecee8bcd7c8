package com.loyaltybridge.tagsync.brazeexport;

import org.jspecify.annotations.Nullable;

/**
 * What one line of an export turned into: a user to tag, or a line skipped with its
 * reason.
 */
public sealed interface ExportRecord permits ExportRecord.ExportUser, ExportRecord.SkippedLine {

    String objectKey();

    long lineNumber();

    /**
     * A user with the configured identifier.
     *
     * @param objectIndex position of its object in the export's listing, which with the
     * line number orders users in the export
     * @param profile who the user is in Braze, for a job that writes to its profile; null
     * for the tag sync, whose parser does not read it
     */
    record ExportUser(int objectIndex, String objectKey, long lineNumber, String identifier,
            @Nullable BrazeProfile profile) implements ExportRecord {

        /** A user as the tag sync reads it: the identifier only. */
        public ExportUser(int objectIndex, String objectKey, long lineNumber, String identifier) {
            this(objectIndex, objectKey, lineNumber, identifier, null);
        }

        /**
         * The user's position in the export: object index in the high 32 bits, line
         * number in the low.
         */
        public long position() {
            return ((long) objectIndex << 32) | lineNumber;
        }
    }

    /**
     * A line that did not become a user. {@code detail} says what was wrong and never
     * holds more than a short excerpt of the line.
     */
    record SkippedLine(String objectKey, long lineNumber, SkipReason reason, String detail) implements ExportRecord {
    }

}
