package com.loyaltybridge.tagsync.sync;

import com.loyaltybridge.tagsync.sessionm.TagOutcome;

/**
 * SessionM refused the API credentials: the run stops at once rather than failing every
 * user.
 */
public class SessionmCredentialsRejectedException extends RuntimeException {

    SessionmCredentialsRejectedException(TagOutcome.AuthenticationFailed failure) {
        super("SessionM refused the API credentials (HTTP " + failure.httpStatus()
                + (failure.code() == null ? "" : ", " + failure.code())
                + "): check SESSIONM_CORE_API_KEY and SESSIONM_CORE_API_SECRET, then run the same command again to resume");
    }

}
