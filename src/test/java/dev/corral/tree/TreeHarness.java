package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import dev.corral.txn.Acl;
import dev.corral.txn.SessionSecret;
import dev.corral.txn.TxnCodec;
import dev.corral.txn.TxnRecord;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * Drives {@link Prep} and {@link Apply} the way the leader does: validate against the newest state, encode,
 * decode, apply at the next zxid. Keeps the log so that tests can replay it.
 */
final class TreeHarness {
    static final int DATA_BYTES_MAX = 1024;
    static final int SESSION_TIMEOUT_MIN_MS = 2000;
    static final int SESSION_TIMEOUT_MAX_MS = 40_000;

    final AclTable acls = new AclTable();
    final Apply apply = new Apply(acls);
    final List<Long> sessionIdSource = new ArrayList<>();
    private long nextSessionId = 0x1000;
    final Prep prep = new Prep(new Prep.Limits(DATA_BYTES_MAX, SESSION_TIMEOUT_MIN_MS, SESSION_TIMEOUT_MAX_MS), apply,
            () -> sessionIdSource.isEmpty() ? nextSessionId++ : sessionIdSource.removeFirst(),
            () -> new SessionSecret(0x5ec7e7L, nextSessionId));
    final List<TxnRecord> log = new ArrayList<>();
    TreeState state = TreeState.initial();
    long nowMs = 1_700_000_000_000L;
    List<TreeChange> lastChanges = List.of();

    OpResult ok(Op op) {
        return ok(op, Caller.ANONYMOUS);
    }

    OpResult ok(Op op, Caller caller) {
        Prep.Prepared prepared = prep.prep(state, op, caller, nowMs);
        if (!(prepared instanceof Prep.Prepared.Accepted accepted)) {
            throw new AssertionError("expected " + op + " to be accepted, got " + prepared);
        }
        TxnRecord record = TxnCodec.decode(TxnCodec.encode(new TxnRecord(nowMs, accepted.txn())));
        long zxid = state.lastZxid() + 1;
        Apply.Applied applied = apply.apply(state, zxid, record);
        assertEquals(zxid, applied.state().lastZxid());
        log.add(record);
        state = applied.state();
        lastChanges = applied.changes();
        return applied.result();
    }

    Stat created(String path) {
        return created(path, CreateMode.PERSISTENT, Caller.ANONYMOUS);
    }

    Stat created(String path, CreateMode mode, Caller caller) {
        OpResult r = ok(new Op.Create(path, new byte[0], null, mode, -1), caller);
        return ((OpResult.Created) r).stat();
    }

    long openSession() {
        return ((OpResult.SessionOpened) ok(new Op.CreateSession(10_000))).sessionId();
    }

    /** Asserts that {@code op} is refused with {@code code} and that the state is left exactly as it was. */
    Prep.Prepared.Rejected refused(ErrorCode code, Op op, Caller caller) {
        TreeState before = state;
        String dumpBefore = dump(state);
        Prep.Prepared prepared = prep.prep(state, op, caller, nowMs);
        if (!(prepared instanceof Prep.Prepared.Rejected rejected)) {
            fail("expected " + op + " to be refused with " + code + ", got " + prepared);
            return null;
        }
        assertEquals(code, rejected.code(), () -> "refusal of " + op + ": " + rejected.message());
        assertNotNull(rejected.message());
        assertSame(before, state);
        assertEquals(dumpBefore, dump(state), "a refused operation changed the tree");
        return rejected;
    }

    Prep.Prepared.Rejected refused(ErrorCode code, Op op) {
        return refused(code, op, Caller.ANONYMOUS);
    }

    Stat stat(String path) {
        Znode node = state.find(path);
        assertNotNull(node, path);
        return node.stat();
    }

    /** Applies the whole log to a fresh initial state with a fresh ACL table. */
    TreeState replay() {
        Apply fresh = new Apply(new AclTable());
        TreeState s = TreeState.initial();
        long zxid = 0;
        for (TxnRecord r : log) s = fresh.apply(s, ++zxid, r).state();
        return s;
    }

    /** Every observable part of a state, as text, in a canonical order. */
    static String dump(TreeState s) {
        StringBuilder sb = new StringBuilder();
        sb.append("lastZxid=").append(s.lastZxid()).append(" nodeCount=").append(s.nodeCount())
                .append(" dataBytes=").append(s.dataBytes()).append('\n');
        TreeMap<String, Znode> nodes = new TreeMap<>();
        collect(s.root(), "/", nodes);
        for (var e : nodes.entrySet()) {
            Znode n = e.getValue();
            List<String> children = new ArrayList<>(n.childNames());
            children.sort(null);
            sb.append(e.getKey()).append(' ').append(n.stat()).append(" data=").append(HexFormat.of().formatHex(n.data()))
                    .append(" acl=").append(n.acl()).append(" children=").append(children).append('\n');
        }
        TreeMap<Long, List<String>> sessions = new TreeMap<>();
        for (SessionEntry e : s.sessions()) {
            List<String> eph = new ArrayList<>(e.ephemerals().keys());
            eph.sort(null);
            sessions.put(e.id(), List.of(e.timeoutMs() + "", eph.toString()));
        }
        sb.append("sessions=").append(sessions).append('\n');
        List<String> containers = new ArrayList<>(s.containerPaths());
        containers.sort(null);
        List<String> ttls = new ArrayList<>(s.ttlPaths());
        ttls.sort(null);
        sb.append("containers=").append(containers).append(" ttls=").append(ttls).append('\n');
        return sb.toString();
    }

    private static void collect(Znode n, String path, TreeMap<String, Znode> out) {
        out.put(path, n);
        for (String name : n.childNames()) collect(n.child(name), Paths.child(path, name), out);
    }

    /** Counts znodes and data bytes by walking the tree, to check the state's running totals. */
    static long[] countNodesAndBytes(TreeState s) {
        TreeMap<String, Znode> nodes = new TreeMap<>();
        collect(s.root(), "/", nodes);
        long bytes = 0;
        for (Znode n : nodes.values()) bytes += n.data().length;
        return new long[] {nodes.size(), bytes};
    }

    static Op.Create create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttlMs) {
        return new Op.Create(path, data, acl, mode, ttlMs);
    }

    static Op.Create create(String path) {
        return new Op.Create(path, new byte[0], null, CreateMode.PERSISTENT, -1);
    }
}
