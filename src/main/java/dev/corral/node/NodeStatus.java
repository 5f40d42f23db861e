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
 * @param commitKnown  whether {@code commitIndex} is the cluster's commit point: a leader knows it only once an
 *                     entry of its own term has committed (before that, entries it recovered from its log may be
 *                     committed, and acknowledged to clients, without it knowing); a follower learns it from its
 *                     leader
 */
public record NodeStatus(Phase phase, int nodeId, Role role, int leaderId, long term, long commitIndex, long appliedZxid,
        long lastIndex, boolean commitKnown, String failure) {

    public enum Phase {
        /** Loading the snapshot and replaying the log. */
        RECOVERING,
        RUNNING,
        /** Stopped by an error it must not continue past (storage failure, corrupt log). */
        FAILED,
        STOPPED
    }

    /** Ready to serve: recovered, a leader known, and everything known committed applied here. */
    public boolean isReady() {
        return phase == Phase.RUNNING && leaderId != 0 && commitKnown && appliedZxid >= commitIndex;
    }
}
