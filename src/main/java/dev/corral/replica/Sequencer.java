package dev.corral.replica;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.consensus.Message;
import dev.corral.consensus.Ready;
import dev.corral.consensus.SoftState;
import dev.corral.tree.DigestMismatch;
import dev.corral.tree.TreeChange;
import dev.corral.tree.TreeState;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The order in which a node carries out what its {@link Replica} asks, the same in production and in the
 * simulator: only the {@link Io} adapters (disk, network, the listeners of applied state) differ.
 *
 * <p>The rules, each with the invariant it protects:
 * <ol>
 *   <li><b>Persist before sending.</b> A Ready's hard state and entries become one write, queued in Ready order.
 *       Its messages are held until that write <em>and every write queued before it</em> is durable. A vote
 *       promises a durable term and vote (one vote per term, Election Safety); an append acknowledgement
 *       promises durable entries (a quorum that counted this node still holds the entry after any crash,
 *       Leader Completeness). A Ready with nothing to write may still acknowledge entries an earlier,
 *       unsynced write holds, hence "every write before it". One exception: a leader's {@code Append} and
 *       {@code InstallSnapshot} go out at once, in parallel with its own write (Raft §10.2.1; etcd does the same).
 *       They promise nothing about this node's disk: the leader counts its own copy towards a quorum only once
 *       its write is reported durable (rule 2), and the term they carry was made durable before the votes that
 *       elected it were asked for (those waited behind the term's write).</li>
 *   <li><b>Report durability only when it is true.</b> {@link Replica#persisted} is called for a write's
 *       last entry only after the adapter reports the write durable ({@link #durable}); a leader counts its
 *       own copy towards a quorum from then on.</li>
 *   <li><b>Apply only what is committed.</b> The replica applies a Ready's committed entries inside
 *       {@link Replica#process}; those are committed on a quorum and durable here (the core hands out at most
 *       its stable index), so they are applied before this node's own newer write completes.</li>
 *   <li><b>An installed snapshot is a write.</b> When the replica restores from a leader's snapshot, the
 *       adapter must store it and reset the log to it in order with the writes; the acknowledgement the next
 *       Ready carries waits for it like any other message.</li>
 * </ol>
 *
 * <p>Write ids are assigned here, one per queued write, from 1, increasing for the life of this sequencer;
 * the adapter reports {@link #durable(long)} with the highest id all of whose predecessors are durable
 * (group commit may cover many ids at once). Not thread-safe: the driver's one thread owns it.
 *
 * @param <T> the driver's completion token for client requests
 */
public final class Sequencer<T> {
    /** What the node's adapters do. Calls come from {@link #drain} and {@link #durable}, on the driver thread. */
    public interface Io<T> {
        /** Queues one atomic durable write of {@code hardState} (may be null) and {@code entries} (may be empty). */
        void write(long writeId, HardState hardState, List<Entry> entries);

        /**
         * Queues, in order with the writes, the storing of the snapshot the replica just installed ({@code m}) and
         * the reset of the log to start right after it.
         */
        void resetToSnapshot(long writeId, Message.InstallSnapshot m);

        /** Sends a message; every write it depends on is durable. */
        void send(Message m);

        /** The role, leader or term changed. */
        void softState(SoftState s);

        /** An entry was applied (in index order). */
        void applied(Entry e);

        /** The applied state moved to {@code state}, with the changes that got it there (for watches). */
        void committed(TreeState state, List<TreeChange> changes, List<Long> closedSessions);

        /** A client request ended. */
        void completed(Replica.Completion<T> c);

        /** A digest check found this node's tree different from the leader's (once per check; see {@link Replica.Output}). */
        void digestMismatch(DigestMismatch m);
    }

    private record Held(long afterWrite, Message message) {}

    private record Queued(long writeId, long lastIndex, long lastTerm) {}

    private final Replica<T> replica;
    private final Io<T> io;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** Queued writes not yet durable, oldest first. */
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private long lastQueued;
    private long lastDurable;

    public Sequencer(Replica<T> replica, Io<T> io) {
        this.replica = replica;
        this.io = io;
    }

    /** The replica, for inputs ({@code step}, {@code tick}, {@code submit}, …); call {@link #drain} after them. */
    public Replica<T> replica() {
        return replica;
    }

    /** Carries out everything the replica has to say, until it has nothing more. */
    public void drain() {
        for (int round = 0; ; round++) {
            Replica.Output<T> out = replica.process();
            if (out.isEmpty()) return;
            if (round > 100_000) throw new IllegalStateException("node " + replica.softState() + ": process() never runs dry");
            handle(out);
        }
    }

    private void handle(Replica.Output<T> out) {
        Ready ready = out.ready();
        if (ready != null) {
            if (ready.softState() != null) io.softState(ready.softState());
            if (ready.mustPersist()) {
                long id = ++lastQueued;
                queued.addLast(new Queued(id, ready.lastEntryIndex(), ready.lastEntryTerm()));
                io.write(id, ready.hardState(), ready.entries());
            }
            for (Message m : ready.messages()) hold(m);
            release();
            for (Entry e : ready.committed()) io.applied(e);
        }
        if (out.committed() != null) io.committed(out.committed(), out.changes(), out.closedSessions());
        for (DigestMismatch m : out.digestMismatches()) io.digestMismatch(m);
        for (Replica.Completion<T> c : out.completions()) io.completed(c);
    }

    /**
     * Sends {@code m} now, or holds it until every write queued so far is durable. A leader's appends, snapshot offers
     * and read-index rounds go at once: they promise nothing about the sender's unsynced writes (a leader counts
     * its own log towards a commit only once durable, and its term and vote were durable before it could lead).
     */
    private void hold(Message m) {
        if (lastQueued <= lastDurable || m instanceof Message.Append || m instanceof Message.InstallSnapshot
                || m instanceof Message.ReadIndex) {
            io.send(m);
            return;
        }
        held.addLast(new Held(lastQueued, m));
    }

    /** Every write up to {@code writeId} is durable: the replica hears of its entries, held messages go out. */
    public void durable(long writeId) {
        if (writeId > lastQueued) throw new IllegalArgumentException("write " + writeId + " reported durable, but only " + lastQueued + " were queued");
        if (writeId <= lastDurable) return;
        lastDurable = writeId;
        while (!queued.isEmpty() && queued.peekFirst().writeId() <= writeId) {
            Queued q = queued.removeFirst();
            if (q.lastIndex() > 0) replica.persisted(q.lastIndex(), q.lastTerm());
        }
        release();
    }

    private void release() {
        while (!held.isEmpty() && held.peekFirst().afterWrite() <= lastDurable) io.send(held.removeFirst().message());
    }

    /**
     * Steps a leader's {@link Message.InstallSnapshot} whose bytes the driver has fetched and decoded into
     * {@code snapshot}. If the replica restored from it, the storing of the snapshot is queued as a write, which the
     * acknowledgement waits for; returns true then.
     */
    public boolean installSnapshot(Message.InstallSnapshot m, TreeState snapshot) {
        if (!replica.installSnapshot(m, snapshot)) return false;
        long id = ++lastQueued;
        queued.addLast(new Queued(id, 0, 0));
        io.resetToSnapshot(id, m);
        return true;
    }

    /** Messages waiting for a write to become durable. */
    public int heldMessages() {
        return held.size();
    }

    /** Writes queued and not yet reported durable. */
    public int writesInFlight() {
        return queued.size();
    }
}
