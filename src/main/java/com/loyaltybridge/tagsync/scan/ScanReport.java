package com.loyaltybridge.tagsync.scan;

import java.util.List;

/**
 * What one scan did.
 *
 * @param results      one per export the scan handled or had to leave, in order
 * @param syncedBefore exports found already synced by earlier runs (not listed)
 */
public record ScanReport(List<ScanResult> results, int syncedBefore) {

    public boolean anyFailed() {
        return results.stream().anyMatch(ScanResult::failed);
    }

    public boolean anyNeedsAttention() {
        return results.stream().anyMatch(ScanResult::needsAttention);
    }

    public String lastLine() {
        long ran = results.stream().filter(r -> r.action() == ScanResult.Action.RAN).count();
        return "scan: " + ran + " synced now, " + syncedBefore + " synced before, "
                + (results.size() - ran) + " not synced now";
    }
}
