package com.loyaltybridge.tagsync.bulkfile;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Shape of the CSV bulk file for SessionM's tag import. SessionM does not publish the
 * import's column names or size limits, so they are all settings (see README).
 *
 * @param output where bulk files go when the command line gives no {@code --output}
 * @param maxRowsPerPart rows (one per user and tag) in one part file at most
 * @param header whether each part starts with a header row
 * @param identifierColumn header of the customer column; empty means {@code external_id}
 * or {@code user_id}, whichever identifier the sync uses
 * @param tagColumn header of the tag column
 * @param ttlColumn header of the time-to-live column (seconds; empty for counter tags)
 */
@ConfigurationProperties("bulk-file")
public record BulkFileSettings(String output, @DefaultValue("100000") int maxRowsPerPart,
        @DefaultValue("true") boolean header, String identifierColumn, @DefaultValue("tag") String tagColumn,
        @DefaultValue("ttl") String ttlColumn) {
}
