package com.loyaltybridge.tagsync.cli;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.annotation.Order;

/** {@code serve}: runs the REST API and the operations console until stopped. */
@Order(3)
final class ServeCommand implements Command {

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "Run the REST API (launch, list, restart, stop, abandon; Braze's callback) and the console until stopped.";
    }

    @Override
    public String options() {
        return "";
    }

    @Override
    public boolean web() {
        return true;
    }

    @Override
    public Invocation parse(CommandLineArguments arguments) {
        arguments.allowOnly(Set.of());
        return new Invocation() {
            @Override
            public void checkSettings(SettingsCheck.BoundSettings settings) {
                // The API checks what each launch needs when it comes.
            }

            @Override
            public ExitCode run(ConfigurableApplicationContext context, PrintStream out, PrintStream err) {
                CountDownLatch closed = new CountDownLatch(1);
                context.addApplicationListener(event -> {
                    if (event instanceof ContextClosedEvent) {
                        closed.countDown();
                    }
                });
                try {
                    // Spring's shutdown hook closes the context on SIGTERM; until then
                    // the server threads do the work.
                    closed.await();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    context.close();
                }
                return ExitCode.COMPLETED;
            }
        };
    }

}
