package com.loyaltybridge.tagsync.ledger;

/**
 * Why a user of an export is sent (or written to the bulk file); stored in
 * {@code sync_user.send_reason}, where null means the user needs nothing this time.
 */
public enum SendReason {

    /** Not a member of the audience before (or back after leaving): gets the tags. */
    ENTERING,
    /**
     * A member whose expiring tags end before the run's start plus
     * {@code sync.ttl-refresh-before}.
     */
    REFRESH,
    /**
     * SessionM refused it last time, or a call for it may have landed: tried again
     * (settled by reading first).
     */
    RETRY,
    /** Sent whatever the audience's state: no audience, or {@code --full}. */
    FULL;

    String literal() {
        return "'" + name() + "'";
    }

}
