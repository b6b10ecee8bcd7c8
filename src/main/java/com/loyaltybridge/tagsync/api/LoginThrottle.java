package com.loyaltybridge.tagsync.api;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses, with 429 and Retry-After, a request with credentials from an address that
 * failed to log in too often (see {@link LoginFailures}), before its credentials are
 * checked: a guess then learns nothing. Requests without credentials (health probes)
 * pass.
 */
final class LoginThrottle extends OncePerRequestFilter {

    private final LoginFailures failures;

    private final ProblemResponses problems;

    LoginThrottle(LoginFailures failures, ProblemResponses problems) {
        this.failures = failures;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Duration> refused = request.getHeader(HttpHeaders.AUTHORIZATION) == null ? Optional.empty()
                : failures.refusedFor(request.getRemoteAddr());
        if (refused.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, (refused.get().toMillis() + 999) / 1000);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        problems.write(response, HttpStatus.TOO_MANY_REQUESTS,
                "too many failed logins from this address; try again in " + seconds + " s");
    }

}
