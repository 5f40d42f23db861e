package dev.corral.api;

import dev.corral.node.Corral;
import dev.corral.replica.Outcome;
import java.util.concurrent.CompletableFuture;

/** What a read waits for before it looks at the tree: nothing (sequential), a linearizable barrier, or a zxid. */
final class ReadGates {
    static final String SEQUENTIAL = "sequential";
    static final String LINEARIZABLE = "linearizable";

    private ReadGates() {}

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
        if (minZxid != null && minZxid < 0) throw ApiException.badArguments("minZxid must not be negative", path);
        CompletableFuture<Outcome> gate = null;
        if (minZxid != null && minZxid > corral.state().lastZxid()) gate = corral.awaitApplied(minZxid);
        if (linearizable) gate = gate == null ? corral.barrier(true) : gate.thenCompose(o -> o instanceof Outcome.Done ? corral.barrier(true)
                : CompletableFuture.completedFuture(o));
        return gate;
    }
}
