package com.loyaltybridge.tagsync.ledger;

/**
 * Why a sync's plan is of its kind; stored in {@code sync_plan.why}, said in the summary.
 */
public enum PlanReason {

    /**
     * The export is outside Braze's layout and no audience was named: every user is sent,
     * as before audiences.
     */
    NO_AUDIENCE(PlanKind.EVERYONE, "no audience (an export outside Braze's layout, no --audience): every user is sent"),
    /** The audience's first sync: every member is entering. */
    FIRST_SYNC(PlanKind.EVERYONE, "the audience's first sync: every member is entering"),
    /**
     * {@code --full}: every member is sent whatever the state; counter tags go up for
     * everyone.
     */
    FULL(PlanKind.EVERYONE,
            "--full: every member is sent whatever the audience's state, and counter tags went up for everyone"),
    /**
     * A sync started before audiences existed, resumed after: every user is sent, as it
     * was planned then.
     */
    BEFORE_AUDIENCES(PlanKind.EVERYONE, "started before audiences: every user is sent"),
    /**
     * The audience's first sync since its state was taken from its last sync from before
     * audiences.
     */
    SEEDED(PlanKind.DIFFERENCE,
            "only what changed since the audience's last sync from before audiences (its tagged users are the members)"),
    /** The audience's state says who needs something. */
    STATE(PlanKind.DIFFERENCE, "only what changed since the audience's last sync");

    private final PlanKind kind;

    private final String description;

    PlanReason(PlanKind kind, String description) {
        this.kind = kind;
        this.description = description;
    }

    public PlanKind kind() {
        return kind;
    }

    /** One line for the summary. */
    public String description() {
        return description;
    }

    /**
     * The reason users of such a plan are staged with: everyone is sent, or null when the
     * plan decides per user.
     */
    public SendReason stagedReason() {
        return switch (this) {
            case FIRST_SYNC -> SendReason.ENTERING;
            case NO_AUDIENCE, FULL, BEFORE_AUDIENCES -> SendReason.FULL;
            case SEEDED, STATE -> null;
        };
    }

}
