package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.txn.Acl;
import dev.corral.txn.SessionSecret;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnCodec;
import dev.corral.txn.TxnRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The replica digest ({@link Digest}, {@link TreeState#digest()}): kept up to date by {@link Apply} at the cost of
 * the znodes each transaction changes, it always equals the digest computed from scratch, survives a snapshot, and
 * tells apart trees that differ in one byte of data, one Stat field, one ACL entry or one session.
 */
class DigestTest {
    private static final long SEED = Long.getLong("corral.digest.seed", 20261202L);
    private static final String[] PATHS = {"/a", "/b", "/a/x", "/a/y", "/b/x", "/a/x/deep", "/c", "/c/q"};
    private static final List<Acl> CREATOR_ALL = List.of(new Acl(Acl.ALL, "world", "anyone"), new Acl(Acl.READ, "ip", "10.0.0.1"));

    private final TreeHarness h = new TreeHarness();

    /**
     * The property: for random sequences of transactions of every kind (creates of every mode, sequential ones,
     * data and ACL changes, deletes, multis, sessions opened and closed with their ephemerals, reaps), the running
     * digest equals the digest computed from scratch after every step, and after a snapshot is written and read.
     */
    @Test
    void theRunningDigestEqualsTheRecomputedDigestAfterEveryTransaction() throws IOException {
        SplittableRandom rng = new SplittableRandom(SEED);
        List<Long> sessions = new ArrayList<>();
        int applied = 0;
        for (int step = 0; step < 3000; step++) {
            h.nowMs += 1 + rng.nextInt(50);
            Op op = randomOp(rng, sessions);
            Caller caller = sessions.isEmpty() ? Caller.ANONYMOUS : Caller.ANONYMOUS.withSession(sessions.get(rng.nextInt(sessions.size())));
            if (!(h.prep.prep(h.state, op, caller, h.nowMs) instanceof Prep.Prepared.Accepted)) continue;
            OpResult r = h.ok(op, caller);
            applied++;
            if (r instanceof OpResult.SessionOpened so) sessions.add(so.sessionId());
            if (op instanceof Op.CloseSession cs) sessions.remove(Long.valueOf(cs.sessionId()));
            assertEquals(Digest.of(h.state), h.state.digest(), () -> "after " + op + " at zxid " + h.state.lastZxid());
            if (step % 500 == 0) assertEquals(h.state.digest(), roundTrip(h.state).digest(), "after a snapshot at step " + step);
        }
        assertTrue(applied > 1000, "only " + applied + " of the random operations were accepted");
        assertTrue(h.state.nodeCount() > 5 && h.state.sessionCount() > 0, "the random tree is too small to prove much");
        assertEquals(h.state.digest(), h.replay().digest(), "a replay of the log with another ACL table");
        assertEquals(h.state.digest(), roundTrip(h.state).digest());
    }

    private Op randomOp(SplittableRandom rng, List<Long> sessions) {
        String path = PATHS[rng.nextInt(PATHS.length)];
        byte[] data = new byte[rng.nextInt(4) == 0 ? 0 : rng.nextInt(100)];
        rng.nextBytes(data);
        return switch (rng.nextInt(11)) {
            case 0, 1 -> new Op.Create(path, data, rng.nextBoolean() ? null : CREATOR_ALL, CreateMode.PERSISTENT, -1);
            case 2 -> new Op.Create(path + "-", data, null, rng.nextBoolean() ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.CONTAINER, -1);
            case 3 -> new Op.Create(path + "-t", data, null, CreateMode.PERSISTENT_TTL, 1 + rng.nextInt(100));
            case 4 -> new Op.Create(path + "-e", data, null, CreateMode.EPHEMERAL_SEQUENTIAL, -1);
            case 5 -> new Op.SetData(path, data, -1);
            case 6 -> new Op.SetAcl(path, rng.nextBoolean() ? Acl.OPEN : CREATOR_ALL, -1);
            case 7 -> new Op.Delete(path, -1);
            case 8 -> new Op.Multi(List.of(new Op.Create(path + "-m", data, null, CreateMode.PERSISTENT, -1),
                    new Op.SetData(path + "-m", new byte[] {1}, -1), new Op.Check(path + "-m", 1)));
            case 9 -> sessions.size() < 3 || rng.nextBoolean() ? new Op.CreateSession(10_000)
                    : new Op.CloseSession(sessions.get(rng.nextInt(sessions.size())));
            default -> {
                List<String> candidates = new ArrayList<>(h.state.containerPaths());
                candidates.addAll(h.state.ttlPaths());
                candidates.sort(null);
                yield candidates.isEmpty() ? new Op.Delete(path, -1) : new Op.Reap(candidates.get(rng.nextInt(candidates.size())));
            }
        };
    }

    private TreeState roundTrip(TreeState s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.write(s, out);
        return SnapshotCodec.read(new ByteArrayInputStream(out.toByteArray()), new AclTable());
    }

    @Test
    void treesThatDifferInOneByteOneStatFieldOrOneAclEntryHaveDifferentDigests() {
        h.ok(new Op.Create("/a", new byte[] {1, 2, 3}, null, CreateMode.PERSISTENT, -1));
        // 75 bytes: whole rounds of four lanes, whole words after them, and bytes after those.
        byte[] data = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^&*()+=-".getBytes();
        assertEquals(75, data.length);
        h.ok(new Op.Create("/a/b", data, CREATOR_ALL, CreateMode.PERSISTENT, -1));
        h.ok(new Op.SetData("/a/b", data, -1));
        long session = h.openSession();
        h.ok(new Op.Create("/a/e", new byte[0], null, CreateMode.EPHEMERAL, -1), Caller.ANONYMOUS.withSession(session));
        TreeState base = h.state;
        assertEquals(Digest.of(base), base.digest());
        Set<Long> seen = new HashSet<>();
        seen.add(base.digest());
        List<String> variants = new ArrayList<>();

        Znode b = base.find("/a/b");
        for (int i = 0; i < b.data().length; i++) {
            for (int bit = 0; bit < 8; bit += 7) {
                byte[] flipped = b.data().clone();
                flipped[i] ^= (byte) (1 << bit);
                variants.add("data byte " + i + " bit " + bit);
                assertDiffers(base, "/a/b", z -> copy(z, flipped, z.acl(), longs(z), ints(z)), seen, variants.getLast());
            }
        }
        byte[] longer = java.util.Arrays.copyOf(b.data(), b.data().length + 1);
        assertDiffers(base, "/a/b", z -> copy(z, longer, z.acl(), longs(z), ints(z)), seen, "one zero byte more");
        for (int field = 0; field < 6; field++) {
            int f = field;
            assertDiffers(base, "/a/b", z -> {
                long[] l = longs(z);
                l[f]++;
                return copy(z, z.data(), z.acl(), l, ints(z));
            }, seen, "long Stat field " + field);
        }
        for (int field = 0; field < 3; field++) {
            int f = field;
            assertDiffers(base, "/a/b", z -> {
                int[] i = ints(z);
                i[f]++;
                return copy(z, z.data(), z.acl(), longs(z), i);
            }, seen, "int Stat field " + field);
        }
        assertDiffers(base, "/a/b", z -> copy(z, z.data(), List.of(new Acl(Acl.ALL, "world", "anyone"), new Acl(Acl.WRITE, "ip", "10.0.0.1")),
                longs(z), ints(z)), seen, "one ACL permission");
        assertDiffers(base, "/a/b", z -> copy(z, z.data(), List.of(new Acl(Acl.ALL, "world", "anyone"), new Acl(Acl.READ, "ip", "10.0.0.2")),
                longs(z), ints(z)), seen, "one ACL id");
        assertDiffers(base, "/a/b", z -> copy(z, z.data(), List.of(CREATOR_ALL.get(1), CREATOR_ALL.get(0)), longs(z), ints(z)), seen,
                "ACL entries in another order");
        // numChildren: /a with one child more (an empty znode) differs from /a, even counting that child's own hash away.
        Znode a = base.find("/a");
        Znode extra = Znode.created(Znode.NO_DATA, Acl.OPEN, 1, 1, 0);
        TreeState withChild = replace(base, "/a", a.withChildren(a.children().with("c", extra)));
        assertNotEquals(base.digest(), Digest.of(withChild) - Digest.znode("/a/c", extra), "numChildren");
        // The same znodes under other paths.
        TreeState swapped = replace(replace(base, "/a/b", base.find("/a/e")), "/a/e", b);
        assertTrue(seen.add(Digest.of(swapped)), "two znodes swapped");
        // Sessions: a timeout.
        SessionEntry s = base.session(session);
        TreeState otherTimeout = new TreeState(base.root, base.sessions.with(session, new SessionEntry(session, s.timeoutMs() + 1, s.secret(),
                s.ephemerals())), base.containers, base.ttls, base.lastZxid, base.nodeCount, base.dataBytes, 0);
        assertTrue(seen.add(Digest.of(otherTimeout)), "a session's timeout");
    }

    private static long[] longs(Znode z) {
        return new long[] {z.czxid(), z.mzxid(), z.pzxid(), z.ctime(), z.mtime(), z.ephemeralOwner()};
    }

    private static int[] ints(Znode z) {
        return new int[] {z.version(), z.childCreations(), z.aversion()};
    }

    private static Znode copy(Znode z, byte[] data, List<Acl> acl, long[] l, int[] i) {
        return Znode.of(data, acl, z.children(), l[0], l[1], l[2], l[3], l[4], l[5], i[0], i[1], i[2]);
    }

    /** The state with the znode at {@code path} replaced; its digest computed from scratch. */
    private static TreeState replace(TreeState s, String path, Znode replacement) {
        String[] segments = Paths.segments(path);
        Znode root = replaceAt(s.root, segments, 0, replacement);
        TreeState t = new TreeState(root, s.sessions, s.containers, s.ttls, s.lastZxid, s.nodeCount, s.dataBytes, 0);
        return t.withDigest(Digest.of(t));
    }

    private static Znode replaceAt(Znode node, String[] segments, int depth, Znode replacement) {
        if (depth == segments.length) return replacement;
        return node.withChild(segments[depth], replaceAt(node.child(segments[depth]), segments, depth + 1, replacement));
    }

    private static void assertDiffers(TreeState base, String path, UnaryOperator<Znode> change, Set<Long> seen, String what) {
        TreeState changed = replace(base, path, change.apply(base.find(path)));
        assertTrue(seen.add(changed.digest()), () -> what + ": the digest is one seen before");
    }

    @Test
    void aDigestCheckComparesWithoutChangingTheTreeAndReportsADifferenceWithBothValues() {
        h.ok(new Op.Create("/a", new byte[] {1}, null, CreateMode.PERSISTENT, -1));
        TreeState before = h.state;
        long zxid = before.lastZxid() + 1;
        TxnRecord matching = TxnCodec.decode(TxnCodec.encode(new TxnRecord(h.nowMs, new Txn.DigestCheck(before.digest()))));
        Apply.Applied ok = h.apply.apply(before, zxid, matching);
        assertNull(ok.digestMismatch());
        assertEquals(zxid, ok.state().lastZxid());
        assertSame(before.root(), ok.state().root());
        assertEquals(before.digest(), ok.state().digest());
        assertTrue(ok.changes().isEmpty());

        Apply.Applied off = h.apply.apply(before, zxid, new TxnRecord(h.nowMs, new Txn.DigestCheck(before.digest() + 1)));
        assertEquals(new DigestMismatch(zxid, before.digest() + 1, before.digest()), off.digestMismatch());
        assertSame(before.root(), off.state().root());
        assertEquals(zxid, off.state().lastZxid());
        String text = off.digestMismatch().describe();
        assertTrue(text.startsWith("replica digest mismatch at zxid " + zxid + ": expected "), text);
        assertTrue(text.contains(Long.toHexString(before.digest() + 1)) && text.contains(Long.toHexString(before.digest())), text);
    }

    @Test
    void theInitialTreeHasTheDigestOfItsBuiltInZnodesAndSessionSecretsAreLeftOut() {
        TreeState initial = TreeState.initial();
        assertEquals(Digest.of(initial), initial.digest());
        assertNotEquals(0, initial.digest());
        long id = 0x42;
        SessionEntry one = new SessionEntry(id, 5000, new SessionSecret(1, 2), PersistentMap.empty());
        SessionEntry other = new SessionEntry(id, 5000, new SessionSecret(3, 4), PersistentMap.empty());
        assertEquals(Digest.session(one), Digest.session(other), "a digest is logged; it must not depend on a credential");
    }
}
