package com.loyaltybridge.tagsync.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code COMMAND [--option=value ...] [--flag ...]}: the command, its options and flags,
 * and Spring property overrides (any option whose name has a dot, such as
 * {@code --sessionm.max-in-flight=64}), which are left to Spring.
 */
public record CommandLineArguments(String command, Map<String, String> options, boolean help) {

    /**
     * The value of an option given without one: a flag ({@link #flag}); an option that
     * needs a value refuses it.
     */
    private static final String NO_VALUE = "\0no value";

    public static CommandLineArguments parse(String[] args) {
        String command = null;
        Map<String, String> options = new LinkedHashMap<>();
        boolean help = false;
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            }
            else if (arg.startsWith("--")) {
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
                if (name.isEmpty()) {
                    throw new UsageException("'" + arg + "' is not an option");
                }
                if (name.contains(".")) {
                    continue;
                }
                if (options.putIfAbsent(name, equals < 0 ? NO_VALUE : arg.substring(equals + 1)) != null) {
                    throw new UsageException("option --" + name + " is given twice");
                }
            }
            else if (command == null) {
                command = arg;
            }
            else {
                throw new UsageException("unexpected argument '" + arg + "': options are written --name=value");
            }
        }
        if (command == null && !help) {
            throw new UsageException("no command given");
        }
        return new CommandLineArguments(command, options, help);
    }

    /** Refuses options this command does not know. */
    public void allowOnly(Set<String> known) {
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new UsageException("unknown option --" + name + " for command " + command);
            }
        }
    }

    /** The value of option {@code name}; null when it was not given. */
    public String option(String name) {
        String value = options.get(name);
        if (NO_VALUE.equals(value)) {
            throw new UsageException("option --" + name + " needs a value: --" + name + "=VALUE");
        }
        return value;
    }

    /**
     * Whether flag {@code name} was given: {@code --name}, or {@code --name=true} /
     * {@code --name=false}.
     */
    public boolean flag(String name) {
        String value = options.get(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals(NO_VALUE) || value.equals("true")) {
            return true;
        }
        throw new UsageException("--" + name + " takes no value (or true, false), not '" + value + "'");
    }
}
