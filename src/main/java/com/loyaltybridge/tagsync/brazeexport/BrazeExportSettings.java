package com.loyaltybridge.tagsync.brazeexport;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Limits that keep reading an export safe from hostile or broken input.
 *
 * @param maxLineSize longest line kept; a longer one is skipped as
 * {@link SkipReason#LINE_TOO_LONG} and never held in memory. Braze users are far below
 * the default
 * @param maxUncompressedSizePerObject most bytes one export object may decompress to: a
 * guard against zip bombs. Braze writes about 5,000 users per object
 * @param maxIdentifierLength longest identifier accepted, in characters
 */
@ConfigurationProperties("braze.export")
public record BrazeExportSettings(@DefaultValue("1MB") DataSize maxLineSize,
        @DefaultValue("1GB") DataSize maxUncompressedSizePerObject, @DefaultValue("255") int maxIdentifierLength) {

    private static final DataSize LARGEST_LINE = DataSize.ofGigabytes(1);

    public BrazeExportSettings {
        if (maxLineSize.toBytes() < 1 || maxLineSize.compareTo(LARGEST_LINE) > 0) {
            throw new IllegalArgumentException(
                    "braze.export.max-line-size must be between 1B and 1GB, not " + maxLineSize);
        }
        if (maxUncompressedSizePerObject.toBytes() < 1) {
            throw new IllegalArgumentException("braze.export.max-uncompressed-size-per-object must be positive, not "
                    + maxUncompressedSizePerObject);
        }
        if (maxIdentifierLength < 1) {
            throw new IllegalArgumentException(
                    "braze.export.max-identifier-length must be positive, not " + maxIdentifierLength);
        }
    }

    int maxLineBytes() {
        return (int) maxLineSize.toBytes();
    }

    /**
     * {@code size} in the largest unit that holds it exactly ("1GB", "1536KB", "100B"),
     * for messages.
     */
    static String describe(DataSize size) {
        for (DataUnit unit : new DataUnit[] { DataUnit.TERABYTES, DataUnit.GIGABYTES, DataUnit.MEGABYTES,
                DataUnit.KILOBYTES }) {
            long unitBytes = DataSize.of(1, unit).toBytes();
            if (size.toBytes() % unitBytes == 0) {
                return size.toBytes() / unitBytes + unit.name().substring(0, 1) + "B";
            }
        }
        return size.toBytes() + "B";
    }
}
