package com.loyaltybridge.tagsync.scan;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.ledger.SyncExportReadyRepository;
import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.StoredObject;

/**
 * Finds a segment's exports under the export roots and tells which are complete: Braze's
 * callback said so, or no object in the folder is younger than {@code scan.settle-time}.
 */
@Component
public class ExportDiscovery {

    private static final Logger log = LoggerFactory.getLogger(ExportDiscovery.class);

    private final ObjectStore store;

    private final SyncExportReadyRepository readiness;

    private final ScanSettings settings;

    private final Clock clock = Clock.systemUTC();

    public ExportDiscovery(ObjectStore store, SyncExportReadyRepository readiness, ScanSettings settings) {
        this.store = store;
        this.readiness = readiness;
        this.settings = settings;
    }

    /** Every export of {@code segmentId} under every root, oldest first. */
    public List<SegmentExport> exportsOf(String segmentId) {
        List<SegmentExport> exports = new ArrayList<>();
        for (var root : settings.roots()) {
            var segmentFolder = SegmentExport.segmentFolder(root, segmentId);
            for (String date : store.listFolders(segmentFolder)) {
                for (String name : store.listFolders(segmentFolder.resolve(date))) {
                    Optional<SegmentExport> export = SegmentExport.of(root, segmentId, date, name);
                    if (export.isPresent()) {
                        exports.add(export.get());
                    }
                    else {
                        log.debug("Ignoring {}{}/{}/: not a Braze export folder", segmentFolder, date, name);
                    }
                }
            }
        }
        exports.sort(SegmentExport.OLDEST_FIRST);
        return exports;
    }

    /**
     * Whether {@code export} is complete, and if not, since when its newest object has
     * been there.
     */
    public Completeness completenessOf(SegmentExport export) {
        if (readiness.isReady(export.folder())) {
            return Completeness.COMPLETE;
        }
        Optional<Instant> newest = store.list(export.folder())
            .stream()
            .map(StoredObject::lastModified)
            .max(Comparator.naturalOrder());
        if (newest.isEmpty()) {
            return new Completeness(false, null);
        }
        return new Completeness(!newest.get().plus(settings.settleTime()).isAfter(clock.instant()), newest.get());
    }

    /** The newest complete export of {@code segmentId}, if there is one. */
    public Optional<SegmentExport> newestComplete(String segmentId) {
        List<SegmentExport> exports = exportsOf(segmentId);
        for (int i = exports.size() - 1; i >= 0; i--) {
            if (completenessOf(exports.get(i)).complete()) {
                return Optional.of(exports.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * @param newestObject when the newest object of the export was written; null when it
     * has none or Braze said it is complete
     */
    public record Completeness(boolean complete, Instant newestObject) {
        static final Completeness COMPLETE = new Completeness(true, null);

    }

}
