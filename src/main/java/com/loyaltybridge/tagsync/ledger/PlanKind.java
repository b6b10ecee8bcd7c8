package com.loyaltybridge.tagsync.ledger;

/** Which users of an export a sync sends; stored in {@code sync_plan.kind}. */
public enum PlanKind {

    /** Every user of the export. */
    EVERYONE,
    /**
     * Only the users the audience's state says need something: entering, due for a
     * refresh, retried.
     */
    DIFFERENCE

}
