package dev.corral.api;

import dev.corral.node.Corral;
import dev.corral.replica.Outcome;
import java.util.concurrent.CompletableFuture;

/** What a read waits for before it looks at the tree: nothing (sequential), a linearizable barrier, or a zxid. */
final class ReadGates {
    static final String SEQUENTIAL = "sequential";
    static final String LINEARIZABLE = "linearizable";

    /**
     * How far past this node's known commit index a zxid a client waits for may be. Every zxid a client saw was committed
     * somewhere, and a node learns the commit index within a heartbeat; one far beyond it was never issued, and waiting
     * for it would hold the request, and the node's record of it, until a zxid that may never come.
     */
    static final long ZXID_AHEAD_MAX = 1_000_000;

    private ReadGates() {}

    /** Refuses a zxid to wait for that is negative, or so far past this node's commit index that no write made it. */
    static void checkWaitable(Corral corral, long zxid, String field, String path) {
        if (zxid < 0) throw ApiException.badArguments(field + " must not be negative", path);
        long commit = corral.status().commitIndex();
        if (zxid > commit + ZXID_AHEAD_MAX) {
            throw ApiException.badArguments(field + " " + zxid + " is beyond any zxid this cluster has issued (this node knows commits up to "
                    + commit + ")", path);
        }
    }

    /** The future to wait for, or null to read at once; refuses an unknown consistency or a negative zxid. */
    static CompletableFuture<Outcome> gate(Corral corral, String consistency, Long minZxid, String path) {
        boolean linearizable;
        if (consistency == null || consistency.isBlank() || consistency.equals(SEQUENTIAL)) {
            linearizable = false;
        } else if (consistency.equals(LINEARIZABLE)) {
            linearizable = true;
        } else {
            throw ApiException.badArguments("consistency must be " + SEQUENTIAL + " or " + LINEARIZABLE + ", not \"" + consistency + "\"", path);
        }
        if (minZxid != null) checkWaitable(corral, minZxid, "minZxid", path);
        CompletableFuture<Outcome> gate = null;
        if (minZxid != null && minZxid > corral.state().lastZxid()) gate = corral.awaitApplied(minZxid);
        if (linearizable) gate = gate == null ? corral.barrier(true) : gate.thenCompose(o -> o instanceof Outcome.Done ? corral.barrier(true)
                : CompletableFuture.completedFuture(o));
        return gate;
    }
}
