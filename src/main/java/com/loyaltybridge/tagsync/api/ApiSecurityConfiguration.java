package com.loyaltybridge.tagsync.api;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;

import com.loyaltybridge.tagsync.api.ApiClient.Role;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what: health is open (Kubernetes probes); everything else needs a client's
 * secret as a bearer token or Basic credentials. Reading needs the viewer role, changing
 * anything the operator role, and the Braze callback the braze role (or operator).
 * Stateless: no session, no cookie, so no CSRF token either.
 * <p>
 * Bearer tokens go through Spring Security's own filter and opaque-token provider, added
 * here by hand rather than through {@code oauth2ResourceServer()}: that configurer also
 * publishes OAuth protected-resource metadata
 * ({@code /.well-known/oauth-protected-resource}, unauthenticated, built from the Host
 * header and claiming certificate-bound tokens) and points every 401 at it. This API has
 * static secrets, no OAuth: it publishes nothing of the sort. Failed logins are logged,
 * counted and, repeated from one address, refused for a while ({@link LoginFailures}).
 * <p>
 * Where the company's identity provider is configured ({@link OidcSettings}), bearer
 * tokens that are none of the clients' secrets are tried as its JWTs: signed with its
 * published keys, issued by it, unexpired, for the configured audience, and carrying a
 * role in the role claim ({@link CompanyRoles}). Still no protected-resource metadata.
 * <p>
 * This chain serves the API, the actuator and the OpenAPI description (and Spring's error
 * page); the console's pages have a chain of their own, with sessions and CSRF tokens,
 * ordered after this one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ApiSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiSecurityConfiguration.class);

    @Bean
    ApiClients apiClients(ApiSettings settings) {
        ApiClients clients = new ApiClients(settings);
        if (clients.noneConfigured()) {
            log.warn(
                    "No API client has a secret (API_VIEWERTOKEN, API_OPERATORTOKEN, API_BRAZETOKEN): only health answers");
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
    CompanyRoles companyRoles(OidcSettings oidc) {
        return new CompanyRoles(oidc);
    }

    /** The paths of this chain; every other one is the console's. */
    static final String[] PATHS = { "/api/**", "/actuator", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**",
            "/.well-known/**", "/error" };

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiClients clients, LoginFailures failures,
            ProblemResponses problems, OidcSettings oidc, CompanyRoles companyRoles) {
        ApiAuthenticationEntryPoint entryPoint = new ApiAuthenticationEntryPoint(failures, problems);
        List<AuthenticationProvider> bearerProviders = new ArrayList<>(
                List.of(new OpaqueTokenAuthenticationProvider(clients)));
        if (oidc.enabled()) {
            bearerProviders.add(companyTokens(oidc, companyRoles));
        }
        // Not beans: as beans, Spring Boot would also register them as servlet filters
        // outside the security chain.
        BearerTokenAuthenticationFilter bearer = new BearerTokenAuthenticationFilter(
                new ProviderManager(bearerProviders));
        bearer.setAuthenticationEntryPoint(entryPoint);
        return http.securityMatcher(PATHS)
            .authorizeHttpRequests(
                    requests -> requests.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**")
                        .permitAll()
                        // Where Spring renders errors of requests already authorized, so
                        // their status is kept.
                        .requestMatchers("/error")
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/braze/**")
                        .hasAnyRole(Role.BRAZE_CALLBACK, Role.OPERATOR)
                        .requestMatchers(HttpMethod.GET, "/api/**", "/v3/api-docs", "/v3/api-docs/**", "/actuator/**")
                        .hasRole(Role.VIEWER)
                        .requestMatchers(HttpMethod.POST, "/api/**")
                        .hasRole(Role.OPERATOR)
                        .anyRequest()
                        .denyAll())
            .authenticationProvider(clients)
            .httpBasic(basic -> basic.authenticationEntryPoint(entryPoint))
            .addFilter(bearer)
            .addFilterBefore(new LoginThrottle(failures, problems), BearerTokenAuthenticationFilter.class)
            .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint))
            .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .csrf(csrf -> csrf.disable())
            .build();
    }

    /**
     * JWTs of the company's identity provider. Its keys are fetched when the first token
     * comes, not at start: the API starts, and its clients' secrets work, while the
     * provider is unreachable.
     */
    private static JwtAuthenticationProvider companyTokens(OidcSettings oidc, CompanyRoles roles) {
        String issuer = oidc.issuerUri().toString();
        JwtDecoder decoder = new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder fromIssuer = (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(issuer);
            fromIssuer
                .setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
                        new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                                audience -> audience != null && audience.contains(oidc.expectedAudience()))));
            return fromIssuer;
        });
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> new ArrayList<>(roles.of(jwt.getClaims())));
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        provider.setJwtAuthenticationConverter(converter);
        return provider;
    }

}
