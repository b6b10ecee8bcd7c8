package com.loyaltybridge.tagsync.scan;

import java.util.List;

/**
 * What one scan did.
 *
 * @param results one per export the scan handled or had to leave, segment by segment,
 * oldest export first
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
        long planned = count(ScanResult.Action.PLANNED);
        long ran = count(ScanResult.Action.RAN);
        long superseded = count(ScanResult.Action.SUPERSEDED);
        return "scan: " + (planned > 0 ? planned + " planned (dry run), " : "") + ran + " synced now, " + syncedBefore
                + " synced before, " + (results.size() - ran - planned) + " not synced now"
                + (superseded > 0 ? " (" + superseded + " superseded)" : "");
    }

    private long count(ScanResult.Action action) {
        return results.stream().filter(result -> result.action() == action).count();
    }
}
