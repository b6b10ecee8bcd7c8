package com.loyaltybridge.tagsync.brazeexport;

/**
 * One non-blank line of an export, as read: not yet parsed.
 *
 * @param objectIndex position of its object in the export's listing (0-based)
 * @param objectKey the object's key, for records and messages
 * @param lineNumber 1-based line number inside the object (entries of a multi-entry zip
 * are numbered on)
 * @param content the line's bytes without line terminator and byte-order mark; empty when
 * {@code tooLong}
 * @param tooLong the line was longer than the configured limit and was not kept
 */
public record ExportLine(int objectIndex, String objectKey, long lineNumber, byte[] content, boolean tooLong) {
}
