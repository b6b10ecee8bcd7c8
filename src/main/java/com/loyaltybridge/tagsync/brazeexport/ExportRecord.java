package com.loyaltybridge.tagsync.brazeexport;

/** What one line of an export turned into: a user to tag, or a line skipped with its reason. */
public sealed interface ExportRecord permits ExportRecord.ExportUser, ExportRecord.SkippedLine {

    String objectKey();

    long lineNumber();

    /**
     * A user with the configured identifier.
     *
     * @param objectIndex position of its object in the export's listing, which with the line number
     *                    orders users in the export
     */
    record ExportUser(int objectIndex, String objectKey, long lineNumber, String identifier) implements ExportRecord {

        /** The user's position in the export: object index in the high 32 bits, line number in the low. */
        public long position() {
            return ((long) objectIndex << 32) | lineNumber;
        }
    }

    /** A line that did not become a user. {@code detail} says what was wrong and never holds more than a short excerpt of the line. */
    record SkippedLine(String objectKey, long lineNumber, SkipReason reason, String detail) implements ExportRecord {
    }
}
