package com.loyaltybridge.tagsync.console;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What to do about a failed run, in plain words, for the failures the README's
 * troubleshooting names. The failure's own line (the execution's exit description) says
 * what went wrong; this says what a person does next, in the console (where the command
 * line's "run the same command again" is the Restart button).
 */
final class FailureAdvice {

    private record Advice(String phrase, String advice) {
    }

    /** Failures of reading the export, the same for both jobs. */
    private static final List<Advice> EXPORT = List.of(
            new Advice("PostgreSQL", "Restart once PostgreSQL is back; the run resumes."),
            new Advice("is not a readable", "The export is broken: request a new export from Braze."),
            new Advice("was listed but is gone", "The export expired or was deleted: request a new export from Braze."),
            new Advice("changed since", "The export changed after it was listed: request a new export from Braze."));

    private static final List<Advice> TAGS = List.of(
            new Advice("refused the API credentials",
                    "Fix SESSIONM_CORE_API_KEY and SESSIONM_CORE_API_SECRET, then restart:"
                            + " users already tagged are not sent again."),
            new Advice("did not take",
                    "SessionM was down or kept failing. Restart later: it resumes where it stopped."),
            new Advice("lines of the export could not be used",
                    "Look at the skipped lines below. If the export is fine, raise"
                            + " sync.max-skipped-lines and restart."),
            new Advice("lost the PostgreSQL lock",
                    "Restart: it settles the users whose call may have landed before sending anything."));

    private static final List<Advice> OFFER_WALLETS = List.of(
            new Advice("Braze refused the API key",
                    "Fix BRAZE_API_KEY (it needs the users.track permission) or BRAZE_REST_ENDPOINT (the wrong"
                            + " instance answers 401), then restart: wallets already written are not written again."),
            new Advice("SessionM Connect refused the credentials",
                    "Fix SESSIONM_CONNECT_AUTHORIZATION and SESSIONM_RETAILER_ID, then restart: wallets already"
                            + " written are not written again."),
            new Advice("SessionM Connect did not give",
                    "SessionM Connect was down or kept failing. Restart later: it resumes where it stopped."),
            new Advice("something that is not a wallet",
                    "SESSIONM_CONNECT_ENDPOINT does not lead to SessionM Connect's offers API: fix it, then restart."),
            new Advice("Braze did not take",
                    "Braze was down or kept failing. Restart later: the requests that may have landed are written"
                            + " again, which sets the same attributes."),
            new Advice("Braze refused a /users/track request as a whole",
                    "Check BRAZE_REST_ENDPOINT and braze.rest.attributes-per-request (50 for accounts on the newer"
                            + " package), then restart."),
            new Advice("lines of the export could not be used",
                    "Look at the skipped lines below. If the export is fine, raise"
                            + " sync.max-skipped-lines and restart."),
            new Advice("lost the PostgreSQL lock",
                    "Restart: the requests that may have landed are written again, which sets the same attributes."));

    private FailureAdvice() {
    }

    /** What to do about a failed or stopped tag sync. */
    static Optional<String> forFailure(String exitDescription) {
        return advise(exitDescription, TAGS, "Fix the cause named above, then restart: it resumes, and users already"
                + " tagged are never sent again.");
    }

    /** What to do about a failed or stopped run of offer wallets. */
    static Optional<String> forOfferWallets(String exitDescription) {
        return advise(exitDescription, OFFER_WALLETS, "Fix the cause named above, then restart: it resumes, and"
                + " wallets already written are not written again.");
    }

    private static Optional<String> advise(String exitDescription, List<Advice> ofTheJob, String otherwise) {
        if (exitDescription == null || exitDescription.isBlank()) {
            return Optional.empty();
        }
        return Stream.concat(ofTheJob.stream(), EXPORT.stream())
            .filter(advice -> exitDescription.contains(advice.phrase()))
            .map(Advice::advice)
            .findFirst()
            .or(() -> Optional.of(otherwise));
    }

}
