package com.loyaltybridge.tagsync.ledger;

/**
 * What SessionM holds from us of one audience member's tag; stored in
 * {@code sync_audience_member_tag.status}.
 */
public enum MemberTagStatus {

    /**
     * A call was about to carry the tag: it may have landed. The next plan settles it by
     * reading the tags first.
     */
    SENDING,
    /** SessionM took the tag, or a published bulk file part carries it. */
    TAGGED,
    /**
     * A counter tag found present after an unanswered call: counted as applied (see the
     * in-doubt policy).
     */
    IN_DOUBT,
    /** SessionM refused the customer: the next plan tries again. */
    REJECTED,
    /**
     * The member was not in a later export of the audience: no longer sent, nor
     * refreshed.
     */
    LEFT;

    String literal() {
        return "'" + name() + "'";
    }

}
