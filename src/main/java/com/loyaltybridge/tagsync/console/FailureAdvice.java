package com.loyaltybridge.tagsync.console;

import java.util.List;
import java.util.Optional;

/**
 * What to do about a failed run, in plain words, for the failures the README's
 * troubleshooting names. The failure's own line (the execution's exit description) says
 * what went wrong; this says what a person does next.
 */
final class FailureAdvice {

    private record Advice(String phrase, String advice) {
    }

    private static final List<Advice> ADVICE = List.of(
            new Advice("refused the API credentials",
                    "Fix SESSIONM_CORE_API_KEY and SESSIONM_CORE_API_SECRET, then restart:"
                            + " users already tagged are not sent again."),
            new Advice("did not take",
                    "SessionM was down or kept failing. Restart later: it resumes where it stopped."),
            new Advice("lines of the export could not be used",
                    "Look at the skipped lines below. If the export is fine, raise"
                            + " sync.max-skipped-lines and restart."),
            new Advice("lost the PostgreSQL lock",
                    "Restart: it settles the users whose call may have landed before sending anything."),
            new Advice("PostgreSQL", "Restart once PostgreSQL is back; the run resumes."),
            new Advice("is not a readable", "The export is broken: request a new export from Braze."),
            new Advice("was listed but is gone", "The export expired or was deleted: request a new export from Braze."),
            new Advice("changed since", "The export changed after it was listed: request a new export from Braze."));

    private FailureAdvice() {
    }

    static Optional<String> forFailure(String exitDescription) {
        if (exitDescription == null || exitDescription.isBlank()) {
            return Optional.empty();
        }
        return ADVICE.stream()
            .filter(advice -> exitDescription.contains(advice.phrase()))
            .map(Advice::advice)
            .findFirst()
            .or(() -> Optional
                .of("Fix the cause named above, then restart: it resumes, and users already tagged are never"
                        + " sent again."));
    }

}
