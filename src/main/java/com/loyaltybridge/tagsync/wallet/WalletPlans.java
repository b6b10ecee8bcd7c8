package com.loyaltybridge.tagsync.wallet;

import com.loyaltybridge.tagsync.ledger.PlanReason;

/**
 * What a plan's reason means for the offers job, in words: the reasons' own descriptions
 * speak of tags.
 */
public final class WalletPlans {

    private WalletPlans() {
    }

    /** One line for the log and the summary. */
    public static String describe(PlanReason why) {
        return switch (why) {
            case NO_AUDIENCE ->
                "no audience (an export outside Braze's layout, no --audience): every wallet read is written";
            case FIRST_SYNC -> "the audience's first run: every wallet read is written";
            case FULL -> "--full: every wallet read is written, changed or not";
            case STATE, SEEDED, BEFORE_AUDIENCES -> "only the wallets that changed since they were last written";
        };
    }

    /** Whether a member's wallet is written even when it is the one last written. */
    static boolean writesEveryWallet(PlanReason why) {
        return why != PlanReason.STATE;
    }

}
