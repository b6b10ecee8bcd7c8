package com.loyaltybridge.tagsync.ledger;

import java.util.Arrays;
import java.util.stream.Collectors;

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

    /** Still to be tagged: nothing sent yet, or a call whose outcome is not known yet. */
    public boolean isPending() {
        return this == STAGED || this == SENDING;
    }

    /** This state as the SQL literal stored in {@code sync_user.state}: the ledger's statements are built from it. */
    String literal() {
        return "'" + name() + "'";
    }

    /**
     * Kept as long as the execution is, when a sync's other users' rows are pruned (see {@code sync.ledger-retention}):
     * the users a person may have to look at.
     */
    public boolean isKeptAfterPruning() {
        return this == REJECTED || this == IN_DOUBT;
    }

    /** The states kept after pruning as an SQL list, for {@code state NOT IN (...)}. */
    static String keptAfterPruningLiterals() {
        return Arrays.stream(values()).filter(LedgerState::isKeptAfterPruning).map(LedgerState::literal)
                .collect(Collectors.joining(", "));
    }

    /** The pending states as an SQL list, for {@code state IN (...)}. */
    static String pendingLiterals() {
        return Arrays.stream(values()).filter(LedgerState::isPending).map(LedgerState::literal).collect(Collectors.joining(", "));
    }
}
