package com.loyaltybridge.tagsync.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.batch.core.BatchStatus;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.Order;

import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.bulkfile.BulkFileSettings;
import com.loyaltybridge.tagsync.sessionm.SessionmSettings;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.launch.SyncLauncher;
import com.loyaltybridge.tagsync.sync.InvalidSyncRequestException;
import com.loyaltybridge.tagsync.sync.SyncMode;
import com.loyaltybridge.tagsync.launch.SyncOutcome;
import com.loyaltybridge.tagsync.launch.SyncPreconditions;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncSummary;
import com.loyaltybridge.tagsync.text.UntrustedText;

/** {@code sync}: runs one export to its end and prints its summary. */
@Order(1)
final class SyncCommand implements Command {

    static final Set<String> OPTIONS = Set.of("export", "tags", "ttl", "mode", "identifier", "output", "audience",
            "full", "dry-run");

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public String summary() {
        return """
                Sync one Braze segment export to SessionM tags, then print a summary.
                An export of a segment synced before sends only what changed for its audience.
                Running the same command again resumes a failed run, or reports a completed one.""";
    }

    @Override
    public String options() {
        return """
                --export=LOCATION     the export folder: s3://bucket/segment-export/SEGMENT_ID/DATE/UUID-EPOCH/
                                      or file:/dir/ with the same content (required)
                --tags=A,B            tag names to put on every user (required)
                --ttl=SECONDS         time to live of the tags; leave out for counter tags
                --mode=MODE           api (one call per user), csv (bulk file), or auto (api up to
                                      sync.auto-api-max-users users, csv above); default auto
                --identifier=SOURCE   external_id (default), custom_attribute:NAME or alias:LABEL (these two
                                      hold the SessionM user_id)
                --output=LOCATION     where csv mode writes the bulk file: s3://bucket/prefix/ or file:/dir/
                --audience=NAME       the audience the export belongs to; default its Braze segment (an export
                                      outside Braze's layout without it is synced in full)
                --full                send every member whatever the audience's state (counter tags go up for
                                      everyone); also syncs an export older than the audience's last one
                --dry-run             read and stage the export and print the plan: who would be sent and why,
                                      the calls or rows, the time; send nothing, change nothing""";
    }

    @Override
    public boolean web() {
        return false;
    }

    @Override
    public Invocation parse(CommandLineArguments arguments) {
        SyncRequest request = requestFrom(arguments);
        boolean dryRun = arguments.flag("dry-run");
        return new Invocation() {
            @Override
            public void checkSettings(SettingsCheck.BoundSettings settings) {
                if (!dryRun) {
                    // A dry run calls no one and writes no bulk file: it needs neither
                    // credentials nor an output.
                    SyncCommand.checkSettings(request, settings);
                }
            }

            @Override
            public ExitCode run(ConfigurableApplicationContext context, PrintStream out, PrintStream err) {
                return SyncCommand.run(context.getBean(SyncLauncher.class), request, dryRun, out, err);
            }
        };
    }

    /** Checks the options alone, before anything starts. */
    static SyncRequest requestFrom(CommandLineArguments arguments) {
        arguments.allowOnly(OPTIONS);
        String export = required(arguments, "export",
                "s3://bucket/segment-export/SEGMENT_ID/DATE/UUID-EPOCH/ or file:/dir/");
        String tags = required(arguments, "tags", "vip,braze_sync");
        String output = arguments.option("output");
        try {
            return new SyncRequest(location("export", export), tags(tags), ttl(arguments.option("ttl")),
                    arguments.option("mode") == null ? SyncMode.AUTO : SyncMode.parse(arguments.option("mode")),
                    arguments.option("identifier") == null ? IdentifierSource.EXTERNAL_ID
                            : IdentifierSource.parse(arguments.option("identifier")),
                    output == null ? null : location("output", output), arguments.option("audience"),
                    arguments.flag("full"));
        }
        catch (InvalidSyncRequestException e) {
            throw new UsageException("--" + e.field() + ": " + e.reason());
        }
        catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Runs the request (or its dry run) and prints the summary. */
    static ExitCode run(SyncLauncher launcher, SyncRequest request, boolean dryRun, PrintStream out, PrintStream err) {
        SyncOutcome outcome = dryRun ? launcher.dryRun(request, execution -> {
        }) : launcher.run(request);
        if (outcome.summary() != null) {
            out.print(outcome.summary().format());
        }
        if (outcome.message() != null) {
            (outcome.kind() == SyncOutcome.Kind.ALREADY_COMPLETED ? out : err).println(outcome.message());
        }
        return exitCode(outcome);
    }

    /**
     * Checks the settings the request needs, before the application starts (see
     * {@link SettingsCheck}).
     */
    static void checkSettings(SyncRequest request, SettingsCheck.BoundSettings settings) {
        SyncPreconditions
            .problemWith(request.mode(), request.output() != null, settings.get(SessionmSettings.class),
                    settings.get(BulkFileSettings.class))
            .ifPresent(problem -> {
                throw new UsageException(problem);
            });
    }

    static ExitCode exitCode(SyncOutcome outcome) {
        return switch (outcome.kind()) {
            case ALREADY_RUNNING -> ExitCode.ALREADY_RUNNING;
            case REFUSED, SUPERSEDED -> ExitCode.FAILED;
            case RAN, ALREADY_COMPLETED -> exitCode(outcome.summary());
        };
    }

    private static ExitCode exitCode(SyncSummary summary) {
        if (summary.status() != BatchStatus.COMPLETED) {
            return ExitCode.FAILED;
        }
        return summary.needsAttention() ? ExitCode.COMPLETED_NEEDS_ATTENTION : ExitCode.COMPLETED;
    }

    private static String required(CommandLineArguments arguments, String name, String example) {
        String value = arguments.option(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("--" + name + " is required, e.g. --" + name + "=" + example);
        }
        return value;
    }

    private static StorageLocation location(String option, String value) {
        try {
            return StorageLocation.parse(value);
        }
        catch (IllegalArgumentException e) {
            throw new UsageException("--" + option + ": " + e.getMessage());
        }
    }

    private static List<String> tags(String value) {
        List<String> tags = new ArrayList<>();
        for (String tag : value.split(",", -1)) {
            String name = tag.trim();
            if (name.isEmpty()) {
                throw new UsageException("--tags: empty tag name in " + UntrustedText.quote(value));
            }
            tags.add(name);
        }
        return tags;
    }

    private static Long ttl(String value) {
        if (value == null) {
            return null;
        }
        try {
            long ttl = Long.parseLong(value.trim());
            if (ttl >= 1 && ttl <= Integer.MAX_VALUE) {
                return ttl;
            }
        }
        catch (NumberFormatException e) {
            // falls through to the one message below
        }
        throw new UsageException("--ttl: " + UntrustedText.quote(value) + " is not a number of seconds between 1 and "
                + Integer.MAX_VALUE + " (leave --ttl out for counter tags)");
    }

}
