package com.loyaltybridge.tagsync.api;

import java.io.IOException;
import java.util.Arrays;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationConverter;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every 401 of the API: a request without credentials, or whose credentials (Basic or
 * bearer, well-formed or not) were refused. A refusal is a failed login, recorded in
 * {@link LoginFailures}. The challenge names both schemes and nothing else: Spring
 * Security's bearer entry point adds {@code resource_metadata}, a URL built from the
 * caller's Host header that points at an OAuth metadata endpoint this API does not have
 * (its tokens are static secrets).
 */
final class ApiAuthenticationEntryPoint implements AuthenticationEntryPoint {

    static final String REALM = "segment-tag-sync";

    private final LoginFailures failures;

    private final ProblemResponses problems;

    ApiAuthenticationEntryPoint(LoginFailures failures, ProblemResponses problems) {
        this.failures = failures;
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException refusal)
            throws IOException {
        // Spring Security starts authentication with this exception when a request
        // carries no credentials it reads.
        boolean presentedCredentials = !(refusal instanceof InsufficientAuthenticationException);
        if (presentedCredentials) {
            failures.record(request.getRemoteAddr(), presented(request));
        }
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\""
                + (refusal instanceof OAuth2AuthenticationException ? ", error=\"invalid_token\"" : ""));
        problems.write(response, HttpStatus.UNAUTHORIZED, presentedCredentials ? "the credentials were not accepted"
                : "credentials needed: a client's secret as a bearer token or Basic password");
    }

    /**
     * What the refused request presented, in our words: a client name only when it is one
     * of ours.
     */
    private static String presented(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            return "no credentials";
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String name;
            try {
                var credentials = new BasicAuthenticationConverter().convert(request);
                name = credentials == null ? null : credentials.getName();
            }
            catch (AuthenticationException malformed) {
                return "malformed Basic credentials";
            }
            return Arrays.stream(ApiClient.values())
                .map(ApiClient::username)
                .filter(username -> username.equals(name))
                .findFirst()
                .map(client -> "Basic credentials of client " + client)
                .orElse("Basic credentials of a user name that is no client");
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "a bearer token that is no client's";
        }
        return "credentials of an unknown scheme";
    }

}
