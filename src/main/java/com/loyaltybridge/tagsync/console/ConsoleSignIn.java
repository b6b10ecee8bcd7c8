package com.loyaltybridge.tagsync.console;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import com.loyaltybridge.tagsync.api.ApiClient;
import com.loyaltybridge.tagsync.api.ApiClients;
import com.loyaltybridge.tagsync.api.LoginFailures;

/**
 * Signing in to the console with a client's name and secret, checked by the API's own
 * {@link ApiClients}. Only the viewer and the operator may: the braze client's secret is
 * refused like a wrong one. An address that failed to log in too often (to the API or
 * here: one {@link LoginFailures}) is refused before its secret is even checked, so a
 * guess then learns nothing.
 */
final class ConsoleSignIn implements AuthenticationProvider {

    private static final Set<String> CONSOLE_ROLES = Set.of("ROLE_" + ApiClient.Role.VIEWER,
            "ROLE_" + ApiClient.Role.OPERATOR);

    private final ApiClients clients;

    private final LoginFailures failures;

    ConsoleSignIn(ApiClients clients, LoginFailures failures) {
        this.clients = clients;
        this.failures = failures;
    }

    /** Sign-ins from an address refused for a while after too many failed logins. */
    static final class Throttled extends AuthenticationException {

        private final Duration retryAfter;

        Throttled(Duration retryAfter) {
            super("too many failed logins from this address");
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }

    }

    /**
     * A client that exists but may not use the console (braze): refused like a bad
     * secret, logged as what it is.
     */
    static final class NotForConsole extends BadCredentialsException {

        NotForConsole() {
            super("bad credentials");
        }

    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Optional<Duration> refused = failures.refusedFor(addressOf(authentication));
        if (refused.isPresent()) {
            throw new Throttled(refused.get());
        }
        Authentication signedIn = clients.authenticate(authentication);
        if (signedIn.getAuthorities().stream().map(GrantedAuthority::getAuthority).noneMatch(CONSOLE_ROLES::contains)) {
            throw new NotForConsole();
        }
        return signedIn;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    static String addressOf(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress()
                : "unknown";
    }

    /**
     * What a refused sign-in presented, in our words: a client name only when it is one
     * of ours, never the secret.
     */
    static String presented(String name, AuthenticationException refusal) {
        boolean client = Arrays.stream(ApiClient.values())
            .map(ApiClient::username)
            .anyMatch(username -> username.equals(name));
        if (refusal instanceof NotForConsole) {
            return "console sign-in as client " + name + ", which may not use the console";
        }
        return client ? "console sign-in as client " + name : "console sign-in as a name that is no client";
    }

}
