package dev.corral.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.consensus.Message;
import dev.corral.consensus.RaftConfig;
import dev.corral.peer.PeerCodec;
import dev.corral.peer.Transport;
import dev.corral.tree.Caller;
import dev.corral.tree.Op;
import dev.corral.tree.Prep;
import dev.corral.txn.Acl;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnCodec;
import dev.corral.txn.TxnRecord;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's side of lost storage ({@link LostStorage}): a voter of three that starts on empty storage asks the
 * other two for their terms first; in a cluster with a history it makes a term above theirs durable and then refuses
 * a vote it would otherwise grant; in a new cluster it grants it; while the others do not answer it waits, not ready,
 * and says why. The real driver and replica run on their threads; the peers are a scripted {@link Transport}.
 */
class NodeLostStorageTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final FlakyStorage storage = new FlakyStorage();
    private final List<String> fatal = new CopyOnWriteArrayList<>();
    private final Peers peers = new Peers();
    private NodeDriver node;

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    private void start(boolean toldLost) {
        RaftConfig raft = new RaftConfig(1, Set.of(1, 2, 3), 10, 1, 512, 1 << 20, 64L << 20, RaftConfig.APPLIED_LOG_BYTES_DEFAULT);
        NodeDriver.Settings settings = new NodeDriver.Settings(raft, 10, new Prep.Limits(1 << 20, 4000, 40000), 100, 1_000_000,
                1L << 30, 10_000, 2, 1000, 10_000, 1000, 10_000, 10_000, 0, toldLost);
        node = new NodeDriver(settings, storage.open(), storage, NodeMetrics.NONE, System::currentTimeMillis, peers, fatal::add);
        node.start();
    }

    @Test
    void onEmptyStorageInAClusterWithAHistoryItTakesAHigherTermAndRefusesAVoteUntilCaughtUp() {
        peers.terms.put(2, 7L);
        peers.terms.put(3, 4L);
        start(false);
        await("the term above the others' is durable", () -> storage.disk.hardState().term() == 8);
        assertEquals(new HardState(8, 0, 0), storage.disk.hardState());
        assertEquals(8, node.term());
        // Node 2 asks for a vote with a log as up to date as this empty one: an ordinary member would grant it.
        assertFalse(voteFor(2, 9), "a member whose storage was lost voted before catching up");
        assertTrue(peers.sent.stream().noneMatch(m -> m instanceof Message.PreVote || m instanceof Message.Vote),
                "a member whose storage was lost campaigned: " + peers.sent);
        assertTrue(fatal.isEmpty(), fatal.toString());
    }

    @Test
    void onEmptyStorageInANewClusterItVotesAsUsual() {
        peers.terms.put(2, 0L);
        peers.terms.put(3, 0L);
        start(false);
        assertTrue(voteFor(2, 1), "a member of a new cluster refused an up-to-date candidate");
        assertEquals(new HardState(1, 2, 0), storage.disk.hardState(), "the vote is durable before it is answered");
    }

    @Test
    void toldItsStorageLostEntriesItStartsAboveTheOthersWithWhatItHolds() {
        storage.disk.write(new HardState(3, 2, 1), List.of(new Entry(1, 3, TxnCodec.encode(new TxnRecord(1_700_000_000_000L,
                new Txn.Create("/a", new byte[0], Acl.OPEN, 0))))));
        peers.terms.put(2, 5L);
        peers.terms.put(3, 5L);
        start(true);
        await("the term above the others' is durable", () -> storage.disk.hardState().term() == 6);
        // Node 2's log is as up to date as this one (entry 1 of term 3): refused all the same.
        assertFalse(voteFor(2, 7, 1, 3));
    }

    @Test
    void withoutAnswersItWaitsNotReadyAndSaysWhyThenGoesOn() {
        start(false);
        await("the node says what it waits for", () -> {
            String why = node.status().notReadyReason();
            return why != null && why.contains("waiting for the terms of 2 of the other voters [2, 3]");
        });
        assertFalse(node.status().isReady());
        assertEquals(0, storage.disk.hardState().term(), "nothing is written before the others answered");
        peers.terms.put(2, 3L);
        await("one answer is not enough", () -> peers.asked(2) >= 3);
        assertEquals(0, storage.disk.hardState().term());
        peers.terms.put(3, 2L);
        await("the term above the others' is durable", () -> storage.disk.hardState().term() == 4);
        assertFalse(voteFor(2, 5));
    }

    /** Delivers a vote request from {@code candidate} with an empty log; whether this node granted it. */
    private boolean voteFor(int candidate, long term) {
        return voteFor(candidate, term, 0, 0);
    }

    private boolean voteFor(int candidate, long term, long lastIndex, long lastTerm) {
        await("the node takes messages", () -> node.deliver(List.of(new Message.Vote(candidate, 1, term, lastIndex, lastTerm))));
        Message.VoteResponse[] answer = new Message.VoteResponse[1];
        await("the node answers the vote request of term " + term, () -> {
            for (Message m : peers.sent) {
                if (m instanceof Message.VoteResponse r && r.to() == candidate && r.term() == term) {
                    answer[0] = r;
                    return true;
                }
            }
            return false;
        });
        return answer[0].granted();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting until " + what);
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The other members: their terms as scripted (none: no answer), and every message sent to them. */
    private static final class Peers implements Transport {
        final Map<Integer, Long> terms = new ConcurrentHashMap<>();
        final Map<Integer, Integer> asks = new ConcurrentHashMap<>();
        final List<Message> sent = new CopyOnWriteArrayList<>();

        int asked(int id) {
            return asks.getOrDefault(id, 0);
        }

        @Override
        public void send(Message m) {
            sent.add(m);
        }

        @Override
        public CompletableFuture<Long> term(int to) {
            asks.merge(to, 1, Integer::sum);
            return CompletableFuture.completedFuture(Optional.ofNullable(terms.get(to)).orElse(-1L));
        }

        @Override
        public CompletableFuture<PeerCodec.Reply> forward(int to, Op op, Caller caller) {
            return Transport.NONE.forward(to, op, caller);
        }

        @Override
        public void touch(int to, long[] sessionIds) {}

        @Override
        public CompletableFuture<PeerCodec.Reply> barrier(int to, boolean linearizable) {
            return Transport.NONE.barrier(to, linearizable);
        }

        @Override
        public boolean fetchSnapshot(int from, long index, long term, OutputStream sink) {
            return false;
        }

        @Override
        public void close() {}
    }
}
