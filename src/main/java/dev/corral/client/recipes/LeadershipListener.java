package dev.corral.client.recipes;

/**
 * Told when a {@link LeaderElection}'s candidate becomes leader and when it stops being leader. The two alternate,
 * starting with {@link #becameLeader}. Called on the election's listener thread, one call at a time, in order; calling
 * back into the election (even {@link LeaderElection#close}) is fine. A slow listener delays later calls, not the
 * election: {@link LeaderElection#isLeader} is always current.
 */
public interface LeadershipListener {
    /** This candidate leads now: its znode is first, and its session is connected. */
    void becameLeader();

    /**
     * This candidate no longer leads, or can no longer be sure it does: its client lost touch with the cluster, its
     * session ended, its znode went, or the election was closed. Stop acting as leader at once.
     */
    void lostLeadership();
}
