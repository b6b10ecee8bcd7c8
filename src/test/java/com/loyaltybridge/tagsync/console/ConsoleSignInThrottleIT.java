package com.loyaltybridge.tagsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * Repeated failed sign-ins from one address slow it down: after
 * {@code api.max-login-failures} of them, the console refuses even the right secret,
 * without checking it, and so does the API, whose failed logins count in the same tally.
 * A server of its own: its refusals last a minute and would lock the other tests out.
 */
class ConsoleSignInThrottleIT extends SyncTestSupport {

    private static ConsoleServer server;

    @BeforeAll
    static void startServer() {
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.put("api.max-login-failures", "3");
        properties.put("api.login-failure-window", "1m");
        server = ConsoleServer.start(properties);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void afterRepeatedFailuresEvenTheRightSecretIsRefusedForAWhile() {
        try (Browser browser = Browser.at(server.base())) {
            for (int attempt = 1; attempt <= 3; attempt++) {
                browser.signIn("operator", "a-wrong-guess-number-" + attempt + "-000000000");
                assertThat(browser.path()).isEqualTo("/login?failed");
            }

            browser.signIn("operator", ConsoleServer.OPERATOR_SECRET);

            assertThat(browser.path()).startsWith("/login?throttled=");
            assertThat(browser.text("main .problem"))
                .startsWith("Too many failed sign-ins from this address. Try again in")
                .endsWith(" s.");
            browser.open("/executions");
            assertThat(browser.path()).as("not signed in").isEqualTo("/login");
        }
        HttpResponse<String> api = server.get("/api/executions",
                Map.of("Authorization", "Bearer " + ConsoleServer.VIEWER_SECRET));
        assertThat(api.statusCode()).as("the API counts the console's failures too").isEqualTo(429);
        assertThat(api.headers().firstValue("Retry-After")).isPresent();
    }

}
