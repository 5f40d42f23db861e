package dev.corral.node;

import dev.corral.replica.Outcome;
import dev.corral.consensus.Role;
import dev.corral.tree.ErrorCode;

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
 * @param failure      why the node stopped (FAILED) or cannot write (STORAGE_UNAVAILABLE, or RECOVERING with its
 *                     storage unavailable); null otherwise
 * @param divergence   the first digest mismatch this node found ({@code DigestMismatch.describe()}): its tree differs
 *                     from the leader's, and it is not ready for the rest of its life (a restart replays the log and
 *                     checks again); null if none
 */
public record NodeStatus(Phase phase, int nodeId, Role role, int leaderId, long term, long commitIndex, long appliedZxid,
        long lastIndex, boolean caughtUp, String failure, String divergence) {

    public NodeStatus(Phase phase, int nodeId, Role role, int leaderId, long term, long commitIndex, long appliedZxid,
            long lastIndex, boolean caughtUp, String failure) {
        this(phase, nodeId, role, leaderId, term, commitIndex, appliedZxid, lastIndex, caughtUp, failure, null);
    }

    public static NodeStatus starting(int nodeId) {
        return new NodeStatus(Phase.RECOVERING, nodeId, Role.FOLLOWER, 0, 0, 0, 0, 0, false, null);
    }

    public enum Phase {
        /** Loading the snapshot and replaying the log; {@code failure} says why, if storage is unavailable meanwhile. */
        RECOVERING,
        RUNNING,
        /**
         * The storage failed; the node takes no writes, reopens it with backoff and stays here until a write on
         * the reopened storage has succeeded. {@code failure} says what failed. Reads go on if {@code caughtUp}:
         * the served tree then holds every write acknowledged before the failure, and none has been since.
         */
        STORAGE_UNAVAILABLE,
        /** Stopped by an error it must not continue past (a broken invariant, a corrupt log). */
        FAILED,
        STOPPED
    }

    /** Ready to serve: recovered, a leader known, caught up, and no divergence found in its tree. */
    public boolean isReady() {
        return phase == Phase.RUNNING && leaderId != 0 && caughtUp && divergence == null;
    }

    /**
     * May answer reads from its tree: ready, or unable to write but holding every acknowledged write. Never a tree
     * found diverged.
     */
    public boolean servesReads() {
        return isReady() || (phase == Phase.STORAGE_UNAVAILABLE && caughtUp && divergence == null);
    }

    /** Why a request cannot be taken in this status (any phase but RUNNING); safe to retry later. */
    public Outcome.Unavailable refusal() {
        return switch (phase) {
            case STORAGE_UNAVAILABLE -> new Outcome.Unavailable(ErrorCode.NOT_READONLY, 0, "node " + nodeId + " cannot take writes: "
                    + failure + (caughtUp ? ". Reads are served from zxid " + appliedZxid : ". Reads are refused too")
                    + "; the node reopens its storage by itself, retry later");
            case RECOVERING -> new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, leaderId, "node " + nodeId + " is still recovering its log"
                    + (failure == null ? "" : ": " + failure));
            case FAILED -> new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, leaderId, "node " + nodeId + " has stopped: " + failure);
            case RUNNING, STOPPED -> new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, leaderId, "node " + nodeId + " is shutting down");
        };
    }

    /** Why the node is not ready, for the readiness check; null if it is. */
    public String notReadyReason() {
        if (isReady()) return null;
        return switch (phase) {
            case RECOVERING -> "recovering its log" + (failure == null ? "" : ": " + failure);
            case STORAGE_UNAVAILABLE -> failure + (caughtUp ? "; reads are served, writes refused" : "; reads and writes refused");
            case FAILED -> "stopped: " + failure;
            case STOPPED -> "shutting down";
            case RUNNING -> divergence != null ? divergence : leaderId == 0 ? "no leader is known" : "catching up with the commit point";
        };
    }
}
