package com.loyaltybridge.tagsync.cli;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

import com.loyaltybridge.tagsync.SegmentTagSyncApplication;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/**
 * The command line: checks the arguments before anything starts, then starts the application,
 * runs the command, and turns every outcome, failures included, into one clear line and an exit code.
 * {@code sync} and {@code scan} run without a web server and end; {@code serve} runs the REST API until stopped.
 */
public final class CommandLineInterface {

    static final String SERVE = "serve";

    private final PrintStream out;
    private final PrintStream err;

    public CommandLineInterface(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public ExitCode run(String... args) {
        CommandLineArguments arguments;
        SyncRequest request = null;
        try {
            arguments = CommandLineArguments.parse(args);
            if (arguments.help()) {
                out.print(Usage.TEXT);
                return ExitCode.COMPLETED;
            }
            switch (arguments.command()) {
                case SyncCommand.NAME -> request = SyncCommand.requestFrom(arguments);
                case ScanCommand.NAME -> ScanCommand.check(arguments);
                case SERVE -> arguments.allowOnly(Set.of());
                default -> throw new UsageException("unknown command '" + arguments.command() + "'");
            }
        } catch (UsageException e) {
            return usageError(e);
        }

        SyncRequest syncRequest = request;
        SettingsCheck settingsCheck = new SettingsCheck(settings -> {
            if (syncRequest != null) {
                SyncCommand.checkSettings(syncRequest, settings);
            } else if (ScanCommand.NAME.equals(arguments.command())) {
                ScanCommand.checkSettings(settings);
            }
        });
        if (SERVE.equals(arguments.command())) {
            return serveUntilStopped(settingsCheck, args);
        }
        SpringApplication application = application(WebApplicationType.NONE, settingsCheck);
        try (ConfigurableApplicationContext context = application.run(args)) {
            return request != null
                    ? context.getBean(SyncCommand.class).run(request, out, err)
                    : context.getBean(ScanCommand.class).run(out);
        } catch (SpringApplication.AbandonedRunException e) {
            return usageError(settingsCheck.refusal());
        } catch (UsageException e) {
            return usageError(e);
        } catch (RuntimeException e) {
            return startFailure(e);
        }
    }

    /**
     * Starts the REST API ({@code serve}) and returns its running application; closing it stops the server.
     * {@code args} are the command line after {@code serve}'s own checks (Spring properties).
     */
    public static ConfigurableApplicationContext startServer(String... args) {
        return application(WebApplicationType.SERVLET, new SettingsCheck(settings -> {
        })).run(args);
    }

    private ExitCode serveUntilStopped(SettingsCheck settingsCheck, String... args) {
        ConfigurableApplicationContext context;
        try {
            context = application(WebApplicationType.SERVLET, settingsCheck).run(args);
        } catch (SpringApplication.AbandonedRunException e) {
            return usageError(settingsCheck.refusal());
        } catch (RuntimeException e) {
            return startFailure(e);
        }
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        try {
            // Spring's shutdown hook closes the context on SIGTERM; until then the server threads do the work.
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.close();
        }
        return ExitCode.COMPLETED;
    }

    private static SpringApplication application(WebApplicationType type, SettingsCheck settingsCheck) {
        SpringApplication application = new SpringApplication(SegmentTagSyncApplication.class);
        application.setWebApplicationType(type);
        application.setLogStartupInfo(false);
        application.addListeners(settingsCheck);
        return application;
    }

    private ExitCode usageError(UsageException e) {
        err.println("error: " + e.getMessage());
        err.println("Run with --help for usage.");
        return ExitCode.USAGE;
    }

    private ExitCode startFailure(RuntimeException e) {
        err.println("error: " + explain(e));
        return isConfigurationProblem(e) ? ExitCode.USAGE : ExitCode.FAILED;
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
