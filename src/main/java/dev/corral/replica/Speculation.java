package dev.corral.replica;

import dev.corral.consensus.Entry;
import dev.corral.tree.Apply;
import dev.corral.tree.TreeState;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnRecord;
import java.util.ArrayDeque;

/**
 * A leader's states after each entry of its log that is not yet committed, each computed once: the first from
 * the committed state, each next one from the one before. When an entry commits, its state becomes the committed
 * state as it is, so a leader builds its tree once (and keeps one tree in memory) instead of applying every entry
 * a second time.
 *
 * <p>What it holds: one link per entry in flight (requests, bounded by {@code Replica.Settings.pendingRequestsMax};
 * session expiries and reaps; the entries a new leader inherited; all bounded by the core's uncommitted bytes).
 * Each state shares everything with its neighbours except the path its transaction rewrote: per changed znode,
 * its ancestors and their children maps' paths, roughly half a kilobyte per level of depth. So beyond the
 * committed tree the chain holds about what the writes in flight changed: a kilobyte or two for a typical write,
 * at worst (a multi, or a session close, touching many deep znodes) some hundred bytes per znode changed per
 * level. Pure; not thread-safe (the replica's thread owns it).
 */
final class Speculation {
    /**
     * An entry and the state after it. {@code payload} is the entry's own array: a committed entry that carries
     * that very array, at the same index and term, is the entry this state was computed from.
     */
    record Link(long index, long term, byte[] payload, Txn txn, Apply.Applied applied) {}

    private final Apply apply;
    private final ArrayDeque<Link> links = new ArrayDeque<>();

    Speculation(Apply apply) {
        this.apply = apply;
    }

    /** Applies entry {@code index} to {@code newest} (the state after the previous link), keeps the result and returns its state. */
    TreeState extend(TreeState newest, long index, long term, byte[] payload, TxnRecord record) {
        Apply.Applied applied = apply.apply(newest, index, record);
        links.addLast(new Link(index, term, payload, record.txn(), applied));
        return applied.state();
    }

    /**
     * The link for committed entry {@code e} if it is the entry the link was computed from, taken off the chain;
     * otherwise null, after dropping the whole chain (every state in it descends from an entry that did not
     * commit). A mismatch can only follow the end of the leadership that built the chain, because a leader's log
     * does not change under it: while {@code stillLeading}, it is a broken invariant and throws.
     */
    Link takeFor(Entry e, boolean stillLeading) {
        Link first = links.peekFirst();
        if (first == null) return null;
        if (first.index() == e.index() && first.term() == e.term() && first.payload() == e.data()) return links.removeFirst();
        if (stillLeading) {
            throw new IllegalStateException("the leader commits entry " + e.index() + " (term " + e.term() + ") but its next speculated entry is "
                    + first.index() + " (term " + first.term() + ")");
        }
        links.clear();
        return null;
    }

    void clear() {
        links.clear();
    }

    int size() {
        return links.size();
    }
}
