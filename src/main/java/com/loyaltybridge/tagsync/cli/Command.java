package com.loyaltybridge.tagsync.cli;

import java.io.PrintStream;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * One command of the command line ({@code sync}, {@code scan}, {@code serve}). A new
 * command is one new class in this package that implements this interface:
 * {@link CommandLineInterface} finds it, dispatches to it by {@link #name()}, and lists
 * it in {@code --help} (in the order of Spring's {@code @Order}).
 * <p>
 * A command is checked in two rounds before anything starts: its options alone
 * ({@link #parse}), then the settings it needs once Spring has gathered them
 * ({@link Invocation#checkSettings}); only then does the application start and
 * {@link Invocation#run} run it. Each refusal is a {@link UsageException}: one line and
 * exit code 2.
 */
interface Command {

    /** The word that selects this command. */
    String name();

    /**
     * What it does, for the list of commands in {@code --help}: lines after the name,
     * indented by the caller.
     */
    String summary();

    /** The help of its options, one per line; empty when it takes none, only settings. */
    String options();

    /**
     * Whether it runs the REST API's web server until stopped; otherwise it runs without
     * one and ends.
     */
    boolean web();

    /**
     * Checks the options alone, before anything starts.
     * @return the command with its options, ready to be run
     * @throws UsageException when an option is missing, unknown or malformed
     */
    Invocation parse(CommandLineArguments arguments);

    /** A command with its options checked. */
    interface Invocation {

        /**
         * Checks the settings this command needs, bound before a single bean exists (see
         * {@link SettingsCheck}).
         * @throws UsageException when one is missing
         */
        void checkSettings(SettingsCheck.BoundSettings settings);

        /**
         * Runs in the started application; what it prints goes to {@code out} and
         * {@code err}.
         */
        ExitCode run(ConfigurableApplicationContext context, PrintStream out, PrintStream err);

    }

}
