package com.loyaltybridge.tagsync.console;

/**
 * How a status shows: a word and a symbol a person reads without colour, and the colour's
 * CSS class.
 *
 * @param word what the status is, in plain words
 * @param symbol a sign beside the word (never the only clue)
 * @param css the class that colours it (console.css)
 */
record StatusLook(String word, String symbol, String css) {

    /**
     * {@code status} of Spring Batch ({@code BatchStatus} names); a completed run with
     * users to look at says so.
     */
    static StatusLook of(String status, boolean needsALook) {
        return switch (status == null ? "UNKNOWN" : status) {
            case "COMPLETED" -> needsALook ? new StatusLook("completed, needs a look", "!", "status-attention")
                    : new StatusLook("completed", "✓", "status-completed");
            case "STARTING", "STARTED" -> new StatusLook("running", "▶", "status-running");
            case "STOPPING" -> new StatusLook("stopping", "■", "status-stopping");
            case "STOPPED" -> new StatusLook("stopped", "■", "status-stopped");
            case "FAILED" -> new StatusLook("failed", "✗", "status-failed");
            case "ABANDONED" -> new StatusLook("abandoned", "⊘", "status-abandoned");
            default -> new StatusLook("unknown", "?", "status-unknown");
        };
    }
}
