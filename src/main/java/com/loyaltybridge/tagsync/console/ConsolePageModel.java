package com.loyaltybridge.tagsync.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import com.loyaltybridge.tagsync.api.ApiClient.Role;

/**
 * What every console page shows of who is signed in: a name, a role, and whether the
 * operator's buttons are offered.
 */
@ControllerAdvice(basePackageClasses = ConsolePageModel.class)
@ConditionalOnWebApplication
class ConsolePageModel {

    /** The person signed in; null on the sign-in page. */
    record SignedIn(String name, String role, boolean operator) {
    }

    @ModelAttribute("signedIn")
    SignedIn signedIn(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return null;
        }
        boolean operator = authentication.getAuthorities()
            .stream()
            .map(GrantedAuthority::getAuthority)
            .anyMatch(("ROLE_" + Role.OPERATOR)::equals);
        String name = authentication.getPrincipal() instanceof OidcUser user ? displayName(user)
                : authentication.getName();
        return new SignedIn(name, operator ? "operator" : "viewer", operator);
    }

    private static String displayName(OidcUser user) {
        for (String candidate : new String[] { user.getPreferredUsername(), user.getEmail(), user.getFullName() }) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return user.getSubject();
    }

}
