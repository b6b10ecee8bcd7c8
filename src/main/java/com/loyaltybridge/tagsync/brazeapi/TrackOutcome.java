package com.loyaltybridge.tagsync.brazeapi;

import java.util.List;

/**
 * What became of one {@code /users/track} request. Sending never throws: every failure is
 * one of these.
 */
public sealed interface TrackOutcome {

    /**
     * Braze took the request (HTTP 2xx). Its {@code errors} name the objects it did not
     * process; the rest are written.
     *
     * @param written the users whose attributes Braze processed, in request order
     * @param rejected the users Braze named in {@code errors}, with its message
     * @param unattributedErrors messages of {@code errors} that name no object of the
     * request
     */
    record Tracked(List<BrazeUser> written, List<RejectedUser> rejected,
            List<String> unattributedErrors) implements TrackOutcome {

        public Tracked {
            written = List.copyOf(written);
            rejected = List.copyOf(rejected);
            unattributedErrors = List.copyOf(unattributedErrors);
        }
    }

    /**
     * A user whose attribute object Braze did not process, and why, in Braze's words on
     * one line.
     */
    record RejectedUser(BrazeUser user, String message) {
    }

    /**
     * Braze refused the request as a whole (a 4xx other than 401, 403 and 429, such as
     * 400 "Max Input Length Exceeded" or 404 for a wrong URL): nothing was written, and
     * sending it again would change nothing.
     */
    record Refused(int httpStatus, String message) implements TrackOutcome {
    }

    /**
     * Braze refused the API key (401: wrong key or instance; 403: no permission, account
     * inactive): stop.
     */
    record CredentialsRefused(int httpStatus, String message) implements TrackOutcome {
    }

    /**
     * Braze could not be reached or kept failing (5xx, timeouts, resets) after every
     * retry. Some of it may have been written: sending it again later is safe. Or it was
     * never sent (the run stopped its requests, the client shut down): then
     * {@link #mayHaveLanded()} says so.
     */
    record NotDelivered(String reason) implements TrackOutcome {

        /** How the reason of a request that was never sent begins. */
        public static final String NOT_SENT = "not sent: ";

        /** False when the request was never sent, so nothing of it was written. */
        public boolean mayHaveLanded() {
            return !reason.startsWith(NOT_SENT);
        }
    }

    /**
     * Braze kept answering 429 for longer than {@code braze.rest.max-throttled-wait}.
     * Nothing was written.
     */
    record Throttled(String reason) implements TrackOutcome {
    }

}
