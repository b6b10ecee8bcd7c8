package com.loyaltybridge.tagsync.ledger;

/** Where one user of an export stands; stored in {@code sync_user.state}. */
public enum LedgerState {
    /** Read from the export, nothing sent yet. */
    STAGED,
    /** The intent to call SessionM is committed; until completed, the call may or may not have landed. */
    SENDING,
    /** SessionM confirmed the tags. */
    TAGGED,
    /** Reading the customer's tags showed them present after a call whose outcome was unknown: not sent again. */
    ALREADY_TAGGED,
    /** Counter tags after a call whose outcome was unknown: present but not provably ours, handled by policy. */
    IN_DOUBT,
    /** SessionM refused this user for good; its status and code are recorded. */
    REJECTED;

    boolean isPending() {
        return this == STAGED || this == SENDING;
    }
}
