package dev.corral.node;

import dev.corral.replica.Outcome;
import dev.corral.tree.Caller;
import dev.corral.tree.Op;
import dev.corral.tree.TreeState;
import dev.corral.tree.WatchRegistry;
import java.util.concurrent.CompletableFuture;

/**
 * What the front-ends (REST, later the ZooKeeper wire protocol) need from a node. Thread-safe.
 *
 * <p>Reads use {@link #state()}: the committed tree as of the last applied transaction, immutable.
 * Writes return a future that completes once the change is durable on a quorum and applied here, or with
 * the reason it was refused or could not be made.
 */
public interface Corral {
    CompletableFuture<Outcome> write(Op op, Caller caller);

    /** Completes once every write accepted before it is applied here (ZooKeeper's sync). */
    CompletableFuture<Outcome> sync();

    /**
     * A read barrier: {@code linearizable} false is {@link #sync()}; true completes once this node has applied the
     * leader's commit point as confirmed by a quorum after the call began, so that a read of {@link #state()} then is
     * linearizable.
     */
    CompletableFuture<Outcome> barrier(boolean linearizable);

    /** Completes once the served tree has applied {@code zxid} (a client's "read at least what I have seen"). */
    CompletableFuture<Outcome> awaitApplied(long zxid);

    /** A session heartbeat; completes with false if the session is unknown or expired. */
    CompletableFuture<Boolean> touchSession(long sessionId);

    TreeState state();

    /**
     * Adds a listener that runs after every change of {@link #state()} (applied transactions, an installed snapshot),
     * on the node's own thread: it must only take note and hand any work to another thread. It is never removed; add
     * one per component, not one per request.
     */
    void addPublishedListener(Runnable listener);

    WatchRegistry watches();

    NodeStatus status();
}
