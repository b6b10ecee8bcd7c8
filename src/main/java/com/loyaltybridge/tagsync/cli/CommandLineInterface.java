package com.loyaltybridge.tagsync.cli;

import java.io.PrintStream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.context.ConfigurableApplicationContext;

import com.loyaltybridge.tagsync.SegmentTagSyncApplication;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/**
 * The command line: checks the arguments before anything starts, then starts the application,
 * runs the command, and turns every outcome, failures included, into one clear line and an exit code.
 */
public final class CommandLineInterface {

    private final PrintStream out;
    private final PrintStream err;

    public CommandLineInterface(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public ExitCode run(String... args) {
        CommandLineArguments arguments;
        SyncRequest request;
        try {
            arguments = CommandLineArguments.parse(args);
            if (arguments.help()) {
                out.print(Usage.TEXT);
                return ExitCode.COMPLETED;
            }
            if (!SyncCommand.NAME.equals(arguments.command())) {
                throw new UsageException("unknown command '" + arguments.command() + "'");
            }
            request = SyncCommand.requestFrom(arguments);
        } catch (UsageException e) {
            return usageError(e);
        }

        SpringApplication application = new SpringApplication(SegmentTagSyncApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setLogStartupInfo(false);
        SettingsCheck settingsCheck = new SettingsCheck(settings -> SyncCommand.checkSettings(request, settings));
        application.addListeners(settingsCheck);
        try (ConfigurableApplicationContext context = application.run(args)) {
            return context.getBean(SyncCommand.class).run(request, out, err);
        } catch (SpringApplication.AbandonedRunException e) {
            return usageError(settingsCheck.refusal());
        } catch (UsageException e) {
            return usageError(e);
        } catch (RuntimeException e) {
            err.println("error: " + explain(e));
            return isConfigurationProblem(e) ? ExitCode.USAGE : ExitCode.FAILED;
        }
    }

    private ExitCode usageError(UsageException e) {
        err.println("error: " + e.getMessage());
        err.println("Run with --help for usage.");
        return ExitCode.USAGE;
    }

    private static boolean isConfigurationProblem(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException || cause instanceof UsageException) {
                return true;
            }
        }
        return false;
    }

    /** The most telling message in the chain, on one line: a binding problem names the setting. */
    static String explain(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return SettingsCheck.describe(bind);
            }
        }
        return SyncSummaries.explain(failure);
    }
}
