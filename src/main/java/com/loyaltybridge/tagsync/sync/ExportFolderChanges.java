package com.loyaltybridge.tagsync.sync;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;

import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * The objects that appeared in, or vanished from, an export folder since the sync first
 * listed it.
 */
record ExportFolderChanges(List<String> added, List<String> removed) {

    static ExportFolderChanges between(List<StoredObject> listed, List<StoredObject> now) {
        Set<String> listedNames = names(listed);
        Set<String> currentNames = names(now);
        return new ExportFolderChanges(
                now.stream().map(StoredObject::name).filter(name -> !listedNames.contains(name)).toList(),
                listed.stream().map(StoredObject::name).filter(name -> !currentNames.contains(name)).toList());
    }

    /**
     * Warns about each kind of change: the sync reads the objects it first listed,
     * whatever came or went since.
     */
    void warn(Logger log, StorageLocation export) {
        if (!added.isEmpty()) {
            log.warn("{} objects appeared in {} since this sync first listed it; they are not part of this sync: {}",
                    added.size(), export, String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            log.warn("{} objects listed when this sync first started are gone from {}: {}", removed.size(), export,
                    String.join(", ", removed));
        }
    }

    private static Set<String> names(List<StoredObject> objects) {
        return objects.stream().map(StoredObject::name).collect(Collectors.toSet());
    }
}
