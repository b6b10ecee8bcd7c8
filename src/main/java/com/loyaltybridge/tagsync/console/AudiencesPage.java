package com.loyaltybridge.tagsync.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The Audiences page: each audience and mapped segment, its members, refresh wave, runs
 * and exports.
 */
@Controller
@ConditionalOnWebApplication
class AudiencesPage {

    private final AudiencesOverview overview;

    AudiencesPage(AudiencesOverview overview) {
        this.overview = overview;
    }

    @GetMapping("/audiences")
    String audiences(Model model) {
        model.addAttribute("view", overview.view());
        return "console/audiences";
    }

    /** The page's name before audiences: old bookmarks still land. */
    @GetMapping("/segments")
    String segments() {
        return "redirect:/audiences";
    }

}
