package com.loyaltybridge.tagsync.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import com.loyaltybridge.tagsync.api.OidcSettings;

/**
 * The sign-in page: the form of a client's name and secret (posted to Spring Security's
 * {@code /login}), or the link to the company's identity provider where one is
 * configured. A refusal says only that signing in failed, never which part was wrong; an
 * address refused for a while is told how long to wait.
 */
@Controller
@ConditionalOnWebApplication
class SignInPage {

    private final OidcSettings oidc;

    SignInPage(OidcSettings oidc) {
        this.oidc = oidc;
    }

    @GetMapping("/login")
    String signIn(@RequestParam(required = false) String failed, @RequestParam(required = false) String throttled,
            @RequestParam(name = "signed-out", required = false) String signedOut, Model model) {
        model.addAttribute("company", oidc.enabled());
        model.addAttribute("companyPath", "/oauth2/authorization/" + CompanyIdentityProvider.REGISTRATION_ID);
        model.addAttribute("failed", failed != null);
        model.addAttribute("throttledSeconds", throttled == null ? null : seconds(throttled));
        model.addAttribute("signedOut", signedOut != null);
        return "console/login";
    }

    /**
     * The wait the refusal named, as a number only: the page never repeats text from its
     * URL.
     */
    private static Long seconds(String value) {
        try {
            return Math.max(1, Math.min(86_400, Long.parseLong(value)));
        }
        catch (NumberFormatException e) {
            return 60L;
        }
    }

}
