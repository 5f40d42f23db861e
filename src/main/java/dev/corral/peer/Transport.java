package dev.corral.peer;

import dev.corral.consensus.Message;
import dev.corral.replica.Outcome;
import dev.corral.tree.Caller;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.Op;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** How a node reaches the other members. {@link #NONE} is a cluster of one's. Thread-safe. */
public interface Transport extends AutoCloseable {
    /** Queues {@code m} for its addressee; may drop it (the protocol tolerates loss). Never blocks. */
    void send(Message m);

    /** Sends a write to the leader {@code to}; completes with its outcome (never exceptionally). */
    CompletableFuture<PeerCodec.Reply> forward(int to, Op op, Caller caller);

    /** The current term of member {@code to}; -1 if it does not answer or does not know its term yet. */
    CompletableFuture<Long> term(int to);

    /** Passes session heartbeats to the leader {@code to}; fire and forget. */
    void touch(int to, long[] sessionIds);

    /** Asks the leader {@code to} for a read barrier ({@link PeerHandler#barrier}); never completes exceptionally. */
    CompletableFuture<PeerCodec.Reply> barrier(int to, boolean linearizable);

    /**
     * Copies the stored snapshot ({@code index}, {@code term}) of member {@code from} into {@code sink}, in chunks,
     * resuming after a failed chunk; blocks. Returns false if that member no longer holds it.
     */
    boolean fetchSnapshot(int from, long index, long term, OutputStream sink) throws IOException, InterruptedException;

    @Override
    void close();

    Transport NONE = new Transport() {
        @Override
        public void send(Message m) {}

        @Override
        public CompletableFuture<PeerCodec.Reply> forward(int to, Op op, Caller caller) {
            return CompletableFuture.completedFuture(new PeerCodec.Reply(new Outcome.Unavailable(ErrorCode.CONNECTION_LOSS, 0,
                    "this node has no peers"), 0));
        }

        @Override
        public CompletableFuture<Long> term(int to) {
            return CompletableFuture.completedFuture(-1L);
        }

        @Override
        public void touch(int to, long[] sessionIds) {}

        @Override
        public CompletableFuture<PeerCodec.Reply> barrier(int to, boolean linearizable) {
            return forward(to, null, null);
        }

        @Override
        public boolean fetchSnapshot(int from, long index, long term, OutputStream sink) {
            return false;
        }

        @Override
        public void close() {}
    };
}
