package dev.corral.sim;

import dev.corral.consensus.Entry;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.tree.TreeState;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnCodec;
import dev.corral.txn.TxnRecord;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * The committed log as the simulator has seen it: every entry any node has applied, at its index, and the
 * tree after each index replayed from scratch with a separate {@link Apply}. An entry applied by a node is
 * committed, so a later node that applies a different entry at that index breaks state machine safety. Because
 * a node applies in index order and a snapshot only covers entries its author applied, the log grows without
 * gaps. States share structure, so keeping one per index is cheap.
 */
final class ReferenceLog {
    private final Apply apply = new Apply(new AclTable());
    private final ArrayList<Entry> entries = new ArrayList<>();
    private final ArrayList<TreeState> states = new ArrayList<>();
    private long[] digests = new long[64];
    private boolean[] digested = new boolean[64];
    /** Per index: no leader of a higher term than this can have been elected before the entry was committed. */
    private final ArrayList<Long> commitTermBound = new ArrayList<>();
    /** Digest checks among the committed entries. */
    long digestChecks;

    ReferenceLog() {
        states.add(TreeState.initial());
    }

    long lastIndex() {
        return entries.size();
    }

    Entry entry(long index) {
        return entries.get((int) index - 1);
    }

    TreeState stateAt(long index) {
        return states.get((int) index);
    }

    long digestAt(long index) {
        int i = (int) index;
        if (i >= digests.length) {
            digests = Arrays.copyOf(digests, Math.max(i + 1, digests.length * 2));
            digested = Arrays.copyOf(digested, digests.length);
        }
        if (!digested[i]) {
            digests[i] = TreeDigest.of(states.get(i));
            digested[i] = true;
        }
        return digests[i];
    }

    /**
     * Records that {@code node} applied {@code e}. Returns true if no node had applied this index before. Fails
     * if another entry was applied at this index, or if the entry would leave a gap.
     */
    boolean applied(int node, Entry e, long termBound) {
        long i = e.index();
        if (i <= lastIndex()) {
            Entry known = entry(i);
            if (known.term() != e.term() || !Arrays.equals(known.data(), e.data())) {
                throw new AssertionError("state machine safety: node " + node + " applied entry " + i + " of term " + e.term()
                        + " (" + describe(e) + ") but entry " + i + " of term " + known.term() + " (" + describe(known)
                        + ") was applied before");
            }
            return false;
        }
        if (i != lastIndex() + 1) {
            throw new AssertionError("node " + node + " applied entry " + i + " but the committed log seen so far ends at " + lastIndex());
        }
        entries.add(e);
        TxnRecord record = record(e);
        if (record.txn() instanceof Txn.DigestCheck) digestChecks++;
        states.add(apply.apply(states.getLast(), i, record).state());
        commitTermBound.add(termBound);
        return true;
    }

    /** The highest index that every leader of {@code term} must hold (Raft's leader completeness). */
    long committedBefore(long term) {
        int lo = 0;
        int hi = commitTermBound.size();
        // Bounds never decrease along the log: an index is first applied no earlier than the one before it.
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (commitTermBound.get(mid) < term) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    static TxnRecord record(Entry e) {
        return e.isNoop() ? new TxnRecord(0, new Txn.Noop()) : TxnCodec.decode(e.data());
    }

    static String describe(Entry e) {
        String txn = describe(record(e).txn());
        return txn.length() > 160 ? txn.substring(0, 160) + "…" : txn;
    }

    /** A transaction as text, without array identity hashes, so that failure messages replay exactly. */
    static String describe(Txn txn) {
        return switch (txn) {
            case Txn.Create c -> "create " + c.path() + " (" + c.data().length + " bytes, owner " + Long.toHexString(c.ephemeralOwner()) + ")";
            case Txn.Delete d -> "delete " + d.path();
            case Txn.SetData d -> "setData " + d.path() + " (" + d.data().length + " bytes, version " + d.version() + ")";
            case Txn.SetAcl a -> "setAcl " + a.path() + " (aversion " + a.aversion() + ")";
            case Txn.Check c -> "check " + c.path();
            case Txn.Multi m -> "multi " + m.ops().stream().map(ReferenceLog::describe).toList();
            case Txn.CreateSession cs -> "createSession " + Long.toHexString(cs.sessionId());
            case Txn.CloseSession cs -> "closeSession " + Long.toHexString(cs.sessionId());
            case Txn.Noop n -> "noop";
            case Txn.DigestCheck d -> "digestCheck " + Long.toHexString(d.digest());
        };
    }
}
