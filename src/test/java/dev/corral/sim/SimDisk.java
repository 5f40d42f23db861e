package dev.corral.sim;

import dev.corral.consensus.Entry;
import dev.corral.consensus.HardState;
import dev.corral.storage.LogRecovery;
import dev.corral.storage.MemoryLogStore;
import dev.corral.storage.MemorySnapshotStore;
import dev.corral.storage.SnapshotMeta;
import dev.corral.storage.SnapshotStore;
import dev.corral.storage.StoredEntry;
import dev.corral.tree.SnapshotCodec;
import dev.corral.tree.TreeState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One node's disk: a {@link MemoryLogStore} and a {@link MemorySnapshotStore} holding what is durable, and a
 * queue of writes that are not yet. A write becomes durable only when the simulator syncs it ({@link #syncNext}),
 * in queue order. A crash ({@link #crash}) loses every unsynced write; it may also let a prefix of them reach
 * the platter, and tear the next one: its hard state and a prefix of its entries survive, followed by one
 * record whose checksum is wrong, which {@link LogRecovery} must cut off at the restart. Only writes never
 * reported durable are ever lost or torn.
 *
 * <p>Snapshots the node takes of its own applied state are written synchronously: they hold only what the log
 * already holds durably. A snapshot received from the leader is queued like a write, because the
 * acknowledgement of the install must not get ahead of it.
 */
final class SimDisk {
    /** What the driver asked to make durable, in order. */
    sealed interface Pending {
        /** The sequencer's id of this write. */
        long writeId();

        /** A {@code Ready}'s hard state (may be null) and entries (may be empty), one atomic write. */
        record Write(long writeId, HardState hardState, List<Entry> entries) implements Pending {}

        /** A snapshot installed from the leader: store it, then reset the log to start after it. */
        record Install(long writeId, long index, long term, byte[] snapshot) implements Pending {}
    }

    /** How a crash treats the unsynced writes. */
    enum CrashKind {
        LOSE_ALL,
        KEEP_PREFIX,
        TEAR
    }

    /** The simulated disk can tear the unsynced writes at a crash, so its log is one whose writes can tear. */
    MemoryLogStore log = MemoryLogStore.withTornWrites();
    MemorySnapshotStore snapshots;
    private final int snapshotChunkBytes;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    SimDisk(int snapshotChunkBytes) {
        this.snapshotChunkBytes = snapshotChunkBytes;
        this.snapshots = new MemorySnapshotStore(snapshotChunkBytes);
    }

    /**
     * Replaces the disk of a stopped node by an empty one that holds only {@code hardState}: its log and snapshots are
     * gone (a data directory lost and recreated, with the term and vote restored as the operator must restore them).
     */
    void wipe(HardState hardState) {
        if (!pending.isEmpty()) throw new IllegalStateException("wipe a disk only while its node is down");
        log = MemoryLogStore.withTornWrites();
        snapshots = new MemorySnapshotStore(snapshotChunkBytes);
        log.write(hardState, List.of());
    }

    /** Queues a write. */
    void enqueue(Pending p) {
        pending.addLast(p);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    boolean hasPendingEntries() {
        for (Pending p : pending) if (p instanceof Pending.Write w && !w.entries().isEmpty()) return true;
        return false;
    }

    int pendingCount() {
        return pending.size();
    }

    /** Makes the oldest queued write durable and returns it. */
    Pending syncNext() {
        Pending p = pending.removeFirst();
        applyDurably(p);
        return p;
    }

    private void applyDurably(Pending p) {
        switch (p) {
            case Pending.Write w -> log.write(w.hardState(), w.entries());
            case Pending.Install in -> {
                SnapshotStore.Writer w = snapshots.begin(in.index(), in.term());
                try {
                    w.write(in.snapshot());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                w.commit();
                log.resetTo(in.index(), in.term());
                snapshots.retain(2);
            }
        }
    }

    /** Loses the unsynced writes as {@code kind} says; returns a short description for the trace. */
    String crash(CrashKind kind, RandomGenerator rng) {
        int n = pending.size();
        String what = "lost " + n + " unsynced writes";
        if (n > 0 && kind != CrashKind.LOSE_ALL) {
            int keep = rng.nextInt(n + 1);
            if (kind == CrashKind.TEAR) {
                // Tear one of the writes that carry entries, chosen at random; everything before it reaches the disk.
                List<Integer> tearable = new java.util.ArrayList<>();
                for (int k = 0; k < n; k++) if (nth(k) instanceof Pending.Write w && !w.entries().isEmpty()) tearable.add(k);
                if (!tearable.isEmpty()) keep = tearable.get(rng.nextInt(tearable.size()));
            }
            for (int i = 0; i < keep; i++) applyDurably(pending.removeFirst());
            what = "kept " + keep + " of " + n + " unsynced writes";
            if (kind == CrashKind.TEAR && !pending.isEmpty() && pending.getFirst() instanceof Pending.Write w && !w.entries().isEmpty()) {
                int intact = rng.nextInt(w.entries().size());
                Entry first = w.entries().getFirst();
                if (w.hardState() != null) {
                    // The hard state survives, but its commit index cannot cover the torn record: a store that can tear
                    // writes the commit point after the entries it covers (a store that commits atomically never tears).
                    HardState hs = w.hardState();
                    long lastIntact = first.index() - 1 + intact;
                    log.write(new HardState(hs.term(), hs.votedFor(), Math.min(hs.commit(), Math.max(lastIntact, log.hardState().commit()))), List.of());
                }
                log.truncateSuffix(first.index());
                if (intact > 0) log.write(null, w.entries().subList(0, intact));
                Entry torn = w.entries().get(intact);
                StoredEntry good = StoredEntry.of(torn);
                log.appendRaw(new StoredEntry(good.index(), good.term(), good.data(), good.crc() ^ (1 + rng.nextInt(1 << 20))));
                what += ", tore the next at index " + torn.index() + " after " + intact + " intact entries";
            }
        }
        pending.clear();
        return what;
    }

    private Pending nth(int k) {
        int i = 0;
        for (Pending p : pending) if (i++ == k) return p;
        throw new IndexOutOfBoundsException(k);
    }

    /** What a restarting node reads back. */
    record Recovered(HardState hardState, TreeState snapshotState, long snapshotTerm, List<Entry> entries, long truncatedFrom) {}

    Recovered recover(dev.corral.tree.AclTable acls) {
        LogRecovery.Result r = LogRecovery.recover(log);
        Optional<SnapshotMeta> meta = snapshots.latest();
        TreeState state = TreeState.initial();
        long term = 0;
        if (meta.isPresent()) {
            state = readSnapshot(meta.get(), acls);
            term = meta.get().term();
        }
        if (log.base().index() != state.lastZxid() || log.base().term() != term) {
            throw new AssertionError("log base " + log.base() + " does not match the newest snapshot at (" + state.lastZxid() + ", " + term + ")");
        }
        return new Recovered(log.hardState(), state, term, r.entries(), r.truncatedFrom());
    }

    /** Writes a snapshot of the node's own applied state and compacts the durable log up to it. */
    void snapshot(TreeState state, long term) {
        long index = state.lastZxid();
        if (index > log.lastIndex()) {
            throw new AssertionError("snapshot at " + index + " beyond the durable log, which ends at " + log.lastIndex()
                    + ": entries were applied before they were durable");
        }
        try (SnapshotStore.Writer w = snapshots.begin(index, term)) {
            SnapshotCodec.write(state, w);
            w.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.compact(index, term);
        snapshots.retain(2);
    }

    /** The bytes of the stored snapshot at ({@code index}, {@code term}), if this disk still has it. */
    Optional<byte[]> snapshotBytes(long index, long term) {
        for (SnapshotMeta m : snapshots.list()) {
            if (m.index() == index && m.term() == term) {
                try (InputStream in = snapshots.open(m.id())) {
                    return Optional.of(in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return Optional.empty();
    }

    private TreeState readSnapshot(SnapshotMeta meta, dev.corral.tree.AclTable acls) {
        try (InputStream in = snapshots.open(meta.id())) {
            return SnapshotCodec.read(in, acls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if the durable state holds entry ({@code index}, {@code term}), in the log or under a snapshot. */
    boolean holds(long index, long term) {
        if (index <= log.base().index()) return true;
        List<StoredEntry> raw = log.readRaw(index, index, 1);
        return !raw.isEmpty() && raw.getFirst().isIntact() && raw.getFirst().term() == term;
    }

    static byte[] encode(TreeState state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            SnapshotCodec.write(state, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
