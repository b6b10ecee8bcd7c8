package com.loyaltybridge.tagsync.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;

class CompanyRolesTest {

    private static OidcSettings settings(String claim) {
        return new OidcSettings(URI.create("https://login.example.com/realms/company"), "segment-tag-sync",
                "secret-of-the-client", claim, List.of("tagsync-viewer"), List.of("tagsync-operator"), null,
                List.of("openid"));
    }

    private static List<String> roles(String claim, Map<String, Object> claims) {
        return new CompanyRoles(settings(claim)).of(claims).stream().map(GrantedAuthority::getAuthority).toList();
    }

    @Test
    void anOperatorValueMakesAnOperatorWhateverElseTheClaimHolds() {
        assertThat(roles("groups", Map.of("groups", List.of("sales", "tagsync-viewer", "tagsync-operator"))))
            .containsExactly("ROLE_OPERATOR");
        assertThat(roles("groups", Map.of("groups", "tagsync-operator"))).containsExactly("ROLE_OPERATOR");
    }

    @Test
    void aViewerValueMakesAViewerAndNoValueNoRoleAtAll() {
        assertThat(roles("groups", Map.of("groups", List.of("tagsync-viewer")))).containsExactly("ROLE_VIEWER");
        assertThat(roles("groups", Map.of("groups", List.of("sales")))).isEmpty();
        assertThat(roles("groups", Map.of("other", List.of("tagsync-operator")))).as("another claim counts for nothing")
            .isEmpty();
        assertThat(roles("groups", Map.of("groups", 42))).isEmpty();
    }

    @Test
    void aDottedNameReachesIntoNestedClaimsUnlessAClaimHasThatName() {
        assertThat(roles("realm_access.roles", Map.of("realm_access", Map.of("roles", List.of("tagsync-viewer")))))
            .containsExactly("ROLE_VIEWER");
        assertThat(roles("https://example.com/roles", Map.of("https://example.com/roles", List.of("tagsync-operator"))))
            .containsExactly("ROLE_OPERATOR");
    }

    @Test
    void anIssuerNeedsAClientIdAndSecretAndTheSecretIsNeverPrinted() {
        assertThatThrownBy(() -> new OidcSettings(URI.create("https://login.example.com/"), null, "s", "roles",
                List.of("v"), List.of("o"), null, List.of("openid")))
            .hasMessageContaining("oidc.client-id");
        assertThatThrownBy(() -> new OidcSettings(URI.create("https://login.example.com/"), "id", "", "roles",
                List.of("v"), List.of("o"), null, List.of("openid")))
            .hasMessageContaining("OIDC_CLIENTSECRET");
        assertThat(settings("roles").toString()).doesNotContain("secret-of-the-client");
        assertThat(settings("roles").expectedAudience()).isEqualTo("segment-tag-sync");
    }

}
