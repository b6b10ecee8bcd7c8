package com.loyaltybridge.tagsync.cli;

import java.io.PrintStream;
import java.util.Set;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.Order;

import com.loyaltybridge.tagsync.bulkfile.BulkFileSettings;
import com.loyaltybridge.tagsync.scan.ExportScanner;
import com.loyaltybridge.tagsync.scan.ScanReport;
import com.loyaltybridge.tagsync.scan.ScanResult;
import com.loyaltybridge.tagsync.scan.ScanSettings;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.sessionm.SessionmSettings;
import com.loyaltybridge.tagsync.launch.SyncPreconditions;
import com.loyaltybridge.tagsync.retention.LedgerRetention;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/**
 * {@code scan}: one run of the CronJob; syncs the newest complete export of each mapped
 * segment, then one line per export; then prunes what {@code sync.ledger-retention} lets
 * go ({@code prune}), so the database does not grow with every export.
 * {@code scan --dry-run} prints the plan of each export it would sync instead, and prunes
 * nothing.
 */
@Order(2)
final class ScanCommand implements Command {

    @Override
    public String name() {
        return "scan";
    }

    @Override
    public String summary() {
        return """
                Sync the newest complete export of each mapped segment (scan.segments) if not yet synced,
                sending what changed for its audience (a mapping of kind offers: writing the changed offer
                wallets to Braze, as offers does); older exports never synced are superseded (never sent);
                restart a failed run up to scan.max-attempts executions; one line per export and mapping.
                Then prune as the prune command does (not with --dry-run).""";
    }

    @Override
    public String options() {
        return """
                --dry-run             plan the exports the scan would sync and print each plan as sync --dry-run
                                      (or offers --dry-run) does; send nothing, change nothing""";
    }

    @Override
    public boolean web() {
        return false;
    }

    /**
     * Checks the options alone, before anything starts: scan takes only
     * {@code --dry-run}, and settings.
     */
    @Override
    public Invocation parse(CommandLineArguments arguments) {
        arguments.allowOnly(Set.of("dry-run"));
        boolean dryRun = arguments.flag("dry-run");
        return new Invocation() {
            @Override
            public void checkSettings(SettingsCheck.BoundSettings settings) {
                ScanCommand.checkSettings(settings, dryRun);
            }

            @Override
            public ExitCode run(ConfigurableApplicationContext context, PrintStream out, PrintStream err) {
                return ScanCommand.run(context.getBean(ExportScanner.class), context.getBean(LedgerRetention.class),
                        dryRun, out);
            }
        };
    }

    /**
     * Checks the settings a scan needs, before the application starts (see
     * {@link SettingsCheck}). A dry run of a tag sync calls no one and writes no bulk
     * file: it needs neither SessionM's credentials nor an output; one of offer wallets
     * reads them from SessionM Connect, and needs its credentials (see
     * {@link OffersCommand#checkSettings}).
     */
    static void checkSettings(SettingsCheck.BoundSettings settings, boolean dryRun) {
        ScanSettings scan = settings.get(ScanSettings.class);
        if (scan.exportRoots().isEmpty()) {
            throw new UsageException("scan needs scan.export-roots (SCAN_EXPORTROOTS), e.g. s3://braze-exports/");
        }
        if (scan.segments().isEmpty()) {
            throw new UsageException("scan has no segment mappings: set scan.segments (the segments file, see README)");
        }
        for (SegmentMapping segment : scan.segments()) {
            if (segment.mappingKind() == SegmentMapping.Kind.OFFERS) {
                // Even a dry run reads every wallet from SessionM Connect.
                try {
                    OffersCommand.checkSettings(settings, dryRun);
                }
                catch (UsageException e) {
                    throw new UsageException("segment " + segment.segmentId() + ": " + e.getMessage());
                }
            }
            else if (!dryRun) {
                SyncPreconditions
                    .problemWith(segment.syncMode(), segment.output() != null, settings.get(SessionmSettings.class),
                            settings.get(BulkFileSettings.class))
                    .ifPresent(problem -> {
                        throw new UsageException("segment " + segment.segmentId() + ": " + problem);
                    });
            }
        }
    }

    static ExitCode run(ExportScanner scanner, LedgerRetention retention, boolean dryRun, PrintStream out) {
        ScanReport report = scanner.scan(dryRun);
        report.results().stream().map(ScanResult::text).forEach(out::println);
        out.println(report.lastLine());
        boolean pruned = dryRun || prune(retention, out);
        if (report.anyFailed() || !pruned) {
            return ExitCode.FAILED;
        }
        return report.anyNeedsAttention() ? ExitCode.COMPLETED_NEEDS_ATTENTION : ExitCode.COMPLETED;
    }

    /**
     * Prunes after the syncs, so that a sync from before audiences is still there to seed
     * its audience's first sync. A prune that fails fails the scan (the CronJob's failure
     * is what gets noticed); the next scan finishes it.
     */
    private static boolean prune(LedgerRetention retention, PrintStream out) {
        try {
            retention.prune().lines().forEach(out::println);
            return true;
        }
        catch (RuntimeException e) {
            out.println("prune: failed: " + SyncSummaries.explain(e) + "; the next scan or prune tries again");
            return false;
        }
    }

}
