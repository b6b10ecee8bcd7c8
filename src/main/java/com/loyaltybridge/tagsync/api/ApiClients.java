package com.loyaltybridge.tagsync.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Recognizes the {@link ApiClient}s by their secret, from a bearer token (as Spring
 * Security's opaque token introspector) or from Basic credentials (as an authentication
 * provider). Only digests of the secrets are kept, and they are compared in constant
 * time. A client without a configured secret cannot log in.
 */
public final class ApiClients implements OpaqueTokenIntrospector, AuthenticationProvider {

    private final Map<ApiClient, byte[]> digests = new EnumMap<>(ApiClient.class);

    ApiClients(ApiSettings settings) {
        for (ApiClient client : ApiClient.values()) {
            String secret = client.secretIn(settings);
            if (secret != null && !secret.isEmpty()) {
                digests.put(client, digest(secret));
            }
        }
    }

    boolean noneConfigured() {
        return digests.isEmpty();
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String token) {
        ApiClient client = bySecret(token).orElseThrow(() -> new BadOpaqueTokenException("unknown token"));
        return new DefaultOAuth2AuthenticatedPrincipal(client.username(), Map.of("sub", client.username()),
                client.authorities());
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        Object credentials = authentication.getCredentials();
        Optional<ApiClient> client = credentials == null ? Optional.empty()
                : bySecret(credentials.toString()).filter(found -> found.username().equals(username));
        return client.map(
                found -> UsernamePasswordAuthenticationToken.authenticated(found.username(), null, found.authorities()))
            .orElseThrow(() -> new BadCredentialsException("bad credentials"));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private Optional<ApiClient> bySecret(String secret) {
        byte[] presented = digest(secret);
        ApiClient match = null;
        for (Map.Entry<ApiClient, byte[]> entry : digests.entrySet()) {
            if (MessageDigest.isEqual(entry.getValue(), presented)) {
                match = entry.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

}
