package com.loyaltybridge.tagsync.api;

import static org.springframework.security.config.Customizer.withDefaults;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

import com.loyaltybridge.tagsync.api.ApiClient.Role;

/**
 * Who may call what: health is open (Kubernetes probes); everything else needs a client's secret as a bearer
 * token or Basic credentials. Reading needs the viewer role, changing anything the operator role, and the
 * Braze callback the braze role (or operator). Stateless: no session, no cookie, so no CSRF token either.
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
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiClients clients) {
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
                .httpBasic(withDefaults())
                .oauth2ResourceServer(resourceServer -> resourceServer.opaqueToken(token -> token.introspector(clients)))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }
}
