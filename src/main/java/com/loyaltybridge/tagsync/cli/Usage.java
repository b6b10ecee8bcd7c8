package com.loyaltybridge.tagsync.cli;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The text of {@code --help}: the commands' own lines, between what holds for all of
 * them.
 */
final class Usage {

    private static final String HEAD = """
            Usage: java -jar segment-tag-sync.jar COMMAND [--option=value ...] [--spring.property=value ...]

            Commands:
            """;

    private static final String SETTINGS = """
            Settings come from the environment (see .env.example): SESSIONM_CORE_ENDPOINT,
            SESSIONM_CORE_API_KEY, SESSIONM_CORE_API_SECRET, SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME,
            SPRING_DATASOURCE_PASSWORD; offers also SESSIONM_CONNECT_ENDPOINT, SESSIONM_CONNECT_AUTHORIZATION,
            SESSIONM_RETAILER_ID, BRAZE_REST_ENDPOINT, BRAZE_API_KEY. Add --spring.profiles.active=local to use an
            embedded PostgreSQL.

            """;

    private static final String EXIT_CODES = """
            Exit codes: 0 completed; 1 failed (run again to resume); 2 bad usage or configuration;
                        3 completed, but some users were rejected, skipped or are in doubt;
                        4 another process is running this sync.
                        scan: 1 if any export failed or was left for a person (or pruning failed), else 3 if any
                        needs a look, else 0. prune: 0 once done, 1 if it failed (the next one finishes).
            """;

    private Usage() {
    }

    static String text(List<Command> commands) {
        StringBuilder text = new StringBuilder(HEAD);
        for (Command command : commands) {
            text.append(indent(command.summary(), "  " + pad(command.name()), "          "));
        }
        for (Command command : commands) {
            if (!command.options().isEmpty()) {
                text.append('\n')
                    .append(command.name())
                    .append(" options:\n")
                    .append(indent(command.options(), "  ", "  "));
            }
        }
        text.append('\n').append(SETTINGS);
        List<String> withoutOptions = commands.stream()
            .filter(command -> command.options().isEmpty())
            .map(Command::name)
            .toList();
        if (!withoutOptions.isEmpty()) {
            text.append(withoutOptions.size() == 1 ? withoutOptions.get(0)
                    : String.join(", ", withoutOptions.subList(0, withoutOptions.size() - 1)) + " and "
                            + withoutOptions.get(withoutOptions.size() - 1))
                .append(" take no options, only settings (the segments file: SEGMENTS_FILE).\n\n");
        }
        return text.append(EXIT_CODES).toString();
    }

    private static String pad(String name) {
        return String.format("%-8s", name);
    }

    /** {@code lines}, the first after {@code first}, the others after {@code others}. */
    private static String indent(String lines, String first, String others) {
        List<String> all = lines.lines().toList();
        return first + all.get(0) + "\n"
                + all.stream().skip(1).map(line -> others + line + "\n").collect(Collectors.joining());
    }

}
