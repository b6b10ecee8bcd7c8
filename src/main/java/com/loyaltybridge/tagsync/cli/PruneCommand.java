package com.loyaltybridge.tagsync.cli;

import java.io.PrintStream;
import java.util.Set;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.Order;

import com.loyaltybridge.tagsync.retention.LedgerRetention;

/**
 * {@code prune}: deletes the per-user rows of syncs and offers runs past
 * {@code sync.ledger-retention} that can never run again, then one line per run. Every
 * scan does the same at its end; this is for a database no CronJob scans, or to free
 * space now.
 */
@Order(4)
final class PruneCommand implements Command {

    @Override
    public String name() {
        return "prune";
    }

    @Override
    public String summary() {
        return """
                Delete the users' rows of syncs and offers runs that ended more than sync.ledger-retention ago
                (14d) and can never run again (counts, refused and in-doubt users and skipped lines stay); one
                line per run. Every scan does this at its end.""";
    }

    @Override
    public String options() {
        return "";
    }

    @Override
    public boolean web() {
        return false;
    }

    @Override
    public Invocation parse(CommandLineArguments arguments) {
        arguments.allowOnly(Set.of());
        return new Invocation() {
            @Override
            public void checkSettings(SettingsCheck.BoundSettings settings) {
                // PostgreSQL alone, which every command needs and the settings check
                // requires.
            }

            @Override
            public ExitCode run(ConfigurableApplicationContext context, PrintStream out, PrintStream err) {
                context.getBean(LedgerRetention.class).prune().lines().forEach(out::println);
                return ExitCode.COMPLETED;
            }
        };
    }

}
