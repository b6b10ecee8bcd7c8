package com.loyaltybridge.tagsync.wallet;

/**
 * SessionM Connect or Braze refused our credentials: the run stops at once rather than
 * failing every member.
 */
public class WalletCredentialsRefusedException extends RuntimeException {

    private WalletCredentialsRefusedException(String message) {
        super(message);
    }

    static WalletCredentialsRefusedException connect(int httpStatus, String code) {
        return new WalletCredentialsRefusedException(
                "SessionM Connect refused the credentials (HTTP " + httpStatus + (code == null ? "" : ", " + code)
                        + "): check SESSIONM_CONNECT_AUTHORIZATION and SESSIONM_RETAILER_ID,"
                        + " then run the same command again to resume");
    }

    static WalletCredentialsRefusedException braze(String message) {
        return new WalletCredentialsRefusedException("Braze refused the API key (" + message
                + "): check BRAZE_API_KEY (it"
                + " needs users.track) and BRAZE_REST_ENDPOINT (the wrong instance answers 401), then run the same command"
                + " again to resume");
    }

}
