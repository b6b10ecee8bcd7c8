package com.loyaltybridge.tagsync.api;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The company's identity provider. With {@code issuerUri}, the console signs people in
 * through it (OpenID Connect authorization code flow) instead of the secrets form, and
 * the REST API also accepts the JWTs it issues as bearer tokens (signature by the
 * issuer's published keys, issuer, expiry and audience checked).
 *
 * @param issuerUri the issuer, as its discovery document
 * ({@code /.well-known/openid-configuration}) names it
 * @param clientId the console's client id at the provider
 * @param clientSecret its secret: from the environment ({@code OIDC_CLIENTSECRET}), never
 * logged
 * @param roleClaim the claim of the ID token (or of a bearer JWT) carrying the person's
 * role or roles: a string or a list of strings
 * @param viewerValues values of that claim that make a viewer (reads everything)
 * @param operatorValues values that make an operator (also launches, restarts, stops,
 * abandons)
 * @param audience the audience a bearer JWT of the API must name; unset, the client id
 * @param scopes scopes asked for at sign-in
 */
@ConfigurationProperties("oidc")
public record OidcSettings(@Nullable URI issuerUri, @Nullable String clientId, @Nullable String clientSecret,
        @DefaultValue("roles") String roleClaim, @DefaultValue("viewer") List<String> viewerValues,
        @DefaultValue("operator") List<String> operatorValues, @Nullable String audience, @DefaultValue( {
                "openid", "profile", "email" }) List<String> scopes){

    public OidcSettings {
        if (issuerUri != null) {
            if (!"https".equals(issuerUri.getScheme()) && !"http".equals(issuerUri.getScheme())) {
                throw new IllegalArgumentException(
                        "oidc.issuer-uri must be an https (or, for a local provider, http) URL");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("oidc.client-id is needed with oidc.issuer-uri");
            }
            if (clientSecret == null || clientSecret.isBlank()) {
                throw new IllegalArgumentException(
                        "oidc.client-secret (OIDC_CLIENTSECRET) is needed with" + " oidc.issuer-uri");
            }
        }
        if (roleClaim.isBlank()) {
            throw new IllegalArgumentException("oidc.role-claim must name a claim");
        }
    }

    public boolean enabled() {
        return issuerUri != null;
    }

    /** The audience bearer JWTs must name. */
    public String expectedAudience() {
        return audience == null || audience.isBlank() ? clientId : audience;
    }

    @Override
    public String toString() {
        // A record prints every component: never the secret.
        return "OidcSettings[issuerUri=" + issuerUri + ", clientId=" + clientId + ", roleClaim=" + roleClaim + "]";
    }
}
