package dev.corral.tree;

import static dev.corral.tree.TreeHarness.create;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.corral.storage.MemorySnapshotStore;
import dev.corral.storage.SnapshotMeta;
import dev.corral.storage.SnapshotStore;
import dev.corral.txn.Acl;
import dev.corral.txn.CorruptRecordException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {
    private static final List<List<Acl>> ACLS = List.of(
            Acl.OPEN,
            Acl.READ_ONLY,
            List.of(new Acl(Acl.ALL, "digest", AclCheck.digestId("alice", "pw"))),
            List.of(new Acl(Acl.READ | Acl.CREATE, "ip", "10.0.0.0/8"), new Acl(Acl.READ, "world", "anyone")),
            List.of(new Acl(Acl.ALL, "digest", AclCheck.digestId("bob", "pw")), new Acl(Acl.ADMIN, "ip", "192.168.1.7")));

    /** Builds a tree through Prep and Apply, so that every index and total is what the real code keeps. */
    static TreeHarness randomTree(long seed, int operations, int dataBytesMax) {
        TreeHarness h = new TreeHarness();
        SplittableRandom random = new SplittableRandom(seed);
        List<Long> sessions = new ArrayList<>();
        for (int i = 0; i < 6; i++) sessions.add(h.openSession());
        List<String> parents = new ArrayList<>(List.of("/"));
        Caller superCaller = new Caller(0, List.of(AuthId.SUPER));
        for (int i = 0; i < operations; i++) {
            h.nowMs += random.nextInt(50);
            String parent = parents.get(random.nextInt(parents.size()));
            String path = Paths.child(parent, "n" + random.nextInt(40) + (random.nextInt(8) == 0 ? "-ü日" : ""));
            byte[] data = new byte[random.nextInt(4) == 0 ? random.nextInt(dataBytesMax + 1) : 0];
            random.nextBytes(data);
            List<Acl> acl = ACLS.get(random.nextInt(ACLS.size()));
            int kind = random.nextInt(20);
            CreateMode mode = kind < 12 ? CreateMode.PERSISTENT
                    : kind < 15 ? CreateMode.EPHEMERAL
                    : kind < 17 ? CreateMode.CONTAINER
                    : kind < 19 ? CreateMode.PERSISTENT_TTL
                    : CreateMode.PERSISTENT_SEQUENTIAL;
            long session = mode.ephemeral ? sessions.get(random.nextInt(sessions.size())) : 0;
            Op op = create(path, data, acl, mode, mode.isTtl() ? 1 + random.nextInt(100_000) : -1);
            Caller caller = superCaller.withSession(session);
            if (random.nextInt(10) == 0) {
                op = new Op.SetData(path, data, -1);
            } else if (random.nextInt(25) == 0) {
                op = new Op.SetAcl(path, acl, -1);
            } else if (random.nextInt(30) == 0) {
                op = new Op.Delete(path, -1);
            }
            if (h.prep.prep(h.state, op, caller, h.nowMs) instanceof Prep.Prepared.Accepted) {
                OpResult r = h.ok(op, caller);
                if (r instanceof OpResult.Created c && mode != CreateMode.EPHEMERAL && random.nextInt(3) == 0) {
                    parents.add(c.path());
                }
            }
        }
        h.ok(new Op.CloseSession(sessions.getFirst()));
        h.ok(new Op.CreateSession(7000));
        return h;
    }

    private static byte[] write(TreeState state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.write(state, out);
        return out.toByteArray();
    }

    private static TreeState read(byte[] bytes) throws IOException {
        return SnapshotCodec.read(new ByteArrayInputStream(bytes), new AclTable());
    }

    @Test
    void randomTreeRoundTripsExactly() throws IOException {
        TreeHarness h = randomTree(5, 6000, 200);
        TreeState original = h.state;
        assertTrue(original.nodeCount() > 2000, "tree too small to be a meaningful test: " + original.nodeCount());
        assertTrue(original.containerPaths().size() > 20, "containers: " + original.containerPaths().size());
        assertTrue(original.ttlPaths().size() > 20, "ttls: " + original.ttlPaths().size());
        long ephemerals = original.sessions().stream().mapToLong(s -> s.ephemerals().size()).sum();
        assertTrue(ephemerals > 50, "ephemerals: " + ephemerals);
        assertTrue(original.sessions().stream().anyMatch(s -> s.ephemerals().isEmpty()), "a session without ephemerals");

        byte[] bytes = write(original);
        TreeState loaded = read(bytes);

        assertEquals(TreeHarness.dump(original), TreeHarness.dump(loaded));
        assertEquals(original.lastZxid(), loaded.lastZxid());
        assertEquals(original.nodeCount(), loaded.nodeCount());
        assertEquals(original.dataBytes(), loaded.dataBytes());
        assertEquals(original.sessionCount(), loaded.sessionCount());
        for (SessionEntry s : original.sessions()) {
            SessionEntry l = loaded.session(s.id());
            assertNotNull(l);
            assertEquals(s.timeoutMs(), l.timeoutMs());
            assertEquals(s.secret(), l.secret(), "session secrets are replicated state and survive a snapshot");
            assertTrue(!l.secret().isNone());
            assertEquals(sorted(s.ephemerals().keys()), sorted(l.ephemerals().keys()));
        }
        assertEquals(sorted(original.containerPaths()), sorted(loaded.containerPaths()));
        assertEquals(sorted(original.ttlPaths()), sorted(loaded.ttlPaths()));
        assertEquals(sorted(original.root().childNames()), sorted(loaded.root().childNames()));
        assertArrayEquals(bytes, write(loaded), "writing the loaded state gives the same bytes");
        assertTrue(sameForms(original.root(), loaded.root(), "/") > 1000, "a loaded znode is as small as the one written");
    }

    /** Checks that every znode of {@code b} has the form of its twin in {@code a}; returns how many are pristine. */
    private static int sameForms(Znode a, Znode b, String path) {
        assertEquals(a.getClass(), b.getClass(), path);
        int pristine = a instanceof Znode.Pristine ? 1 : 0;
        for (String name : a.childNames()) pristine += sameForms(a.child(name), b.child(name), Paths.child(path, name));
        return pristine;
    }

    @Test
    void versionOneSnapshotsLoadWithSessionsThatHaveNoSecret() throws IOException {
        TreeHarness h = randomTree(11, 300, 50);
        TreeState loaded = read(asVersionOne(write(h.state)));
        assertEquals(TreeHarness.dump(h.state), TreeHarness.dump(loaded));
        assertEquals(h.state.sessionCount(), loaded.sessionCount());
        for (SessionEntry s : loaded.sessions()) {
            assertTrue(s.secret().isNone(), "a session from before secrets has none, so no presented secret matches it");
            assertEquals(h.state.session(s.id()).ephemerals().size(), s.ephemerals().size());
        }
    }

    /** Rewrites a version-2 snapshot as version 1 wrote it: old magic, sessions without secrets, checksum recomputed. */
    private static byte[] asVersionOne(byte[] v2) throws IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(new ByteArrayInputStream(v2));
        in.skipNBytes(8 + 16);
        int lists = in.readInt();
        for (int i = 0; i < lists; i++) {
            int n = in.readInt();
            for (int j = 0; j < n; j++) {
                in.readInt();
                in.skipNBytes(in.readInt());
                in.skipNBytes(in.readInt());
            }
        }
        int sessionsAt = v2.length - in.available();
        int sessions = in.readInt();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("CRLSNAP1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(v2, 8, sessionsAt + 4 - 8);
        for (int i = 0; i < sessions; i++) {
            out.write(v2, sessionsAt + 4 + i * 28, 12);
        }
        int nodesAt = sessionsAt + 4 + sessions * 28;
        out.write(v2, nodesAt, v2.length - 4 - nodesAt);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        byte[] body = out.toByteArray();
        crc.update(body);
        new java.io.DataOutputStream(out).writeInt((int) crc.getValue());
        return out.toByteArray();
    }

    @Test
    void loadedTreeKeepsWorkingWithPrepAndApply() throws IOException {
        TreeHarness h = randomTree(9, 800, 200);
        TreeState loaded = read(write(h.state));
        TreeHarness after = new TreeHarness();
        after.state = loaded;
        after.nowMs = h.nowMs;
        after.created("/fresh-after-load");
        h.created("/fresh-after-load");
        assertEquals(TreeHarness.dump(h.state), TreeHarness.dump(after.state));
    }

    @Test
    void snapshotStoredInSmallChunksLoadsBackExactly() throws IOException {
        TreeHarness h = randomTree(8, 1500, 200);
        MemorySnapshotStore store = new MemorySnapshotStore(4096);
        SnapshotMeta meta;
        try (SnapshotStore.Writer w = store.begin(h.state.lastZxid(), 1)) {
            SnapshotCodec.write(h.state, w);
            meta = w.commit();
        }
        assertTrue(meta.chunks() > 10, "chunks: " + meta.chunks());
        TreeState loaded;
        try (InputStream in = store.open(store.latest().orElseThrow().id())) {
            loaded = SnapshotCodec.read(in, new AclTable());
        }
        assertEquals(TreeHarness.dump(h.state), TreeHarness.dump(loaded));
    }

    @Test
    void initialStateRoundTrips() throws IOException {
        TreeState initial = TreeState.initial();
        assertEquals(TreeHarness.dump(initial), TreeHarness.dump(read(write(initial))));
    }

    @Test
    void everyFlippedByteOfASmallSnapshotIsRejected() throws IOException {
        TreeHarness h = randomTree(3, 60, 8);
        byte[] good = write(h.state);
        String expected = TreeHarness.dump(h.state);
        for (int i = 0; i < good.length; i++) {
            for (int mask : new int[] {0x01, 0x40, 0x80}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) mask;
                assertRejectedOrUnchanged(bad, expected, "byte " + i + " of " + good.length + " mask " + mask);
            }
        }
    }

    @Test
    void sampledFlippedBytesOfALargeSnapshotAreRejected() throws IOException {
        TreeHarness h = randomTree(4, 3000, 200);
        byte[] good = write(h.state);
        String expected = TreeHarness.dump(h.state);
        SplittableRandom random = new SplittableRandom(17);
        for (int k = 0; k < 300; k++) {
            int i = k < 40 ? k : k < 80 ? good.length - (k - 39) : random.nextInt(good.length);
            byte[] bad = good.clone();
            bad[i] ^= (byte) (1 + random.nextInt(255));
            assertRejectedOrUnchanged(bad, expected, "byte " + i + " of " + good.length);
        }
    }

    @Test
    void everyTruncationIsRejected() throws IOException {
        TreeHarness h = randomTree(3, 60, 8);
        byte[] good = write(h.state);
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThrows(CorruptRecordException.class, () -> read(cut), "cut to " + len + " of " + good.length);
        }
    }

    private static void assertRejectedOrUnchanged(byte[] bad, String expected, String context) {
        TreeState loaded;
        try {
            loaded = read(bad);
        } catch (CorruptRecordException detected) {
            return;
        } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError other) {
            fail(context + ": threw " + other, other);
            return;
        }
        assertEquals(expected, TreeHarness.dump(loaded), context + ": a damaged snapshot loaded as a different state");
    }

    private static List<String> sorted(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        copy.sort(null);
        return copy;
    }
}
