package com.loyaltybridge.tagsync.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The Segments page: each mapped segment, its settings and its exports with what became of them. */
@Controller
@ConditionalOnWebApplication
class SegmentsPage {

    private final SegmentMappingsOverview overview;

    SegmentsPage(SegmentMappingsOverview overview) {
        this.overview = overview;
    }

    @GetMapping("/segments")
    String segments(Model model) {
        model.addAttribute("view", overview.view());
        return "console/segments";
    }
}
