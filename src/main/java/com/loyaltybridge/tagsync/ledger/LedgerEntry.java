package com.loyaltybridge.tagsync.ledger;

import java.util.List;

/**
 * A user of the ledger still to be tagged, as read back for the tagging step.
 *
 * @param tags the tags this user is sent; null for all of the sync's tags
 */
public record LedgerEntry(long userSeq, String identifier, LedgerState state, List<String> tags) {

    /** A user sent all of the sync's tags. */
    public LedgerEntry(long userSeq, String identifier, LedgerState state) {
        this(userSeq, identifier, state, null);
    }

    /** The tags this user is sent, given the sync's. */
    public List<String> tagsOf(List<String> syncTags) {
        return tags == null ? syncTags : tags;
    }
}
