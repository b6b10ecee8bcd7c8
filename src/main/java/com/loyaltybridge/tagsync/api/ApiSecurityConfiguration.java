package com.loyaltybridge.tagsync.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;

import com.loyaltybridge.tagsync.api.ApiClient.Role;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what: health is open (Kubernetes probes); everything else needs a client's secret as a bearer
 * token or Basic credentials. Reading needs the viewer role, changing anything the operator role, and the
 * Braze callback the braze role (or operator). Stateless: no session, no cookie, so no CSRF token either.
 * <p>
 * Bearer tokens go through Spring Security's own filter and opaque-token provider, added here by hand rather than
 * through {@code oauth2ResourceServer()}: that configurer also publishes OAuth protected-resource metadata
 * ({@code /.well-known/oauth-protected-resource}, unauthenticated, built from the Host header and claiming
 * certificate-bound tokens) and points every 401 at it. This API has static secrets, no OAuth: it publishes nothing
 * of the sort. Failed logins are logged, counted and, repeated from one address, refused for a while
 * ({@link LoginFailures}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ApiSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiSecurityConfiguration.class);

    @Bean
    ApiClients apiClients(ApiSettings settings) {
        ApiClients clients = new ApiClients(settings);
        if (clients.noneConfigured()) {
            log.warn("No API client has a secret (API_VIEWERTOKEN, API_OPERATORTOKEN, API_BRAZETOKEN): only health answers");
        }
        return clients;
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix().role(Role.OPERATOR).implies(Role.VIEWER).build();
    }

    @Bean
    ProblemResponses problemResponses(JsonMapper jsonMapper) {
        return new ProblemResponses(jsonMapper);
    }

    @Bean
    LoginFailures loginFailures(ApiSettings settings, MeterRegistry registry) {
        return new LoginFailures(settings, registry);
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiClients clients, LoginFailures failures, ProblemResponses problems) {
        ApiAuthenticationEntryPoint entryPoint = new ApiAuthenticationEntryPoint(failures, problems);
        // Not beans: as beans, Spring Boot would also register them as servlet filters outside the security chain.
        BearerTokenAuthenticationFilter bearer = new BearerTokenAuthenticationFilter(
                new ProviderManager(new OpaqueTokenAuthenticationProvider(clients)));
        bearer.setAuthenticationEntryPoint(entryPoint);
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        // Where Spring renders errors of requests already authorized, so their status is kept.
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/braze/**").hasAnyRole(Role.BRAZE_CALLBACK, Role.OPERATOR)
                        .requestMatchers(HttpMethod.GET, "/api/**", "/v3/api-docs", "/v3/api-docs/**", "/actuator/**")
                                .hasRole(Role.VIEWER)
                        .requestMatchers(HttpMethod.POST, "/api/**").hasRole(Role.OPERATOR)
                        .anyRequest().denyAll())
                .authenticationProvider(clients)
                .httpBasic(basic -> basic.authenticationEntryPoint(entryPoint))
                .addFilter(bearer)
                .addFilterBefore(new LoginThrottle(failures, problems), BearerTokenAuthenticationFilter.class)
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }
}
