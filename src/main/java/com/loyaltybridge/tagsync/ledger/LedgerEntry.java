package com.loyaltybridge.tagsync.ledger;

/** A user of the ledger still to be tagged, as read back for the tagging step. */
public record LedgerEntry(long userSeq, String identifier, LedgerState state) {
}
