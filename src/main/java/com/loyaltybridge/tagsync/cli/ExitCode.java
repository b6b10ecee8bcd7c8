package com.loyaltybridge.tagsync.cli;

/** Exit codes of the command line, documented in the README. */
public enum ExitCode {

    /** The sync completed (now or earlier) and every user was tagged or written. */
    COMPLETED(0),
    /** The sync failed or stopped; running the same command again resumes it. */
    FAILED(1),
    /** Bad usage or configuration, refused before any work started. */
    USAGE(2),
    /**
     * The sync completed, but some users need a look: rejected by SessionM, in doubt, or
     * lines skipped.
     */
    COMPLETED_NEEDS_ATTENTION(3),
    /** Another process is running this sync right now; nothing was done. */
    ALREADY_RUNNING(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

}
