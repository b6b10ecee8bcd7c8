package com.loyaltybridge.tagsync.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.loyaltybridge.tagsync.ledger.MemberTagStatus;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberTagRepository.Member;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Audiences and their members, as each sync of their exports left them (viewer). */
@RestController
@ConditionalOnWebApplication
@RequestMapping("/api/audiences")
@Tag(name = "audiences")
class AudienceController {

    private final Audiences audiences;

    AudienceController(Audiences audiences) {
        this.audiences = audiences;
    }

    @GetMapping
    @Operation(summary = "Audiences by name: segment, identifier, tags and TTL of the last sync, members now, the last"
            + " synced export with its job instance and execution, when it completed, and when the next TTL refreshes are due")
    ApiPage<AudienceView> list(@RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int size) {
        return audiences.list(page, size);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One audience, as in the list")
    AudienceView show(@PathVariable long id) {
        return audiences.view(id);
    }

    @GetMapping("/{id}/members")
    @Operation(
            summary = "Members of the audience by identifier, each with its tags: status, when SessionM took it, when it"
                    + " expires; paged")
    ApiPage<Member> members(@PathVariable long id, @Parameter(
            description = "Only members with a tag in this state; without it, the members now (a tag not LEFT)") @RequestParam(
                    required = false) MemberTagStatus state,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "100") @Min(1) @Max(10000) int size) {
        return audiences.members(id, state, page, size);
    }

}
