package dev.corral.sim;

import dev.corral.tree.SessionEntry;
import dev.corral.tree.Stat;
import dev.corral.tree.TreeState;
import dev.corral.tree.Znode;
import dev.corral.txn.Acl;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A structural digest of a {@link TreeState}: every path with its data, full Stat and ACL, every session with
 * its timeout and ephemerals, the container and TTL indexes and the counters. Two states with equal digests
 * are, for the simulator's purposes, the same tree. {@link #dump} renders the same facts as text, so that a
 * failure can show where two trees differ.
 */
final class TreeDigest {
    private TreeDigest() {}

    static long of(TreeState s) {
        Fingerprint f = new Fingerprint();
        visit(s, new Sink() {
            @Override
            public void line(String kind, String key, long... values) {
                f.add(kind).add(key);
                for (long v : values) f.add(v);
            }

            @Override
            public void bytes(byte[] data) {
                f.add(data);
            }
        });
        return f.value();
    }

    static List<String> dump(TreeState s) {
        List<String> out = new ArrayList<>();
        StringBuilder[] current = new StringBuilder[1];
        visit(s, new Sink() {
            @Override
            public void line(String kind, String key, long... values) {
                current[0] = new StringBuilder(kind).append(' ').append(key);
                for (long v : values) current[0].append(' ').append(v);
                out.add(current[0].toString());
            }

            @Override
            public void bytes(byte[] data) {
                out.set(out.size() - 1, out.getLast() + " data=" + HexFormat.of().formatHex(data));
            }
        });
        return out;
    }

    /** The first lines where two dumps differ, for failure messages. */
    static String diff(TreeState expected, TreeState actual) {
        List<String> a = dump(expected);
        List<String> b = dump(actual);
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < Math.max(a.size(), b.size()) && shown < 6; i++) {
            String x = i < a.size() ? a.get(i) : "<none>";
            String y = i < b.size() ? b.get(i) : "<none>";
            if (!x.equals(y)) {
                sb.append("\n  expected: ").append(x).append("\n  actual:   ").append(y);
                shown++;
            }
        }
        return sb.length() == 0 ? " (dumps are equal)" : sb.toString();
    }

    private interface Sink {
        void line(String kind, String key, long... values);

        void bytes(byte[] data);
    }

    private static void visit(TreeState s, Sink sink) {
        sink.line("state", "", s.lastZxid(), s.nodeCount(), s.dataBytes(), s.digest());
        visitNode("/", s.root(), sink);
        List<SessionEntry> sessions = new ArrayList<>(s.sessions());
        sessions.sort((x, y) -> Long.compare(x.id(), y.id()));
        for (SessionEntry e : sessions) {
            sink.line("session", Long.toHexString(e.id()), e.timeoutMs());
            List<String> eph = new ArrayList<>(e.ephemerals().keys());
            eph.sort(null);
            for (String p : eph) sink.line("ephemeral", p);
        }
        List<String> containers = new ArrayList<>(s.containerPaths());
        containers.sort(null);
        for (String p : containers) sink.line("container", p);
        List<String> ttls = new ArrayList<>(s.ttlPaths());
        ttls.sort(null);
        for (String p : ttls) sink.line("ttl", p);
    }

    private static void visitNode(String path, Znode n, Sink sink) {
        Stat st = n.stat();
        // The stored owner and child-creation count, not the Stat's: the Stat hides container and TTL markers and
        // derives cversion, and two trees that differ only there are still different trees.
        sink.line("znode", path, st.czxid(), st.mzxid(), st.pzxid(), st.ctime(), st.mtime(), st.version(), n.childCreations(),
                st.aversion(), n.ephemeralOwner(), st.dataLength(), st.numChildren());
        sink.bytes(n.data());
        for (Acl a : n.acl()) sink.line("acl", a.scheme() + ":" + a.id(), a.perms());
        List<String> names = new ArrayList<>(n.childNames());
        names.sort(null);
        for (String name : names) visitNode(path.equals("/") ? "/" + name : path + "/" + name, n.child(name), sink);
    }
}
