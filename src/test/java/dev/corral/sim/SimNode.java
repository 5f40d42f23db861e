package dev.corral.sim;

import dev.corral.consensus.Entry;
import dev.corral.consensus.Message;
import dev.corral.consensus.RaftConfig;
import dev.corral.consensus.HardState;
import dev.corral.consensus.SoftState;
import dev.corral.replica.Replica;
import dev.corral.replica.Sequencer;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.tree.DigestMismatch;
import dev.corral.tree.Prep;
import dev.corral.tree.SnapshotCodec;
import dev.corral.tree.TreeChange;
import dev.corral.tree.TreeState;
import dev.corral.txn.SessionSecret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * One node: a {@link Replica} driven by the production {@link Sequencer}, with a {@link SimDisk} and the
 * simulated network as its I/O adapters. The sequencer decides what is written, when messages go out (after
 * every write they may depend on is durable) and when the replica hears of durability; this class only moves
 * bytes: a queued write waits on the simulated disk until the simulator syncs it, and messages go to the
 * simulated network.
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

        void digestMismatch(SimNode n, DigestMismatch m);
    }

    /**
     * Deliberate faults of the simulated disk, for tests that prove the checkers catch what they cause.
     * {@code LIES_ABOUT_SYNC} reports every write durable as soon as it is queued, while a crash still loses it
     * (a disk whose cache ignores flushes): acknowledged writes are lost and the checkers must notice.
     */
    enum DiskFault {
        NONE,
        LIES_ABOUT_SYNC,
        /** The simulation wipes disks as always, but the restarted node is not told, and votes at once. */
        WIPED_WITHOUT_NOTICE
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
    private final DiskFault diskFault;
    Replica<Workload.Request> replica;
    private Sequencer<Workload.Request> sequencer;
    /** The bytes of a snapshot being installed, between the replica restoring from it and the sequencer queuing its write. */
    private byte[] installing;
    /** Bumped at every crash, so that events scheduled for an earlier life are ignored. */
    int incarnation;
    boolean syncScheduled;
    boolean processScheduled;
    /**
     * The node's storage lost entries it had acknowledged (its disk was wiped): it must not vote until it has caught up,
     * and the flag is handed to every life of the node until the replica reports that it has.
     */
    boolean storageLost;
    /** The highest term in which the node may have acknowledged what its storage lost. */
    long storageLostThroughTerm;
    /** The armed crash, if any. */
    CrashTrigger crashTrigger = CrashTrigger.NONE;
    /** The checkers' record of the last index this life of the node applied (or its snapshot covers). */
    long lastApplied;
    /** Index of the newest snapshot this node has taken, installed or started from. */
    long snapshotIndex;
    TreeState lastCheckedState;
    long ticks;

    SimNode(int id, RaftConfig config, Replica.Settings settings, int snapshotChunkBytes, long clockOffsetMs, DiskFault diskFault,
            Env env) {
        this.diskFault = diskFault;
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
        if (storageLost) replica.markStorageLost(storageLostThroughTerm);
        sequencer = new Sequencer<>(replica, new Io());
        lastApplied = r.snapshotState().lastZxid();
        snapshotIndex = lastApplied;
        lastCheckedState = null;
        return r;
    }

    /** Stops the node: its memory is gone, its unsynced writes are lost as {@code kind} says. */
    String crash(SimDisk.CrashKind kind, RandomGenerator rng) {
        String what = disk.crash(kind, rng);
        replica = null;
        sequencer = null;
        incarnation++;
        syncScheduled = false;
        processScheduled = false;
        crashTrigger = CrashTrigger.NONE;
        return what;
    }

    /** Drains the replica's output until it has nothing more to say. */
    void drain() {
        sequencer.drain();
    }

    /** Makes the oldest queued write durable and tells the sequencer; returns the write. */
    SimDisk.Pending syncOne() {
        SimDisk.Pending p = disk.syncNext();
        sequencer.durable(p.writeId());
        return p;
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
     * from it, the sequencer queues the snapshot as a write, so that the acknowledgement waits for it; returns
     * the state.
     */
    TreeState install(Message.InstallSnapshot m, byte[] bytes) {
        TreeState state;
        try {
            state = SnapshotCodec.read(new ByteArrayInputStream(bytes), acls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        installing = bytes;
        try {
            if (!sequencer.installSnapshot(m, state)) return null;
        } finally {
            installing = null;
        }
        lastApplied = m.index();
        snapshotIndex = m.index();
        return state;
    }

    int heldMessages() {
        return sequencer.heldMessages();
    }

    private final class Io implements Sequencer.Io<Workload.Request> {
        @Override
        public void write(long writeId, HardState hardState, List<Entry> entries) {
            disk.enqueue(new SimDisk.Pending.Write(writeId, hardState, entries));
            env.requestSync(SimNode.this);
            if (diskFault == DiskFault.LIES_ABOUT_SYNC) sequencer.durable(writeId);
        }

        @Override
        public void resetToSnapshot(long writeId, Message.InstallSnapshot m) {
            disk.enqueue(new SimDisk.Pending.Install(writeId, m.index(), m.snapshotTerm(), installing));
            env.requestSync(SimNode.this);
        }

        @Override
        public void send(Message m) {
            env.send(SimNode.this, m);
        }

        @Override
        public void softState(SoftState s) {
            env.softState(SimNode.this, s);
        }

        @Override
        public void applied(Entry e) {
            env.applied(SimNode.this, e);
        }

        @Override
        public void committed(TreeState state, List<TreeChange> changes, List<Long> closedSessions) {
        }

        @Override
        public void completed(Replica.Completion<Workload.Request> c) {
            env.completed(SimNode.this, c);
        }

        @Override
        public void digestMismatch(DigestMismatch m) {
            env.digestMismatch(SimNode.this, m);
        }
    }
}
