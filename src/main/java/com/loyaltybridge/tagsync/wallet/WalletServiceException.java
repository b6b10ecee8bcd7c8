package com.loyaltybridge.tagsync.wallet;

/**
 * SessionM Connect or Braze kept failing (5xx, timeouts, 429s beyond the wait allowed),
 * or refused a request as a whole, or answered what is not a wallet: the run stops, and a
 * restart resumes it where it stopped.
 */
public class WalletServiceException extends RuntimeException {

    private WalletServiceException(String message) {
        super(message);
    }

    static WalletServiceException connectUnavailable(int unread, int members, String lastReason) {
        return new WalletServiceException("SessionM Connect did not give " + unread + " of " + members
                + " wallets after all retries (last: " + lastReason + "); run the same command again to resume");
    }

    static WalletServiceException connectUnreadable(int members, String lastReason) {
        return new WalletServiceException("SessionM Connect answered all " + members + " wallet reads of a chunk with"
                + " something that is not a wallet (last: " + lastReason
                + "): check SESSIONM_CONNECT_ENDPOINT, then run the" + " same command again to resume");
    }

    static WalletServiceException brazeUnavailable(String reason) {
        return new WalletServiceException("Braze did not take a /users/track request after all retries (" + reason
                + "); run the same command again to resume: the requests that may have landed are sent again, which"
                + " sets the same attributes");
    }

    static WalletServiceException brazeRefused(String message) {
        return new WalletServiceException("Braze refused a /users/track request as a whole (" + message + "): check "
                + "BRAZE_REST_ENDPOINT and braze.rest.attributes-per-request, then run the same command again to resume");
    }

}
