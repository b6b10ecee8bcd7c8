package com.loyaltybridge.tagsync.sync;

/**
 * SessionM kept failing for some users after every retry: the run stops, and a restart
 * resumes it.
 */
public class SessionmUnavailableException extends RuntimeException {

    SessionmUnavailableException(int undelivered, int chunkSize, String lastReason) {
        super("SessionM did not take " + undelivered + " of " + chunkSize + " users after all retries (last: "
                + lastReason
                + "); run the same command again to resume: users whose call may have landed are settled by reading"
                + " their tags before anything is sent again");
    }

}
