package com.loyaltybridge.tagsync.brazeexport;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.storage.StoredObject;

/** Finds the objects of one Braze segment export in its folder. */
@Component
public class BrazeExportListing {

    private static final Logger log = LoggerFactory.getLogger(BrazeExportListing.class);

    private static final int MAX_NAMES_LOGGED = 10;

    private final ObjectStore store;

    public BrazeExportListing(ObjectStore store) {
        this.store = store;
    }

    /**
     * The {@code .zip} and {@code .gz} objects directly in {@code exportFolder}, sorted
     * by name: the order in which they are read, and which the object index of a record
     * refers to.
     * @throws ExportNotFoundException when the folder holds none
     */
    public List<StoredObject> objectsOf(StorageLocation exportFolder) {
        Map<Boolean, List<StoredObject>> byKind = store.list(exportFolder)
            .stream()
            .sorted(Comparator.comparing(StoredObject::name))
            .collect(Collectors.partitioningBy(object -> ExportFormat.of(object.name()).isPresent()));
        List<StoredObject> exportObjects = byKind.get(true);
        List<StoredObject> others = byKind.get(false);
        if (exportObjects.isEmpty()) {
            throw new ExportNotFoundException("no .zip or .gz objects in " + exportFolder
                    + (others.isEmpty() ? "" : " (only " + others.size() + " other objects: " + names(others) + ")"));
        }
        if (!others.isEmpty()) {
            log.warn("Ignoring {} objects in {} that are neither .zip nor .gz: {}", others.size(), exportFolder,
                    names(others));
        }
        return List.copyOf(exportObjects);
    }

    private static String names(List<StoredObject> objects) {
        String shown = objects.stream()
            .limit(MAX_NAMES_LOGGED)
            .map(StoredObject::name)
            .collect(Collectors.joining(", "));
        return objects.size() > MAX_NAMES_LOGGED ? shown + " and " + (objects.size() - MAX_NAMES_LOGGED) + " more"
                : shown;
    }

}
