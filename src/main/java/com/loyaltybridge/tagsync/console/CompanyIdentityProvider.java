package com.loyaltybridge.tagsync.console;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;

import com.loyaltybridge.tagsync.api.OidcSettings;

/**
 * The company's identity provider as Spring Security's OAuth2 login knows it: one
 * registration, {@value #REGISTRATION_ID}, read from the issuer's discovery document when
 * someone first signs in rather than at start, so that the console starts (and the API
 * answers) while the provider is unreachable; a failed read is tried again at the next
 * sign-in.
 */
final class CompanyIdentityProvider implements ClientRegistrationRepository {

    static final String REGISTRATION_ID = "company";

    private final OidcSettings settings;

    private volatile ClientRegistration registration;

    CompanyIdentityProvider(OidcSettings settings) {
        this.settings = settings;
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        if (!REGISTRATION_ID.equals(registrationId)) {
            return null;
        }
        ClientRegistration known = registration;
        if (known == null) {
            known = ClientRegistrations.fromIssuerLocation(settings.issuerUri().toString())
                .registrationId(REGISTRATION_ID)
                .clientId(settings.clientId())
                .clientSecret(settings.clientSecret())
                .scope(settings.scopes())
                .build();
            registration = known;
        }
        return known;
    }

}
