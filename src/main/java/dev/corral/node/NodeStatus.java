package dev.corral.node;

import dev.corral.consensus.Role;

/**
 * A consistent-enough picture of the node for health checks, metrics and {@code /v1/cluster}.
 *
 * @param phase        where the node is in its life
 * @param role         its role in the replication protocol
 * @param leaderId     the leader it knows of, 0 if none
 * @param term         current term
 * @param commitIndex  highest index known committed
 * @param appliedZxid  zxid of the last transaction applied to the served tree
 * @param lastIndex    last index in the local log
 * @param caughtUp     the served tree includes every write acknowledged anywhere: on a leader, an entry of its
 *                     own term is committed (Raft's rule before serving reads: it may not know the commit
 *                     point of earlier terms until then) and everything committed is applied
 */
public record NodeStatus(Phase phase, int nodeId, Role role, int leaderId, long term, long commitIndex, long appliedZxid,
        long lastIndex, boolean caughtUp, String failure) {

    public static NodeStatus starting(int nodeId) {
        return new NodeStatus(Phase.RECOVERING, nodeId, Role.FOLLOWER, 0, 0, 0, 0, 0, false, null);
    }

    public enum Phase {
        /** Loading the snapshot and replaying the log. */
        RECOVERING,
        RUNNING,
        /** Stopped by an error it must not continue past (storage failure, corrupt log). */
        FAILED,
        STOPPED
    }

    /** Ready to serve: recovered, a leader known, and caught up. */
    public boolean isReady() {
        return phase == Phase.RUNNING && leaderId != 0 && caughtUp;
    }
}
