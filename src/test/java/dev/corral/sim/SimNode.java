package dev.corral.sim;

import dev.corral.consensus.Entry;
import dev.corral.consensus.Message;
import dev.corral.consensus.RaftConfig;
import dev.corral.consensus.Ready;
import dev.corral.consensus.SoftState;
import dev.corral.node.Replica;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.tree.Prep;
import dev.corral.tree.SnapshotCodec;
import dev.corral.tree.TreeState;
import dev.corral.txn.SessionSecret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * One node: a {@link Replica}, its {@link SimDisk}, and the driver loop around them, as the production driver
 * will run it. After every input the driver drains {@link Replica#process()}: it queues the Ready's hard state
 * and entries as one write, holds the Ready's messages until every write queued so far is durable, and
 * reports {@code persisted} when a write with entries is synced. Committed entries are applied inside
 * {@code process()}; the driver hands them, with completions and role changes, to the simulator's checkers.
 *
 * <p>Holding messages behind every earlier write, not only the Ready's own, matters when Readys are
 * pipelined: a Ready with nothing to persist may still acknowledge entries that an earlier, unsynced write
 * holds (an append acknowledged twice, or a follower's commit point).
 */
final class SimNode {
    /** What the node needs from the simulation around it. */
    interface Env {
        long now();

        void send(SimNode from, Message m);

        void requestSync(SimNode n);

        void softState(SimNode n, SoftState s);

        void applied(SimNode n, Entry e);

        void completed(SimNode n, Replica.Completion<Workload.Request> c);
    }

    private record Held(long afterWrite, Message message) {}

    /**
     * Deliberate driver bugs, for tests that prove the checkers catch them. {@code ACK_BEFORE_SYNC} reports a
     * write durable and sends its messages as soon as it is queued; {@code SEND_AHEAD_OF_EARLIER_WRITES} sends a
     * Ready's messages as soon as that Ready's own write (if any) is durable, ignoring earlier unsynced writes.
     */
    enum Sabotage {
        NONE,
        ACK_BEFORE_SYNC,
        SEND_AHEAD_OF_EARLIER_WRITES
    }

    /** Moments when a crash hurts most; the simulation arms one for a node, and the node crashes when it comes. */
    enum CrashTrigger {
        NONE,
        /** Just after it queues entries, before they are durable. */
        ENTRIES_QUEUED,
        /** Soon after it becomes leader, before its first entries replicate. */
        ELECTED,
        /** Just after it applies an entry as leader, before followers learn the commit. */
        COMMITTED
    }

    final int id;
    final RaftConfig config;
    final SimDisk disk;
    final AclTable acls = new AclTable();
    private final Replica.Settings settings;
    private final Env env;
    private final long clockOffsetMs;
    private final Sabotage sabotage;
    private final ArrayDeque<Held> outgoing = new ArrayDeque<>();
    Replica<Workload.Request> replica;
    /** Bumped at every crash, so that events scheduled for an earlier life are ignored. */
    int incarnation;
    boolean syncScheduled;
    boolean processScheduled;
    /** The armed crash, if any. */
    CrashTrigger crashTrigger = CrashTrigger.NONE;
    /** The checkers' record of the last index this life of the node applied (or its snapshot covers). */
    long lastApplied;
    /** Index of the newest snapshot this node has taken, installed or started from. */
    long snapshotIndex;
    TreeState lastCheckedState;
    long ticks;

    SimNode(int id, RaftConfig config, Replica.Settings settings, int snapshotChunkBytes, long clockOffsetMs, Sabotage sabotage,
            Env env) {
        this.sabotage = sabotage;
        this.id = id;
        this.config = config;
        this.settings = settings;
        this.disk = new SimDisk(snapshotChunkBytes);
        this.clockOffsetMs = clockOffsetMs;
        this.env = env;
    }

    boolean isUp() {
        return replica != null;
    }

    /** This node's wall clock: the simulated time plus a fixed skew. */
    long nowMs() {
        return env.now() + clockOffsetMs;
    }

    /** Builds the replica from what the disk holds durably (cutting a torn tail), as a process start does. */
    SimDisk.Recovered start(RandomGenerator raftRandom, LongSupplier sessionIds) {
        SimDisk.Recovered r = disk.recover(acls);
        Apply apply = new Apply(acls);
        Prep prep = new Prep(settings.limits(), apply, sessionIds, () -> new SessionSecret(sessionIds.getAsLong() | 1, sessionIds.getAsLong()));
        replica = new Replica<>(config, raftRandom, prep, apply, settings, r.snapshotState(), r.snapshotTerm(), r.hardState(),
                r.entries());
        lastApplied = r.snapshotState().lastZxid();
        snapshotIndex = lastApplied;
        lastCheckedState = null;
        return r;
    }

    /** Stops the node: its memory is gone, its unsynced writes are lost as {@code kind} says. */
    String crash(SimDisk.CrashKind kind, RandomGenerator rng) {
        String what = disk.crash(kind, rng);
        replica = null;
        outgoing.clear();
        incarnation++;
        syncScheduled = false;
        processScheduled = false;
        crashTrigger = CrashTrigger.NONE;
        return what;
    }

    /** Drains the replica's output until it has nothing more to say. */
    void drain() {
        for (int round = 0; ; round++) {
            Replica.Output<Workload.Request> out = replica.process();
            if (out.isEmpty()) return;
            if (round > 10_000) throw new AssertionError("node " + id + ": process() never runs dry");
            handle(out);
        }
    }

    private void handle(Replica.Output<Workload.Request> out) {
        Ready ready = out.ready();
        if (ready != null) {
            if (ready.softState() != null) env.softState(this, ready.softState());
            if (ready.mustPersist()) {
                disk.enqueue(new SimDisk.Pending.Write(ready.hardState(), ready.entries()));
                env.requestSync(this);
                if (sabotage == Sabotage.ACK_BEFORE_SYNC && !ready.entries().isEmpty()) {
                    replica.persisted(ready.lastEntryIndex(), ready.lastEntryTerm());
                }
            }
            long after = switch (sabotage) {
                case NONE -> disk.lastEnqueued();
                case ACK_BEFORE_SYNC -> 0;
                case SEND_AHEAD_OF_EARLIER_WRITES -> ready.mustPersist() ? disk.lastEnqueued() : 0;
            };
            for (Message m : ready.messages()) {
                if (after <= disk.lastSynced()) env.send(this, m);
                else outgoing.addLast(new Held(after, m));
            }
            release();
            for (Entry e : ready.committed()) env.applied(this, e);
        }
        for (Replica.Completion<Workload.Request> c : out.completions()) env.completed(this, c);
    }

    /** Makes the oldest queued write durable, reports it, and sends what was waiting for it. */
    void syncOne() {
        SimDisk.Pending p = disk.syncNext();
        if (p instanceof SimDisk.Pending.Write w && !w.entries().isEmpty() && sabotage != Sabotage.ACK_BEFORE_SYNC) {
            Entry last = w.entries().getLast();
            replica.persisted(last.index(), last.term());
        }
        release();
    }

    private void release() {
        if (sabotage == Sabotage.SEND_AHEAD_OF_EARLIER_WRITES) {
            // Messages wait only for their own Ready's write, so held ones may be out of order.
            var it = outgoing.iterator();
            while (it.hasNext()) {
                Held h = it.next();
                if (h.afterWrite() <= disk.lastSynced()) {
                    it.remove();
                    env.send(this, h.message());
                }
            }
            return;
        }
        while (!outgoing.isEmpty() && outgoing.peekFirst().afterWrite() <= disk.lastSynced()) {
            env.send(this, outgoing.removeFirst().message());
        }
    }

    /** Snapshots the applied state, compacts the durable log and then the replica's log. */
    void takeSnapshot() {
        TreeState state = replica.committed();
        long index = state.lastZxid();
        long term = replica.termAt(index);
        if (term < 1) throw new AssertionError("node " + id + " has no term for its applied index " + index);
        disk.snapshot(state, term);
        replica.compact(index);
        snapshotIndex = index;
    }

    /**
     * Installs the leader's snapshot whose bytes were fetched from the leader's disk. If the replica restored
     * from it, queues the snapshot as a write, so that the acknowledgement waits for it; returns the state.
     */
    TreeState install(Message.InstallSnapshot m, byte[] bytes) {
        TreeState state;
        try {
            state = SnapshotCodec.read(new ByteArrayInputStream(bytes), acls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!replica.installSnapshot(m, state)) return null;
        disk.enqueue(new SimDisk.Pending.Install(m.index(), m.snapshotTerm(), bytes));
        env.requestSync(this);
        lastApplied = m.index();
        snapshotIndex = m.index();
        return state;
    }

    int heldMessages() {
        return outgoing.size();
    }
}
