package com.loyaltybridge.tagsync.cli;

/**
 * The jar's entry point (Spring Boot's start class, set in the pom): the command line,
 * whose exit code ends the process. The application class knows nothing of the command
 * line; the command line starts the application.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLineInterface(System.out, System.err).run(args).code());
    }

}
