package com.loyaltybridge.tagsync.cli;

import java.io.PrintStream;
import java.util.Set;

import org.springframework.batch.core.BatchStatus;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.Order;

import com.loyaltybridge.tagsync.brazeapi.BrazeRestSettings;
import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.launch.SyncLauncher;
import com.loyaltybridge.tagsync.launch.SyncOutcome;
import com.loyaltybridge.tagsync.offers.ConnectSettings;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.sync.InvalidSyncRequestException;
import com.loyaltybridge.tagsync.wallet.OfferWalletPreconditions;
import com.loyaltybridge.tagsync.wallet.OfferWalletRequest;
import com.loyaltybridge.tagsync.wallet.OfferWalletSummaries;
import com.loyaltybridge.tagsync.wallet.OfferWalletSummary;

/**
 * {@code offers}: writes one export's offer wallets to its members' Braze profiles, only
 * what changed, and prints a summary.
 */
@Order(4)
final class OffersCommand implements Command {

    static final Set<String> OPTIONS = Set.of("export", "identifier", "culture", "audience", "full", "dry-run");

    @Override
    public String name() {
        return "offers";
    }

    @Override
    public String summary() {
        return """
                Read the SessionM offer wallet of every member of one Braze segment export and write the
                changed ones to the members' Braze profiles (custom attributes), then print a summary.
                Members who left the segment since the last export get their wallet attributes cleared.
                Running the same command again resumes a failed run, or reports a completed one.""";
    }

    @Override
    public String options() {
        return """
                --export=LOCATION     the export folder: s3://bucket/segment-export/SEGMENT_ID/DATE/UUID-EPOCH/
                                      or file:/dir/ with the same content (required)
                --identifier=SOURCE   where the SessionM user_id is: custom_attribute:NAME or alias:LABEL (required)
                --culture=CULTURE     the culture of members without a language in the export (default
                                      sessionm.connect.culture, en-US)
                --audience=NAME       the audience the export belongs to; default its Braze segment
                --full                write every wallet, changed or not
                --dry-run             read and compare every wallet and print what would change and the Braze
                                      requests it would take; write nothing""";
    }

    @Override
    public boolean web() {
        return false;
    }

    @Override
    public Invocation parse(CommandLineArguments arguments) {
        OfferWalletRequest request = requestFrom(arguments);
        boolean dryRun = arguments.flag("dry-run");
        return new Invocation() {
            @Override
            public void checkSettings(SettingsCheck.BoundSettings settings) {
                OffersCommand.checkSettings(settings, dryRun);
            }

            @Override
            public ExitCode run(ConfigurableApplicationContext context, PrintStream out, PrintStream err) {
                return OffersCommand.run(context.getBean(SyncLauncher.class),
                        context.getBean(OfferWalletSummaries.class), request, dryRun, out, err);
            }
        };
    }

    /** Checks the options alone, before anything starts. */
    static OfferWalletRequest requestFrom(CommandLineArguments arguments) {
        arguments.allowOnly(OPTIONS);
        String export = required(arguments, "export",
                "s3://bucket/segment-export/SEGMENT_ID/DATE/UUID-EPOCH/ or file:/dir/");
        String identifier = required(arguments, "identifier", "custom_attribute:sessionm_user_id");
        try {
            return new OfferWalletRequest(location(export), IdentifierSource.parse(identifier),
                    arguments.option("culture"), arguments.option("audience"), arguments.flag("full"));
        }
        catch (InvalidSyncRequestException e) {
            throw new UsageException("--" + e.field() + ": " + e.reason());
        }
        catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Connect's credentials always (every wallet is read); Braze's unless nothing is
     * written.
     */
    static void checkSettings(SettingsCheck.BoundSettings settings, boolean dryRun) {
        OfferWalletPreconditions
            .problemWith(settings.get(ConnectSettings.class), settings.get(BrazeRestSettings.class), dryRun)
            .ifPresent(problem -> {
                throw new UsageException(problem);
            });
    }

    static ExitCode run(SyncLauncher launcher, OfferWalletSummaries summaries, OfferWalletRequest request,
            boolean dryRun, PrintStream out, PrintStream err) {
        SyncLauncher.Launched launched = dryRun ? launcher.dryRun(request, execution -> {
        }) : launcher.launch(request, execution -> {
        });
        OfferWalletSummary summary = launched.execution() == null ? null : summaries.of(launched.execution());
        if (summary != null) {
            out.print(summary.format());
        }
        if (launched.message() != null) {
            (launched.kind() == SyncOutcome.Kind.ALREADY_COMPLETED ? out : err).println(launched.message());
        }
        return switch (launched.kind()) {
            case ALREADY_RUNNING -> ExitCode.ALREADY_RUNNING;
            case REFUSED, SUPERSEDED -> ExitCode.FAILED;
            case RAN, ALREADY_COMPLETED -> summary.status() != BatchStatus.COMPLETED ? ExitCode.FAILED
                    : summary.needsAttention() ? ExitCode.COMPLETED_NEEDS_ATTENTION : ExitCode.COMPLETED;
        };
    }

    private static String required(CommandLineArguments arguments, String name, String example) {
        String value = arguments.option(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("--" + name + " is required, e.g. --" + name + "=" + example);
        }
        return value;
    }

    private static StorageLocation location(String value) {
        try {
            return StorageLocation.parse(value);
        }
        catch (IllegalArgumentException e) {
            throw new UsageException("--export: " + e.getMessage());
        }
    }

}
