package com.loyaltybridge.tagsync.sessionm;

/**
 * What became of one {@link TagRequest}. Sending never throws: every failure is one of
 * these.
 */
public sealed interface TagOutcome {

    /**
     * SessionM confirmed the tags.
     *
     * @param inDoubt a counter tag's count may be off by one after a call whose outcome
     * was unknown: it was sent again although the earlier call may have landed (policy
     * {@code resend}: one too high), or, among several tags, one found present was
     * counted as applied (policy {@code assume-applied}: one too low if the customer
     * already had it)
     */
    record Tagged(boolean inDoubt) implements TagOutcome {
    }

    /**
     * Reading the customer's tags showed them present, so nothing was sent.
     *
     * @param inDoubt counter tags that the customer may have held before: presence does
     * not prove the earlier call landed (policy {@code assume-applied})
     */
    record AlreadyTagged(boolean inDoubt) implements TagOutcome {
    }

    /**
     * SessionM refused this customer for good (unknown customer, validation): recorded,
     * the run goes on.
     */
    record Rejected(int httpStatus, String code, String message) implements TagOutcome {
    }

    /**
     * SessionM could not be reached or kept failing after every retry.
     *
     * @param mayHaveBeenApplied a call may have reached SessionM (timeout or reset after
     * sending, 5xx other than 503): settle by reading the customer's tags before sending
     * again
     */
    record NotDelivered(String reason, boolean mayHaveBeenApplied) implements TagOutcome {
    }

    /**
     * SessionM refused the credentials (401, 403 or an auth error code): the run must
     * stop.
     */
    record AuthenticationFailed(int httpStatus, String code) implements TagOutcome {
    }

}
