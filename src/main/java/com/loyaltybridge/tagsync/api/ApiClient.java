package com.loyaltybridge.tagsync.api;

import java.util.List;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The callers of the REST API: each has one secret, shown as a bearer token or as its
 * Basic password.
 */
public enum ApiClient {

    /** Reads executions, users, metrics and the API description. */
    VIEWER("viewer", Role.VIEWER),
    /** Everything a viewer does, and launches, restarts, stops and abandons syncs. */
    OPERATOR("operator", Role.OPERATOR),
    /** Braze itself: posts export completion callbacks, nothing else. */
    BRAZE("braze", Role.BRAZE_CALLBACK);

    /**
     * Roles of {@code hasRole} rules; an operator also has every viewer right (role
     * hierarchy).
     */
    public static final class Role {

        public static final String VIEWER = "VIEWER";

        public static final String OPERATOR = "OPERATOR";

        public static final String BRAZE_CALLBACK = "BRAZE_CALLBACK";

        private Role() {
        }

    }

    private final String username;

    private final String role;

    ApiClient(String username, String role) {
        this.username = username;
        this.role = role;
    }

    public String username() {
        return username;
    }

    List<GrantedAuthority> authorities() {
        return List.of(new SimpleGrantedAuthority("ROLE_" + role));
    }

    String secretIn(ApiSettings settings) {
        return switch (this) {
            case VIEWER -> settings.viewerToken();
            case OPERATOR -> settings.operatorToken();
            case BRAZE -> settings.brazeToken();
        };
    }

}
