package com.loyaltybridge.tagsync.sync;

/**
 * The connection that held this sync's PostgreSQL run lock has ended, so another process
 * may take the sync over: this one stops before sending anything more.
 */
public class RunLockLostException extends RuntimeException {

    public RunLockLostException() {
        super("lost the PostgreSQL lock that keeps other processes off this sync (its connection ended: PostgreSQL"
                + " restarted, or the connection was terminated); stopped before sending more users. Run the same"
                + " command again to resume: users whose call may have landed are settled by reading their tags first");
    }

}
