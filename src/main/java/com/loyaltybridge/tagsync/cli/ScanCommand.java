package com.loyaltybridge.tagsync.cli;

import java.io.PrintStream;
import java.util.Set;

import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.bulkfile.BulkFileSettings;
import com.loyaltybridge.tagsync.scan.ExportScanner;
import com.loyaltybridge.tagsync.scan.ScanReport;
import com.loyaltybridge.tagsync.scan.ScanResult;
import com.loyaltybridge.tagsync.scan.ScanSettings;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.sessionm.SessionmSettings;
import com.loyaltybridge.tagsync.launch.SyncPreconditions;

/** {@code scan}: one run of the CronJob; syncs every complete export of the mapped segments, then one line per export. */
@Component
public class ScanCommand {

    static final String NAME = "scan";

    private final ExportScanner scanner;

    public ScanCommand(ExportScanner scanner) {
        this.scanner = scanner;
    }

    /** Checks the options alone, before anything starts: scan takes none, only settings. */
    static void check(CommandLineArguments arguments) {
        arguments.allowOnly(Set.of());
    }

    /** Checks the settings a scan needs, before the application starts (see {@link SettingsCheck}). */
    static void checkSettings(SettingsCheck.BoundSettings settings) {
        ScanSettings scan = settings.get(ScanSettings.class);
        if (scan.exportRoots().isEmpty()) {
            throw new UsageException("scan needs scan.export-roots (SCAN_EXPORTROOTS), e.g. s3://braze-exports/");
        }
        if (scan.segments().isEmpty()) {
            throw new UsageException("scan has no segment mappings: set scan.segments (the segments file, see README)");
        }
        for (SegmentMapping segment : scan.segments()) {
            SyncPreconditions.problemWith(segment.syncMode(), segment.output() != null, settings.get(SessionmSettings.class),
                    settings.get(BulkFileSettings.class)).ifPresent(problem -> {
                        throw new UsageException("segment " + segment.segmentId() + ": " + problem);
                    });
        }
    }

    ExitCode run(PrintStream out) {
        ScanReport report = scanner.scan();
        report.results().stream().map(ScanResult::line).forEach(out::println);
        out.println(report.lastLine());
        if (report.anyFailed()) {
            return ExitCode.FAILED;
        }
        return report.anyNeedsAttention() ? ExitCode.COMPLETED_NEEDS_ATTENTION : ExitCode.COMPLETED;
    }
}
