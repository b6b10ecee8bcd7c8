package com.loyaltybridge.tagsync.storage;

import java.util.List;

/**
 * The folders exports are read from ({@code scan.export-roots}). Under a {@code file:}
 * one, the local store reads nothing whose real path leaves it: a symbolic link out of an
 * export root is never followed.
 */
public interface ExportRoots {

    List<StorageLocation> roots();

}
