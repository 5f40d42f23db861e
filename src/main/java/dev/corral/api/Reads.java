package dev.corral.api;

import dev.corral.node.Corral;
import dev.corral.node.NodeStatus;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.TreeState;
import java.util.Map;

/**
 * The tree a read may be answered from. Until the node has caught up (after a restart: replayed its log
 * and, as leader, committed an entry of its own term) its tree may miss acknowledged writes, so reads get
 * 503 rather than a stale answer that would contradict an earlier acknowledgement. While its storage is
 * unavailable a node that had caught up goes on answering reads: nothing is acknowledged meanwhile.
 */
final class Reads {
    private Reads() {}

    static TreeState state(Corral corral) {
        NodeStatus s = corral.status();
        if (!s.servesReads()) {
            // A diverged tree first: it may hold anything, whatever else holds.
            String why = s.divergence() != null ? "node " + s.nodeId() + " found its tree diverged from the leader's: " + s.divergence()
                    : switch (s.phase()) {
                case RECOVERING -> "node " + s.nodeId() + " is still recovering its log";
                case STORAGE_UNAVAILABLE -> "node " + s.nodeId() + " lost its storage before it had caught up, so its tree may"
                        + " miss acknowledged writes: " + s.failure();
                case FAILED -> "node " + s.nodeId() + " has stopped: " + s.failure();
                case STOPPED -> "node " + s.nodeId() + " is shutting down";
                case RUNNING -> s.leaderId() == 0 ? "no leader is known" : "node " + s.nodeId() + " is catching up with the commit point";
            };
            throw new ApiException(503, ErrorCode.CONNECTION_LOSS, why, null, s.leaderId() == 0 ? Map.of() : Map.of("leader", s.leaderId()));
        }
        return corral.state();
    }
}
