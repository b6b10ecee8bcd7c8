package com.loyaltybridge.tagsync.ledger;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where one user of an export stands; stored in {@code sync_user.state}. The tag sync's
 * users go from {@link #STAGED} through {@link #SENDING} to {@link #TAGGED},
 * {@link #ALREADY_TAGGED}, {@link #IN_DOUBT} or {@link #REJECTED}; the offers job's
 * members (and its leavers, {@code sync_wallet_leaver.state}) to {@link #WRITTEN},
 * {@link #UNCHANGED}, {@link #CHANGED} (dry run), {@link #REJECTED} or {@link #REFUSED}.
 */
public enum LedgerState {

    /** Read from the export, nothing sent yet. */
    STAGED,
    /**
     * The intent to call SessionM (the offers job: to write the member's attributes to
     * Braze) is committed; until completed, the call may or may not have landed.
     */
    SENDING,
    /** SessionM confirmed the tags. */
    TAGGED,
    /**
     * Reading the customer's tags showed them present after a call whose outcome was
     * unknown: not sent again.
     */
    ALREADY_TAGGED,
    /**
     * Counter tags after a call whose outcome was unknown: present but not provably ours,
     * handled by policy.
     */
    IN_DOUBT,
    /**
     * SessionM refused this user for good (the offers job: refused to read its wallet);
     * its status and code are recorded.
     */
    REJECTED,
    /**
     * Offers job: Braze took the member's wallet attributes (for a leaver: cleared them).
     */
    WRITTEN,
    /** Offers job: the wallet is the one last written to Braze; nothing was sent. */
    UNCHANGED,
    /**
     * Offers job, dry run: the wallet differs from the one last written; the real run
     * would write it.
     */
    CHANGED,
    /**
     * Offers job: Braze did not take the member's attributes; its message is recorded.
     */
    REFUSED;

    /** Still to be tagged: nothing sent yet, or a call whose outcome is not known yet. */
    public boolean isPending() {
        return this == STAGED || this == SENDING;
    }

    /**
     * This state as the SQL literal stored in {@code sync_user.state}: the ledger's
     * statements are built from it.
     */
    String literal() {
        return "'" + name() + "'";
    }

    /**
     * Kept as long as the execution is, when a run's other users' rows are pruned (see
     * {@code sync.ledger-retention}): the users a person may have to look at, those
     * SessionM refused or left in doubt, and the offers job's members and leavers Braze
     * refused.
     */
    public boolean isKeptAfterPruning() {
        return this == REJECTED || this == IN_DOUBT || this == REFUSED;
    }

    /** The states kept after pruning as an SQL list, for {@code state NOT IN (...)}. */
    static String keptAfterPruningLiterals() {
        return Arrays.stream(values())
            .filter(LedgerState::isKeptAfterPruning)
            .map(LedgerState::literal)
            .collect(Collectors.joining(", "));
    }

    /** The pending states as an SQL list, for {@code state IN (...)}. */
    static String pendingLiterals() {
        return Arrays.stream(values())
            .filter(LedgerState::isPending)
            .map(LedgerState::literal)
            .collect(Collectors.joining(", "));
    }

}
