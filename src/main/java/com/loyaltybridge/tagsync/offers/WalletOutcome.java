package com.loyaltybridge.tagsync.offers;

/**
 * What became of reading one customer's offer wallet. Reading never throws: every failure
 * is one of these.
 */
public sealed interface WalletOutcome {

    /**
     * The whole wallet was read (or up to {@code sessionm.connect.max-offers-read}
     * offers: see {@link OfferWallet#complete()}).
     */
    record Read(OfferWallet wallet) implements WalletOutcome {
    }

    /**
     * SessionM refused this customer for good, such as a user id it does not know:
     * recorded, the run goes on.
     *
     * @param code SessionM's error code in lower case, e.g. {@code user_not_found}; null
     * when it gave none
     * @param message SessionM's message on one line, or the status and code when it gave
     * none
     */
    record Rejected(int httpStatus, String code, String message) implements WalletOutcome {
    }

    /**
     * SessionM refused the Connect credentials (401, 403 or an auth error code): the run
     * must stop.
     */
    record CredentialsRefused(int httpStatus, String code) implements WalletOutcome {
    }

    /**
     * SessionM could not be reached, or kept failing (5xx, timeouts, resets) after every
     * retry.
     */
    record NotDelivered(String reason) implements WalletOutcome {
    }

    /**
     * SessionM kept answering 429 for longer than
     * {@code sessionm.connect.max-throttled-wait}.
     */
    record Throttled(String reason) implements WalletOutcome {
    }

    /**
     * SessionM's answer could not be read as a wallet: not JSON (a proxy's error page, a
     * wrong endpoint), or JSON without a {@code payload}. Not retried: the same request
     * would get the same answer.
     */
    record Unreadable(int httpStatus, String reason) implements WalletOutcome {
    }

}
