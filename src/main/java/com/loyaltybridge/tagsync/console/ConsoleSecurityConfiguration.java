package com.loyaltybridge.tagsync.console;

import java.io.IOException;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;

import com.loyaltybridge.tagsync.api.ApiClient.Role;
import com.loyaltybridge.tagsync.api.ApiClients;
import com.loyaltybridge.tagsync.api.CompanyRoles;
import com.loyaltybridge.tagsync.api.LoginFailures;
import com.loyaltybridge.tagsync.api.OidcSettings;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Who may see and do what in the console: every page needs a signed-in viewer or
 * operator, and every action (launch, restart, stop, abandon) the operator role, checked
 * here on the request whatever the page showed. A session cookie (HttpOnly, SameSite=Lax,
 * Secure unless {@code console.secure-cookie=false}), a CSRF token on every POST, a new
 * session id at sign-in, sign-out by POST. People sign in with a client's name and secret
 * (a POST form, never in a URL), or, where the company's identity provider is configured,
 * through it (OpenID Connect) instead. Failed sign-ins count in the API's
 * {@link LoginFailures}: logged, counted and, repeated from one address, refused for a
 * while.
 * <p>
 * Pages carry a Content-Security-Policy that allows only this origin's scripts and styles
 * (no inline script or style, no eval), may not be framed, and send no referrer
 * elsewhere.
 * <p>
 * The API's chain (stateless, tokens) comes first and takes its own paths; this one takes
 * every other.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ConsoleSecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * The session cookie's name, which says whose it is rather than Java's default;
     * application.yml sets it with the cookie's other attributes
     * ({@code server.servlet.session.cookie.*}).
     */
    static final String SESSION_COOKIE = "TAGSYNC_CONSOLE";

    /** The operator's actions: their confirmation pages and the POSTs that do them. */
    private static final String[] OPERATOR_PAGES = { "/launch", "/launch/**", "/executions/*/restart",
            "/executions/*/stop", "/executions/*/abandon" };

    @Bean
    @Order(2)
    SecurityFilterChain consoleSecurity(HttpSecurity http, ApiClients clients, LoginFailures failures,
            OidcSettings oidc, CompanyRoles companyRoles) throws Exception {
        AuthenticationFailureHandler failed = (request, response, refusal) -> signInFailed(request, response, refusal,
                failures);
        // A page asked for before signing in is shown after it; a partial refresh (htmx)
        // is no page to return to.
        HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
        requestCache.setRequestMatcher(new NegatedRequestMatcher(new RequestHeaderRequestMatcher("HX-Request")));
        http.authorizeHttpRequests(requests -> requests
            .requestMatchers(HttpMethod.GET, "/login", "/assets/**", "/webjars/**", "/favicon.ico")
            .permitAll()
            .requestMatchers(OPERATOR_PAGES)
            .hasRole(Role.OPERATOR)
            .requestMatchers(HttpMethod.GET, "/", "/executions", "/executions/**", "/audiences", "/segments")
            .hasRole(Role.VIEWER)
            .requestMatchers(HttpMethod.POST, "/logout")
            .authenticated()
            .anyRequest()
            .denyAll())
            .requestCache(cache -> cache.requestCache(requestCache))
            .sessionManagement(sessions -> sessions.sessionFixation(fixation -> fixation.changeSessionId()))
            .logout(logout -> logout.logoutUrl("/logout")
                .logoutSuccessUrl("/login?signed-out")
                .invalidateHttpSession(true)
                .deleteCookies(SESSION_COOKIE))
            .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                .frameOptions(frame -> frame.deny())
                .addHeaderWriter(
                        new StaticHeadersWriter("Permissions-Policy", "camera=(), microphone=(), geolocation=()")));
        if (oidc.enabled()) {
            http.oauth2Login(login -> login.loginPage("/login")
                .clientRegistrationRepository(new CompanyIdentityProvider(oidc))
                .userInfoEndpoint(userInfo -> userInfo.oidcUserService(withRoles(companyRoles)))
                .defaultSuccessUrl("/executions")
                .failureHandler(failed));
        }
        else {
            http.formLogin(form -> form.loginPage("/login")
                .usernameParameter("client")
                .passwordParameter("secret")
                .defaultSuccessUrl("/executions")
                .failureHandler(failed));
            http.authenticationManager(new ProviderManager(new ConsoleSignIn(clients, failures)));
        }
        return http.build();
    }

    /**
     * A refused sign-in: counted and logged as a failed login (never the secret), then
     * the sign-in page again, saying only that it failed, or, for an address refused for
     * a while, that it must wait.
     */
    private static void signInFailed(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException refusal, LoginFailures failures) throws IOException {
        if (refusal instanceof ConsoleSignIn.Throttled throttled) {
            long seconds = Math.max(1, (throttled.retryAfter().toMillis() + 999) / 1000);
            response.sendRedirect(request.getContextPath() + "/login?throttled=" + seconds);
            return;
        }
        String who = refusal instanceof OAuth2AuthenticationException oauth
                ? "company sign-in refused (" + oauth.getError().getErrorCode() + ")"
                : ConsoleSignIn.presented(request.getParameter("client"), refusal);
        failures.record(request.getRemoteAddr(), who);
        response.sendRedirect(request.getContextPath() + "/login?failed");
    }

    /**
     * The person from the identity provider with the role their claim gives, or refused
     * when it gives none.
     */
    private static OAuth2UserService<OidcUserRequest, OidcUser> withRoles(CompanyRoles roles) {
        OidcUserService delegate = new OidcUserService();
        return request -> {
            OidcUser user = delegate.loadUser(request);
            var authorities = roles.of(user.getClaims());
            if (authorities.isEmpty()) {
                throw new OAuth2AuthenticationException(new OAuth2Error("access_denied",
                        "no viewer or operator value in claim " + roles.claim(), null));
            }
            return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo());
        };
    }

}
