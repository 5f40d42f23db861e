package dev.corral.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Three packaged Corral nodes replicating to each other on loopback, started as bin/local-cluster starts them
 * ({@code CORRAL_NODE_ID}, {@code CORRAL_MEMBERS}, {@code CORRAL_CLUSTER_SECRET}, {@code CORRAL_DATA_DIR}, HTTP and
 * client ports), each with its own data directory. Ports are chosen once, so that a killed node restarts on
 * the same address and data. Closing stops every node still running.
 */
final class CorralCluster implements AutoCloseable {
    static final int SIZE = 3;
    private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*(\\d+)");
    private static final Pattern READY = Pattern.compile("\"ready\"\\s*:\\s*(true|false)");
    private static final Pattern APPLIED = Pattern.compile("\"appliedZxid\"\\s*:\\s*(\\d+)");
    private static final Pattern COMMIT = Pattern.compile("\"commitIndex\"\\s*:\\s*(\\d+)");
    private static final Pattern ROLE = Pattern.compile("\"role\"\\s*:\\s*\"(\\w+)\"");

    private final BenchSettings s;
    private final String name;
    private final Path dir;
    private final int[] httpPorts = new int[SIZE + 1];
    private final int[] clientPorts = new int[SIZE + 1];
    private final Child[] nodes = new Child[SIZE + 1];
    private final int[] starts = new int[SIZE + 1];
    private final String members;
    private final String secret;

    /** One node's view of itself, from {@code GET /v1/cluster/self}. */
    record Self(int id, String role, int leader, long commitIndex, long appliedZxid, boolean ready) {}

    private CorralCluster(BenchSettings s, String name, Path dir) throws IOException {
        this.s = s;
        this.name = name;
        this.dir = dir;
        StringBuilder m = new StringBuilder();
        for (int i = 1; i <= SIZE; i++) {
            httpPorts[i] = Child.freePort();
            clientPorts[i] = Child.freePort();
            m.append(m.isEmpty() ? "" : ",").append(i).append("=http://").append(Servers.LOOPBACK).append(':').append(httpPorts[i]);
        }
        members = m.toString();
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Starts all three nodes with fresh data directories under {@code dir} and waits until every one is ready (a leader elected). */
    static CorralCluster start(BenchSettings s, String name, Path dir) throws Exception {
        CorralCluster c = new CorralCluster(s, name, dir);
        try {
            for (int i = 1; i <= SIZE; i++) c.launch(i);
            c.awaitAllReady(180);
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void launch(int id) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("CORRAL_NODE_ID", Integer.toString(id));
        env.put("CORRAL_MEMBERS", members);
        env.put("CORRAL_CLUSTER_SECRET", secret);
        env.put("CORRAL_DATA_DIR", dir.resolve("n" + id).toString());
        env.put("CORRAL_CLIENT_PORT", Integer.toString(clientPorts[id]));
        env.put("QUARKUS_HTTP_HOST", Servers.LOOPBACK);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPorts[id]));
        String run = name + "-n" + id + (starts[id] == 0 ? "" : "-restart" + starts[id]);
        starts[id]++;
        List<String> cmd = Child.list(Child.java(), "-Xmx" + s.serverHeap(), "--enable-native-access=ALL-UNNAMED");
        for (String arg : s.corralJvmArgs()) cmd.add(arg.replace("{name}", run));
        cmd.addAll(List.of("-jar", s.jar().toString()));
        nodes[id] = Child.start(run, cmd, env, s.dir().resolve("logs").resolve(run + ".log"));
    }

    InetSocketAddress address(int id) {
        return new InetSocketAddress(Servers.LOOPBACK, httpPorts[id]);
    }

    Child node(int id) {
        return nodes[id];
    }

    /** Kills node {@code id} with SIGKILL (kill -9). */
    void kill(int id) throws InterruptedException {
        nodes[id].kill();
    }

    /** Starts a killed node again on its data directory and ports (it is not waited for). */
    void restart(int id) throws IOException {
        if (nodes[id] != null && nodes[id].isAlive()) throw new IllegalStateException("node " + id + " is still running");
        launch(id);
    }

    /** The ids of the nodes whose process runs. */
    List<Integer> running() {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= SIZE; i++) if (nodes[i] != null && nodes[i].isAlive()) out.add(i);
        return out;
    }

    /** Node {@code id}'s own status, or null if it does not answer. */
    Self self(int id) {
        try (HttpConnection http = new HttpConnection(address(id))) {
            if (http.send("GET", "/v1/cluster/self", null) != 200) return null;
            String json = new String(http.body(), StandardCharsets.UTF_8);
            return new Self(id, find(ROLE, json), Integer.parseInt(find(LEADER, json)), Long.parseLong(find(COMMIT, json)),
                    Long.parseLong(find(APPLIED, json)), Boolean.parseBoolean(find(READY, json)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Waits until every node runs, is ready, all agree on one leader that says it leads, and every node has
     * applied what the leader had committed when asked (so a restarted node has caught up). Returns the leader.
     */
    int awaitAllReady(int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        String last = "no answer yet";
        while (true) {
            for (int i = 1; i <= SIZE; i++) {
                if (!nodes[i].isAlive()) {
                    throw new IllegalStateException(nodes[i].name() + " exited; its log " + nodes[i].log() + " ends:\n" + nodes[i].tail(30));
                }
            }
            Self[] all = new Self[SIZE + 1];
            boolean ok = true;
            StringBuilder seen = new StringBuilder();
            for (int i = 1; i <= SIZE; i++) {
                all[i] = self(i);
                seen.append(" n").append(i).append('=').append(all[i] == null ? "no answer"
                        : all[i].role() + "/leader " + all[i].leader() + "/applied " + all[i].appliedZxid() + (all[i].ready() ? "/ready" : "/not ready"));
                ok &= all[i] != null && all[i].ready();
            }
            last = seen.toString();
            if (ok) {
                int leader = all[1].leader();
                boolean agree = leader >= 1 && leader <= SIZE && all[leader].role().equals("leader");
                for (int i = 2; i <= SIZE; i++) agree &= all[i].leader() == leader;
                if (agree) {
                    Self l = self(leader);
                    boolean caughtUp = l != null && l.role().equals("leader");
                    for (int i = 1; i <= SIZE && caughtUp; i++) {
                        Self n = self(i);
                        caughtUp = n != null && n.appliedZxid() >= l.commitIndex();
                    }
                    if (caughtUp) return leader;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                StringBuilder logs = new StringBuilder();
                for (int i = 1; i <= SIZE; i++) logs.append("\n--- ").append(nodes[i].log()).append(":\n").append(nodes[i].tail(15));
                throw new IllegalStateException(name + ": not all " + SIZE + " nodes ready with one leader and caught up within "
                        + timeoutSeconds + " s; last seen:" + last + logs);
            }
            Thread.sleep(100);
        }
    }

    /** The leader the running nodes agree on and that says it leads, or 0 if there is none right now. */
    int leader() {
        int leader = 0;
        for (int id : running()) {
            Self me = self(id);
            if (me == null) continue;
            if (me.role().equals("leader")) return id;
            if (leader == 0) leader = me.leader();
        }
        return 0;
    }

    /** Makes node {@code id} catch up with everything the leader has accepted (ZooKeeper's sync). */
    void sync(int id) throws IOException {
        try (HttpConnection http = new HttpConnection(address(id))) {
            int status = http.send("POST", "/v1/sync", new byte[0]);
            if (status != 200) throw new IOException("POST /v1/sync on node " + id + ": HTTP " + status + " " + new String(http.body(), StandardCharsets.UTF_8));
        }
    }

    private static String find(Pattern p, String json) {
        Matcher m = p.matcher(json);
        if (!m.find()) throw new IllegalArgumentException("no " + p + " in " + json);
        return m.group(1);
    }

    @Override
    public void close() {
        for (int i = 1; i <= SIZE; i++) if (nodes[i] != null) nodes[i].close();
    }
}
