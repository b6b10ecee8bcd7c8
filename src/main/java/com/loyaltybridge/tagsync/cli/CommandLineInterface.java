package com.loyaltybridge.tagsync.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.util.ClassUtils;

import com.loyaltybridge.tagsync.SegmentTagSyncApplication;
import com.loyaltybridge.tagsync.sync.SyncSummaries;

/**
 * The command line: checks the arguments before anything starts, then starts the
 * application, runs the command, and turns every outcome, failures included, into one
 * clear line and an exit code. The commands are the {@link Command} classes of this
 * package; {@code sync} and {@code scan} run without a web server and end, {@code serve}
 * runs the REST API until stopped.
 */
public final class CommandLineInterface {

    private static final List<Command> COMMANDS = findCommands();

    private final PrintStream out;

    private final PrintStream err;

    public CommandLineInterface(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public ExitCode run(String... args) {
        Command command;
        Command.Invocation invocation;
        try {
            CommandLineArguments arguments = CommandLineArguments.parse(args);
            if (arguments.help()) {
                out.print(Usage.text(COMMANDS));
                return ExitCode.COMPLETED;
            }
            command = COMMANDS.stream()
                .filter(c -> c.name().equals(arguments.command()))
                .findFirst()
                .orElseThrow(() -> new UsageException("unknown command '" + arguments.command() + "'"));
            invocation = command.parse(arguments);
        }
        catch (UsageException e) {
            return usageError(e);
        }

        SettingsCheck settingsCheck = new SettingsCheck(invocation::checkSettings);
        SpringApplication application = application(
                command.web() ? WebApplicationType.SERVLET : WebApplicationType.NONE, settingsCheck);
        try (ConfigurableApplicationContext context = application.run(args)) {
            return invocation.run(context, out, err);
        }
        catch (SpringApplication.AbandonedRunException e) {
            return usageError(settingsCheck.refusal());
        }
        catch (UsageException e) {
            return usageError(e);
        }
        catch (RuntimeException e) {
            return startFailure(e);
        }
    }

    /**
     * Starts the REST API ({@code serve}) and returns its running application; closing it
     * stops the server. {@code args} are the command line after {@code serve}'s own
     * checks (Spring properties).
     */
    public static ConfigurableApplicationContext startServer(String... args) {
        return application(WebApplicationType.SERVLET, new SettingsCheck(settings -> {
        })).run(args);
    }

    /** The {@link Command} classes of this package, in their {@code @Order}. */
    private static List<Command> findCommands() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(Command.class));
        List<Command> commands = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents(Command.class.getPackageName())) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), Command.class.getClassLoader());
            commands.add(BeanUtils.instantiateClass(type, Command.class));
        }
        AnnotationAwareOrderComparator.sort(commands);
        return List.copyOf(commands);
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

    /**
     * The most telling message in the chain, on one line: a binding problem names the
     * setting.
     */
    static String explain(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return SettingsCheck.describe(bind);
            }
        }
        return SyncSummaries.explain(failure);
    }

}
