package com.loyaltybridge.tagsync.brazeexport;

import java.util.Locale;
import java.util.Optional;

/**
 * The compressed formats Braze writes segment exports in, told apart by the object's
 * extension.
 */
enum ExportFormat {

    ZIP(".zip"), GZIP(".gz");

    private final String extension;

    ExportFormat(String extension) {
        this.extension = extension;
    }

    /**
     * The format of an object named {@code name} (extension in any case), or empty when
     * it is not an export object.
     */
    static Optional<ExportFormat> of(String name) {
        String lowerCase = name.toLowerCase(Locale.ROOT);
        for (ExportFormat format : values()) {
            if (lowerCase.endsWith(format.extension)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

}
