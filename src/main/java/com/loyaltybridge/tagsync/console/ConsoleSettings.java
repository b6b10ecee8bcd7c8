package com.loyaltybridge.tagsync.console;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operations console of {@code serve}: its pages at {@code /}, signed in with the API
 * clients' secrets, or through the company's identity provider when
 * {@code oidc.issuer-uri} is set (see {@code api.OidcSettings}).
 *
 * @param secureCookie the session cookie is sent over HTTPS only; turn off only for
 * {@code http://} outside localhost (browsers keep Secure cookies of
 * {@code http://localhost}, as a port-forward is)
 * @param progressRefresh how often a page showing a running sync asks for its progress
 * again, in whole seconds: each time it costs the API's counts of that sync (a count of
 * its ledger rows by state)
 * @param pageSize rows per page of the executions, rejected users and skipped lines
 */
@ConfigurationProperties("console")
public record ConsoleSettings(@DefaultValue("true") boolean secureCookie, @DefaultValue("3s") Duration progressRefresh,
        @DefaultValue("25") int pageSize) {

    public ConsoleSettings {
        if (progressRefresh.compareTo(Duration.ofSeconds(1)) < 0
                || progressRefresh.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("console.progress-refresh must be between 1s and 5m");
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("console.page-size must be between 1 and 1000");
        }
    }
}
