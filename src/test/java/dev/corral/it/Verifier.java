package dev.corral.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Checks a restarted node against the {@link History}, and resolves every write whose outcome was unknown
 * from what the node holds, so that the history can go on.
 *
 * <ol>
 *   <li>The tree is consistent: walked from the root, every listed child exists, and each znode's
 *       {@code numChildren} equals the number of children listed.</li>
 *   <li>Every session whose close was acknowledged is gone; every session acknowledged open and not closed
 *       is still there (with the 40 s timeout it was given).</li>
 *   <li>Every znode is in its last acknowledged state (same data, version and mzxid), or in the state its
 *       one later unknown-outcome write would have produced; ephemerals of a closed session are gone.</li>
 *   <li>Nothing is in the tree under {@code /crash} that no client ever tried to create, and every
 *       ephemeral belongs to a live session.</li>
 * </ol>
 * Problems are collected (all of them, not only the first) and returned.
 */
final class Verifier {
    /** A znode as read from the node: data, Stat and child names. */
    record Seen(String path, byte[] data, JsonNode stat, List<String> children) {}

    /** Counts from one verification. */
    record Report(int znodesInTree, int znodesChecked, int unknownApplied, int unknownNotApplied, int sessionsOpen, int sessionsClosed,
            List<String> problems) {}

    private final NodeProcess node;
    private final ExecutorService pool;
    private final List<String> problems = new ArrayList<>();

    Verifier(NodeProcess node, ExecutorService pool) {
        this.node = node;
        this.pool = pool;
    }

    Report verify(History history) throws IOException, InterruptedException {
        Map<String, Seen> tree = walk();
        int open = 0;
        int closed = 0;
        Set<Long> live = new HashSet<>();
        for (History.Session s : history.sessions.values()) {
            NodeProcess.Reply r = node.get("/v1/sessions/" + s.id, s.secret);
            boolean exists = r.status() == 200;
            if (r.status() != 200 && r.status() != 410) problem("session " + s.id + ": unexpected " + r.status() + " " + r.body());
            if (s.closed && exists) problem("session " + s.id + " was closed (acknowledged) but exists after the restart");
            if (!s.closed && !s.closePending && !exists) problem("session " + s.id + " was open (acknowledged) but is gone after the restart: " + r.body());
            if (exists && r.json().path("timeoutMs").asInt() != 40_000) problem("session " + s.id + " has timeout " + r.body());
            if (exists) {
                live.add(s.idValue);
                s.closePending = false;
                open++;
            } else {
                s.closed = true;
                s.closePending = false;
                closed++;
            }
        }
        int applied = 0;
        int notApplied = 0;
        for (History.Znode z : history.znodes.values()) {
            Seen seen = tree.get(z.path);
            if (seen == null) {
                NodeProcess.Reply r = node.get("/v1/nodes" + z.path);
                if (r.status() == 200) problem(z.path + " exists but its parent does not list it");
                else if (r.status() != 404) problem(z.path + ": unexpected " + r.status() + " " + r.body());
            }
            boolean wasPending = z.pending != null;
            if (!check(z, seen, z.owner != 0 && !live.contains(z.owner))) continue;
            if (wasPending && z.pending == null) applied++;
            else if (wasPending) notApplied++;
            z.pending = null;
        }
        for (Seen seen : tree.values()) {
            long owner = seen.stat().path("ephemeralOwner").asLong();
            if (owner != 0 && !live.contains(owner)) {
                problem(seen.path() + " is an ephemeral of session " + Long.toHexString(owner) + ", which is not a live session");
            }
            if ((seen.path().equals("/crash") || seen.path().startsWith("/crash/")) && !history.znodes.containsKey(seen.path())) {
                problem(seen.path() + " is in the tree but no client ever created it");
            }
        }
        return new Report(tree.size(), history.znodes.size(), applied, notApplied, open, closed, List.copyOf(problems));
    }

    /**
     * Compares one znode with the model and, if it matches, resolves the model to it (clearing a pending
     * write that was applied; {@link #verify} clears one that was not). Returns false on a mismatch.
     */
    private boolean check(History.Znode z, Seen seen, boolean sessionGone) {
        if (sessionGone) {
            if (seen != null) problem(z + ": its session is closed, but it still exists: " + seen.stat());
            z.exists = false;
            z.data = null;
            return seen == null;
        }
        if (seen == null) {
            if (!z.exists) return true;
            if (z.pending != null && z.pending.kind() == History.Kind.DELETE) {
                z.exists = false;
                z.data = null;
                z.pending = null;
                return true;
            }
            problem(z + " is missing after the restart");
            return false;
        }
        JsonNode st = seen.stat();
        int version = st.path("version").asInt(-1);
        long mzxid = st.path("mzxid").asLong();
        boolean ownerOk = st.path("ephemeralOwner").asLong() == z.owner;
        if (z.exists && History.same(seen.data(), z.data)) {
            if (version == z.version && mzxid == z.mzxid && ownerOk) return true;
            problem(z + " has the acknowledged data but the stat " + st);
            return false;
        }
        History.Write w = z.pending;
        if (w != null && w.kind() != History.Kind.DELETE && History.same(seen.data(), w.data())) {
            int expectedVersion = w.kind() == History.Kind.CREATE ? 0 : z.version + 1;
            if (version == expectedVersion && mzxid > z.mzxid && ownerOk) {
                z.exists = true;
                z.data = w.data();
                z.version = version;
                z.mzxid = mzxid;
                z.pending = null;
                return true;
            }
            problem(z + " holds the data of its unknown-outcome write but the stat " + st);
            return false;
        }
        problem(z + " holds " + History.text(seen.data()) + " with stat " + st + ", which no acknowledged or in-doubt write explains");
        return false;
    }

    /** Reads the whole tree, level by level, in parallel; problems met on the way go to {@link Report#problems}. */
    Map<String, Seen> walk() throws InterruptedException {
        Map<String, Seen> tree = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> walkProblems = new ConcurrentLinkedQueue<>();
        List<String> level = List.of("/");
        while (!level.isEmpty()) {
            List<Future<Seen>> reads = new ArrayList<>();
            for (String path : level) reads.add(pool.submit(() -> read(path, walkProblems)));
            List<String> next = new ArrayList<>();
            for (int i = 0; i < reads.size(); i++) {
                Seen s;
                try {
                    s = reads.get(i).get();
                } catch (ExecutionException e) {
                    walkProblems.add(level.get(i) + ": reading it failed: " + e.getCause());
                    continue;
                }
                if (s == null) continue;
                tree.put(s.path(), s);
                for (String child : s.children()) next.add(s.path().equals("/") ? "/" + child : s.path() + "/" + child);
            }
            level = next;
        }
        problems.addAll(walkProblems);
        return tree;
    }

    private Seen read(String path, ConcurrentLinkedQueue<String> out) throws IOException {
        String url = "/v1/nodes" + (path.equals("/") ? "" : path);
        NodeProcess.Reply data = node.get(url);
        if (data.status() != 200) {
            out.add(path + " is listed by its parent but reading it gives " + data.status() + " " + data.body());
            return null;
        }
        NodeProcess.Reply list = node.get(url + "?children=true");
        if (list.status() != 200) {
            out.add(path + " exists but listing its children gives " + list.status() + " " + list.body());
            return null;
        }
        JsonNode d = data.json();
        JsonNode l = list.json();
        List<String> children = new ArrayList<>();
        l.path("children").forEach(c -> children.add(c.asText()));
        int numChildren = d.path("stat").path("numChildren").asInt(-1);
        if (numChildren != children.size() || l.path("stat").path("numChildren").asInt(-1) != children.size()) {
            out.add(path + " lists " + children.size() + " children but its stat says numChildren " + numChildren);
        }
        if (!d.path("stat").equals(l.path("stat"))) out.add(path + ": two reads of an idle node disagree: " + d.path("stat") + " / " + l.path("stat"));
        if (new HashSet<>(children).size() != children.size()) out.add(path + " lists a child twice: " + children);
        return new Seen(path, Base64.getDecoder().decode(d.path("data").asText()), d.path("stat"), children);
    }

    private void problem(String p) {
        problems.add(p);
    }
}
