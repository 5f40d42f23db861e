package dev.corral.tree;

import dev.corral.txn.Acl;
import dev.corral.txn.CorruptRecordException;
import dev.corral.txn.SessionSecret;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Serializes a {@link TreeState} for snapshots. Because states are immutable, a snapshot is written from
 * a state captured in O(1) while the tree keeps changing.
 *
 * <p>Format, version 2, big-endian:
 * <pre>
 *   "CRLSNAP2"                    8 bytes
 *   i64 lastZxid, i64 nodeCount
 *   i32 a, a × acl list           (i32 n, n × (i32 perms, str scheme, str id)); znodes refer to them by position
 *   i32 s, s × session            (i64 id, i32 timeoutMs, i64 secretHigh, i64 secretLow); ephemerals are rebuilt
 *                                 from the znodes
 *   nodeCount × znode, pre-order  (str name, i32 acl, bytes data, i64 czxid mzxid pzxid ctime mtime ephemeralOwner,
 *                                  i32 version cversion aversion, i32 children)
 *   "CRLSEND1", i32 crc32c of every byte before it
 *   str := i32 n + UTF-8;  bytes := i32 n + n bytes
 * </pre>
 * Version 1 ("CRLSNAP1") is the same without the session secrets; it is still read, its sessions getting
 * {@link SessionSecret#NONE} (they can no longer be acted on, only expire). The state's {@link TreeState#digest()}
 * is not stored: reading computes it from what it reads, as every node computes it from what it applies.
 */
public final class SnapshotCodec {
    private static final byte[] MAGIC = "CRLSNAP2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_V1 = "CRLSNAP1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "CRLSEND1".getBytes(StandardCharsets.US_ASCII);
    private static final int LENGTH_MAX = 64 << 20;

    private SnapshotCodec() {}

    public static void write(TreeState state, OutputStream sink) throws IOException {
        CRC32C crc = new CRC32C();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(sink, 1 << 16), crc));
        out.write(MAGIC);
        out.writeLong(state.lastZxid);
        out.writeLong(state.nodeCount);
        Map<List<Acl>, Integer> aclIndex = new HashMap<>();
        List<List<Acl>> aclLists = new ArrayList<>();
        collectAcls(state.root, aclIndex, aclLists);
        out.writeInt(aclLists.size());
        for (List<Acl> list : aclLists) {
            out.writeInt(list.size());
            for (Acl a : list) {
                out.writeInt(a.perms());
                writeStr(out, a.scheme());
                writeStr(out, a.id());
            }
        }
        List<SessionEntry> sessions = state.sessions.values();
        sessions.sort((x, y) -> Long.compare(x.id(), y.id()));
        out.writeInt(sessions.size());
        for (SessionEntry s : sessions) {
            out.writeLong(s.id());
            out.writeInt(s.timeoutMs());
            out.writeLong(s.secret().high());
            out.writeLong(s.secret().low());
        }
        long written = writeNodes(out, state.root, aclIndex);
        if (written != state.nodeCount) {
            throw new IllegalStateException("snapshot wrote " + written + " znodes but the state counts " + state.nodeCount);
        }
        out.write(END);
        out.flush();
        int checksum = (int) crc.getValue();
        DataOutputStream tail = new DataOutputStream(sink);
        tail.writeInt(checksum);
        tail.flush();
    }

    private static void collectAcls(Znode root, Map<List<Acl>, Integer> index, List<List<Acl>> lists) {
        // Interned lists are shared, so an identity pass first keeps this cheap for a million znodes.
        IdentityHashMap<List<Acl>, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Znode> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Znode n = stack.pop();
            if (seen.put(n.acl(), Boolean.TRUE) == null && !index.containsKey(n.acl())) {
                index.put(n.acl(), lists.size());
                lists.add(n.acl());
            }
            n.children().forEach((k, child) -> stack.push(child));
        }
    }

    private static long writeNodes(DataOutputStream out, Znode root, Map<List<Acl>, Integer> aclIndex) throws IOException {
        long count = 0;
        // A znode's name is its key in its parent's map, so names travel beside the znodes on a second stack.
        ArrayDeque<Znode> stack = new ArrayDeque<>();
        ArrayDeque<String> names = new ArrayDeque<>();
        BiConsumer<String, Znode> push = (name, child) -> {
            names.push(name);
            stack.push(child);
        };
        push.accept("", root);
        while (!stack.isEmpty()) {
            Znode n = stack.pop();
            writeStr(out, names.pop());
            out.writeInt(aclIndex.get(n.acl()));
            out.writeInt(n.data().length);
            out.write(n.data());
            out.writeLong(n.czxid());
            out.writeLong(n.mzxid());
            out.writeLong(n.pzxid());
            out.writeLong(n.ctime());
            out.writeLong(n.mtime());
            out.writeLong(n.ephemeralOwner());
            out.writeInt(n.version());
            out.writeInt(n.childCreations());
            out.writeInt(n.aversion());
            out.writeInt(n.numChildren());
            count++;
            // Children go out in reverse iteration order, which depends only on their names; pushing them
            // straight from the map allocates nothing per znode, so a snapshot of a large tree makes little garbage.
            n.children().forEach(push);
        }
        return count;
    }

    /** Reads a snapshot written by {@link #write}; throws {@link CorruptRecordException} if it is damaged. */
    public static TreeState read(InputStream source, AclTable acls) throws IOException {
        CRC32C crc = new CRC32C();
        BufferedInputStream buffered = new BufferedInputStream(source, 1 << 16);
        DataInputStream in = new DataInputStream(new CheckedInputStream(buffered, crc));
        try {
            byte[] magic = in.readNBytes(MAGIC.length);
            boolean withSecrets = java.util.Arrays.equals(magic, MAGIC);
            if (!withSecrets && !java.util.Arrays.equals(magic, MAGIC_V1)) {
                throw new CorruptRecordException("not a Corral snapshot (bad magic)");
            }
            long lastZxid = in.readLong();
            long nodeCount = in.readLong();
            int aclCount = count(in.readInt(), 1 << 24);
            List<List<Acl>> aclLists = new ArrayList<>(Math.min(aclCount, 1024));
            for (int i = 0; i < aclCount; i++) {
                int n = count(in.readInt(), 1 << 16);
                List<Acl> list = new ArrayList<>(n);
                for (int j = 0; j < n; j++) list.add(new Acl(in.readInt(), readStr(in), readStr(in)));
                aclLists.add(acls.intern(list));
            }
            int sessionCount = count(in.readInt(), Integer.MAX_VALUE);
            Map<Long, Integer> timeouts = new HashMap<>();
            Map<Long, SessionSecret> secrets = new HashMap<>();
            for (int i = 0; i < sessionCount; i++) {
                long id = in.readLong();
                timeouts.put(id, in.readInt());
                secrets.put(id, withSecrets ? new SessionSecret(in.readLong(), in.readLong()) : SessionSecret.NONE);
            }
            Loaded loaded = readNodes(in, nodeCount, aclLists);
            byte[] end = in.readNBytes(END.length);
            if (!java.util.Arrays.equals(end, END)) throw new CorruptRecordException("snapshot trailer missing");
            int expected = (int) crc.getValue();
            int stored = new DataInputStream(buffered).readInt();
            if (stored != expected) {
                throw new CorruptRecordException("snapshot checksum mismatch: stored " + Integer.toHexString(stored)
                        + ", computed " + Integer.toHexString(expected));
            }
            PersistentMap<Long, SessionEntry> sessions = PersistentMap.empty();
            long digest = loaded.digest;
            Map<Long, List<String>> ephemerals = loaded.ephemerals;
            for (Map.Entry<Long, Integer> e : timeouts.entrySet()) {
                List<String> paths = ephemerals.getOrDefault(e.getKey(), List.of());
                Object[] keys = paths.toArray();
                Object[] values = new Object[keys.length];
                java.util.Arrays.fill(values, Boolean.TRUE);
                SessionEntry session = new SessionEntry(e.getKey(), e.getValue(), secrets.get(e.getKey()),
                        PersistentMap.ofEntries(keys, values, keys.length));
                sessions = sessions.with(e.getKey(), session);
                digest += Digest.session(session);
            }
            for (Long owner : ephemerals.keySet()) {
                if (!timeouts.containsKey(owner)) {
                    throw new CorruptRecordException("ephemeral znode owned by unknown session " + Long.toHexString(owner));
                }
            }
            return new TreeState(loaded.root, sessions, set(loaded.containers), set(loaded.ttls), lastZxid, nodeCount, loaded.dataBytes,
                    digest);
        } catch (EOFException e) {
            throw new CorruptRecordException("snapshot truncated");
        }
    }

    private static PersistentMap<String, Boolean> set(List<String> paths) {
        Object[] keys = paths.toArray();
        Object[] values = new Object[keys.length];
        java.util.Arrays.fill(values, Boolean.TRUE);
        return PersistentMap.ofEntries(keys, values, keys.length);
    }

    private static final class Loaded {
        Znode root;
        long dataBytes;
        /** The digest of the znodes read, computed as they are built: loading costs no second walk. */
        long digest;
        final Map<Long, List<String>> ephemerals = new HashMap<>();
        final List<String> containers = new ArrayList<>();
        final List<String> ttls = new ArrayList<>();
    }

    /** A znode read but not yet built, waiting for its children. */
    private static final class Frame {
        final String path;
        final String name;
        final byte[] data;
        final List<Acl> acl;
        final long czxid, mzxid, pzxid, ctime, mtime, owner;
        final int version, cversion, aversion;
        final int childCount;
        Object[] childNames;
        Object[] children;
        int filled;

        Frame(String path, String name, byte[] data, List<Acl> acl, long[] longs, int[] ints, int childCount) {
            this.path = path;
            this.name = name;
            this.data = data;
            this.acl = acl;
            this.czxid = longs[0];
            this.mzxid = longs[1];
            this.pzxid = longs[2];
            this.ctime = longs[3];
            this.mtime = longs[4];
            this.owner = longs[5];
            this.version = ints[0];
            this.cversion = ints[1];
            this.aversion = ints[2];
            this.childCount = childCount;
            this.childNames = new Object[Math.min(childCount, 16)];
            this.children = new Object[Math.min(childCount, 16)];
        }

        Znode build() {
            return Znode.of(data, acl, PersistentMap.ofEntries(childNames, children, filled),
                    czxid, mzxid, pzxid, ctime, mtime, owner, version, cversion, aversion);
        }
    }

    private static Loaded readNodes(DataInputStream in, long nodeCount, List<List<Acl>> aclLists) throws IOException {
        Loaded loaded = new Loaded();
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        long[] longs = new long[6];
        int[] ints = new int[3];
        for (long i = 0; i < nodeCount; i++) {
            String name = readStr(in);
            int aclIdx = in.readInt();
            if (aclIdx < 0 || aclIdx >= aclLists.size()) throw new CorruptRecordException("bad ACL reference " + aclIdx);
            int len = count(in.readInt(), LENGTH_MAX);
            byte[] data = len == 0 ? Znode.NO_DATA : in.readNBytes(len);
            if (data.length != len) throw new EOFException();
            for (int k = 0; k < 6; k++) longs[k] = in.readLong();
            for (int k = 0; k < 3; k++) ints[k] = in.readInt();
            int childCount = count(in.readInt(), Integer.MAX_VALUE);
            String path;
            if (stack.isEmpty()) {
                if (i != 0 || !name.isEmpty()) throw new CorruptRecordException("snapshot does not start at the root");
                path = "/";
            } else {
                path = Paths.child(stack.peek().path, name);
            }
            loaded.dataBytes += len;
            switch (NodeKind.of(longs[5])) {
                case CONTAINER -> loaded.containers.add(path);
                case TTL -> loaded.ttls.add(path);
                case EPHEMERAL -> loaded.ephemerals.computeIfAbsent(longs[5], k -> new ArrayList<>()).add(path);
                case PERSISTENT -> { }
            }
            stack.push(new Frame(path, name, data, aclLists.get(aclIdx), longs, ints, childCount));
            // Close every frame whose children are all read, attaching it to its parent.
            while (!stack.isEmpty() && stack.peek().filled == stack.peek().childCount) {
                Frame done = stack.pop();
                Znode built = done.build();
                loaded.digest += Digest.znode(done.path, built);
                if (stack.isEmpty()) {
                    if (i != nodeCount - 1) throw new CorruptRecordException("snapshot has znodes after the root's subtree");
                    loaded.root = built;
                } else {
                    Frame parent = stack.peek();
                    if (parent.filled == parent.children.length) {
                        int grown = (int) Math.min(parent.childCount, 2L * parent.children.length);
                        parent.childNames = java.util.Arrays.copyOf(parent.childNames, grown);
                        parent.children = java.util.Arrays.copyOf(parent.children, grown);
                    }
                    parent.childNames[parent.filled] = done.name;
                    parent.children[parent.filled] = built;
                    parent.filled++;
                }
            }
        }
        if (loaded.root == null) throw new CorruptRecordException("snapshot tree is incomplete");
        return loaded;
    }

    private static int count(int n, int max) {
        if (n < 0 || n > max) throw new CorruptRecordException("bad count " + n + " in snapshot");
        return n;
    }

    private static void writeStr(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readStr(DataInputStream in) throws IOException {
        int n = count(in.readInt(), LENGTH_MAX);
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new EOFException();
        return new String(b, StandardCharsets.UTF_8);
    }
}
