package dev.corral.sim;

import dev.corral.consensus.Entry;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.tree.SessionEntry;
import dev.corral.tree.Stat;
import dev.corral.tree.TreeState;
import dev.corral.tree.Znode;
import dev.corral.txn.Txn;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-of-run check of acknowledged writes, once the cluster has healed and every node has applied the same
 * log: every acknowledged request is in that log at its zxid, and where no later entry touched a path (or a
 * session), the final tree still shows what the client was told.
 */
final class FinalCheck {
    private FinalCheck() {}

    static void run(ReferenceLog reference, List<Workload.Ack> acks, TreeState finalState) {
        long last = finalState.lastZxid();
        Map<String, Long> lastTouch = lastTouches(reference, last);
        for (Workload.Ack ack : acks) {
            long z = ack.done().zxid();
            if (z > last) throw new AssertionError("acknowledged zxid " + z + " is beyond the final log, which ends at " + last);
            if (ack.request().sync()) continue;
            Txn txn = ReferenceLog.record(reference.entry(z)).txn();
            String mismatch = Invariants.AckCheck.mismatch(ack.request().op(), ack.done().result(), txn, z);
            if (mismatch != null) throw new AssertionError("acknowledged request " + Workload.describe(ack.request().op()) + " at zxid " + z + ": " + mismatch);
            String problem = agrees(ack.request().op(), ack.done().result(), z, lastTouch, finalState);
            if (problem != null) {
                throw new AssertionError("acknowledged request " + Workload.describe(ack.request().op()) + " at zxid " + z + " is not reflected in the final tree: " + problem);
            }
        }
    }

    /** For each path and session, the last index of an entry that changed it. */
    private static Map<String, Long> lastTouches(ReferenceLog reference, long last) {
        Map<String, Long> out = new HashMap<>();
        for (long i = 1; i <= last; i++) {
            Entry e = reference.entry(i);
            touch(ReferenceLog.record(e).txn(), i, reference.stateAt(i - 1), out);
        }
        return out;
    }

    private static void touch(Txn txn, long i, TreeState before, Map<String, Long> out) {
        switch (txn) {
            case Txn.Create c -> out.put(c.path(), i);
            case Txn.Delete d -> out.put(d.path(), i);
            case Txn.SetData d -> out.put(d.path(), i);
            case Txn.SetAcl a -> out.put(a.path(), i);
            case Txn.Multi m -> {
                for (Txn t : m.ops()) touch(t, i, before, out);
            }
            case Txn.CreateSession cs -> out.put(sessionKey(cs.sessionId()), i);
            case Txn.CloseSession cs -> {
                out.put(sessionKey(cs.sessionId()), i);
                SessionEntry s = before.session(cs.sessionId());
                if (s != null) for (String p : s.ephemerals().keys()) out.put(p, i);
            }
            case Txn.Check c -> { }
            case Txn.Noop n -> { }
            case Txn.DigestCheck d -> { }
        }
    }

    private static String sessionKey(long id) {
        return "#session:" + Long.toHexString(id);
    }

    private static String agrees(Op op, OpResult result, long z, Map<String, Long> lastTouch, TreeState s) {
        switch (op) {
            case Op.Create c when result instanceof OpResult.Created cr -> {
                if (!lastAt(lastTouch, cr.path(), z)) return null;
                Znode n = s.find(cr.path());
                if (n == null) return cr.path() + " is missing";
                return sameData(n, c.data(), cr.stat());
            }
            case Op.SetData d when result instanceof OpResult.DataSet ds -> {
                if (!lastAt(lastTouch, ds.path(), z)) return null;
                Znode n = s.find(ds.path());
                if (n == null) return ds.path() + " is missing";
                return sameData(n, d.data(), ds.stat());
            }
            case Op.Delete d -> {
                if (!lastAt(lastTouch, d.path(), z)) return null;
                return s.find(d.path()) == null ? null : d.path() + " still exists";
            }
            case Op.CreateSession cs when result instanceof OpResult.SessionOpened so -> {
                if (!lastAt(lastTouch, sessionKey(so.sessionId()), z)) return null;
                return s.session(so.sessionId()) != null ? null : "session " + Long.toHexString(so.sessionId()) + " is missing";
            }
            case Op.CloseSession cs -> {
                return s.session(cs.sessionId()) == null ? null : "session " + Long.toHexString(cs.sessionId()) + " still exists";
            }
            case Op.Multi m when result instanceof OpResult.MultiDone md -> {
                // Within one multi several operations may touch a path; only the last one's effect must show.
                Map<String, Integer> lastOp = new HashMap<>();
                for (int i = 0; i < m.ops().size(); i++) {
                    String p = pathOf(m.ops().get(i), md.results().get(i));
                    if (p != null) lastOp.put(p, i);
                }
                for (Map.Entry<String, Integer> e : lastOp.entrySet()) {
                    if (!lastAt(lastTouch, e.getKey(), z)) continue;
                    Op sub = m.ops().get(e.getValue());
                    boolean exists = s.find(e.getKey()) != null;
                    if (sub instanceof Op.Delete && exists) return "operation " + e.getValue() + ": " + e.getKey() + " still exists";
                    if ((sub instanceof Op.Create || sub instanceof Op.SetData) && !exists) {
                        return "operation " + e.getValue() + ": " + e.getKey() + " is missing";
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private static boolean lastAt(Map<String, Long> lastTouch, String key, long z) {
        Long t = lastTouch.get(key);
        return t != null && t == z;
    }

    private static String pathOf(Op op, OpResult r) {
        return switch (op) {
            case Op.Create c -> r instanceof OpResult.Created cr ? cr.path() : null;
            case Op.SetData d -> d.path();
            case Op.Delete d -> d.path();
            default -> null;
        };
    }

    private static String sameData(Znode n, byte[] data, Stat told) {
        Stat now = n.stat();
        byte[] expected = data == null ? new byte[0] : data;
        if (!Arrays.equals(n.data(), expected)) return "its data differs from what was written";
        boolean same = now.czxid() == told.czxid() && now.mzxid() == told.mzxid() && now.ctime() == told.ctime()
                && now.mtime() == told.mtime() && now.version() == told.version() && now.aversion() == told.aversion()
                && now.ephemeralOwner() == told.ephemeralOwner() && now.dataLength() == told.dataLength();
        return same ? null : "its stat is " + now + " but the client was told " + told;
    }
}
