package dev.corral.peer;

import dev.corral.consensus.Message;
import dev.corral.replica.Outcome;
import dev.corral.tree.Caller;
import dev.corral.tree.Op;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the peer endpoints ({@link PeerRoutes}) hand to this node. The node implements it; every method is called
 * on an HTTP thread and must not block (the snapshot read runs on a worker thread).
 */
public interface PeerHandler {
    /** Replication messages from a member, for the core; false if the node cannot take them now (they are dropped). */
    boolean deliver(List<Message> messages);

    /** A write a member forwarded to this node as leader; completes with its outcome. */
    CompletableFuture<Outcome> forwarded(Op op, Caller caller);

    /** Session heartbeats a member received from its clients, for the leader's session tracker. */
    void touched(long[] sessionIds);

    /**
     * The zxid a member must apply before it serves a read that is to be linearizable ({@code linearizable}
     * true: this node proved it still leads by committing an entry after the request arrived) or reflect every
     * write acknowledged before (false: ZooKeeper's sync, everything this leader proposed so far).
     */
    CompletableFuture<Outcome> barrierForPeer(boolean linearizable);

    /**
     * This node's current term, for a member that lost its storage and must start above every term it may have
     * acted in; -1 while this node has not read its own storage yet.
     */
    long term();

    /** The zxid of this node's served tree; stamped on every answer to a forwarded write or barrier. */
    long appliedZxid();

    /** The bytes of the stored snapshot ({@code index}, {@code term}), or null if this node no longer holds it. */
    InputStream snapshot(long index, long term) throws IOException;
}
