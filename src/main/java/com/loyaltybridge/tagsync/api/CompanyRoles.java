package com.loyaltybridge.tagsync.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import com.loyaltybridge.tagsync.api.ApiClient.Role;

/**
 * The role a person from the company's identity provider has here, read from one claim of
 * their token ({@code oidc.role-claim}): an operator value makes an operator, else a
 * viewer value a viewer, else no role at all (signed in, allowed nothing). The claim
 * holds a string or a list of strings; a name with dots that is no claim of its own is
 * followed into nested objects ({@code realm_access.roles}).
 */
public final class CompanyRoles {

    private final OidcSettings settings;

    public CompanyRoles(OidcSettings settings) {
        this.settings = settings;
    }

    public List<GrantedAuthority> of(Map<String, Object> claims) {
        List<String> values = values(claims);
        if (values.stream().anyMatch(settings.operatorValues()::contains)) {
            return List.of(new SimpleGrantedAuthority("ROLE_" + Role.OPERATOR));
        }
        if (values.stream().anyMatch(settings.viewerValues()::contains)) {
            return List.of(new SimpleGrantedAuthority("ROLE_" + Role.VIEWER));
        }
        return List.of();
    }

    /** The claim's name, for messages: which claim a person without a role lacked. */
    public String claim() {
        return settings.roleClaim();
    }

    private List<String> values(Map<String, Object> claims) {
        Object value = claims.get(settings.roleClaim());
        if (value == null && settings.roleClaim().contains(".")) {
            Object nested = claims;
            for (String step : settings.roleClaim().split("\\.")) {
                nested = nested instanceof Map<?, ?> map ? map.get(step) : null;
            }
            value = nested;
        }
        List<String> values = new ArrayList<>();
        if (value instanceof String text) {
            values.add(text);
        }
        else if (value instanceof Collection<?> collection) {
            collection.stream().filter(String.class::isInstance).map(String.class::cast).forEach(values::add);
        }
        return values;
    }

}
