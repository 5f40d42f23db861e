package dev.corral.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A cluster of {@code size} packaged Corral nodes, each a real process on loopback with its own fixed HTTP port (the
 * members list names it, so a restarted member comes back on the same one), its own data directory and its own log
 * file in {@code target/cluster-it/}. Members are numbered from 1, as their node ids.
 *
 * <p>Faults: {@link #kill9} (SIGKILL), {@link #stop} (SIGTERM), {@link #pause} and {@link #resume} (SIGSTOP and
 * SIGCONT through {@code kill}), {@link #wipe} (delete the data directory of a member that is down). Every wait polls
 * a condition against a deadline.
 *
 * <p>Not thread-safe: one test thread drives the faults; client threads only call {@link #node} and {@link #running}.
 */
final class Cluster implements AutoCloseable {
    /** Generous: three JVMs start at once on a machine that may run other builds. */
    static final Duration READY_DEADLINE = Duration.ofSeconds(180);
    static final Duration LEADER_DEADLINE = Duration.ofSeconds(60);
    /** What a client of the cluster waits for one answer; above the server's 10 s request timeout. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    /** Short: {@code /v1/cluster} answers from memory, and a paused member must not hold up the poll. */
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);

    final int size;
    final String secret;
    private final String name;
    private final Path logDir;
    private final int[] ports;
    private final Path[] dataDirs;
    private final Path[] logs;
    private final Map<String, String> env;
    private final NodeProcess[] nodes;
    private final boolean[] paused;

    private Cluster(Path work, String name, int size, Map<String, String> extraEnv) throws IOException {
        this.size = size;
        this.name = name;
        this.secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        this.logDir = Path.of(NodeProcess.jar()).toAbsolutePath().getParent().getParent().resolve("cluster-it");
        Files.createDirectories(logDir);
        this.ports = new int[size + 1];
        this.dataDirs = new Path[size + 1];
        this.logs = new Path[size + 1];
        this.nodes = new NodeProcess[size + 1];
        this.paused = new boolean[size + 1];
        StringBuilder members = new StringBuilder();
        for (int id = 1; id <= size; id++) {
            ports[id] = NodeProcess.freePort();
            dataDirs[id] = work.resolve(name + "-node" + id);
            logs[id] = logDir.resolve(name + "-node" + id + ".log");
            Files.deleteIfExists(logs[id]);
            if (id > 1) members.append(',');
            members.append(id).append("=http://127.0.0.1:").append(ports[id]);
        }
        this.env = new LinkedHashMap<>(extraEnv);
        env.put("CORRAL_MEMBERS", members.toString());
        env.put("CORRAL_CLUSTER_SECRET", secret);
    }

    /** Starts every member and waits until a leader is elected and every member is ready. */
    static Cluster start(Path work, String name, int size, Map<String, String> extraEnv) throws IOException {
        for (int attempt = 1; ; attempt++) {
            // A port found free can be taken before the member binds it (an outgoing connection's local port, say):
            // then the whole cluster starts again, on new ports and fresh data directories.
            Cluster c = new Cluster(work, attempt == 1 ? name : name + "-attempt" + attempt, size, extraEnv);
            try {
                for (int id = 1; id <= size; id++) c.launch(id);
                for (int id = 1; id <= size; id++) c.awaitReady(id);
                c.awaitLeader();
                return c;
            } catch (RuntimeException | Error e) {
                c.close();
                if (attempt < 3 && portTaken(e)) {
                    System.out.println("Cluster: a port was taken before a member bound it; starting " + name + " again");
                    continue;
                }
                throw e;
            }
        }
    }

    /** Whether a member failed to start because its HTTP or ZooKeeper client port was taken. */
    private static boolean portTaken(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("the HTTP port is in use") || m.contains("(corral.client-port) is not available");
    }

    // ---- members ----

    synchronized NodeProcess node(int id) {
        return nodes[id];
    }

    /** Members whose process is alive and not paused, in id order. */
    synchronized List<Integer> running() {
        List<Integer> out = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            NodeProcess n = nodes[id];
            if (n != null && n.isAlive() && !paused[id]) out.add(id);
        }
        return out;
    }

    /** Starts member {@code id} (which must be down) on its port and data directory; does not wait for it. */
    synchronized void launch(int id) {
        if (nodes[id] != null && nodes[id].isAlive()) throw new IllegalStateException("node " + id + " is running");
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put("CORRAL_NODE_ID", Integer.toString(id));
        NodeProcess n = NodeProcess.start(dataDirs[id], logs[id], e, NodeProcess.Launch.quickStart(), ports[id]);
        n.requestTimeout = CLIENT_TIMEOUT;
        nodes[id] = n;
        paused[id] = false;
    }

    /** Starts member {@code id} and waits until it is ready (knows a leader and has caught up). */
    void restart(int id) {
        launch(id);
        awaitReady(id);
    }

    void awaitReady(int id) {
        NodeProcess n = nodes[id];
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (true) {
            if (!n.isAlive()) throw new AssertionError("node " + id + " exited with " + n.process.exitValue() + " before it was ready:\n" + n.tail(60));
            if (ready(id)) return;
            if (System.nanoTime() - deadline > 0) throw new AssertionError("node " + id + " not ready within " + READY_DEADLINE + ":\n" + n.tail(60));
            NodeProcess.pause();
        }
    }

    /** Whether {@code /q/health/ready} of member {@code id} answers 200 now (false if it does not answer). */
    boolean ready(int id) {
        try {
            return nodes[id].get("/q/health/ready", STATUS_TIMEOUT).status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL; returns once the process is gone. */
    void kill9(int id) {
        resumeIfPaused(id);
        int exit = nodes[id].kill9();
        if (exit != 137) throw new AssertionError("kill -9 of node " + id + " ended it with " + exit + ", not 137");
    }

    /** SIGTERM; returns once the process is gone. */
    void stop(int id) {
        resumeIfPaused(id);
        nodes[id].stop();
    }

    /** SIGSTOP: the process stays, with its sockets open, but answers nothing until {@link #resume}. */
    synchronized void pause(int id) {
        signal(id, "-STOP");
        paused[id] = true;
    }

    /** SIGCONT. */
    synchronized void resume(int id) {
        signal(id, "-CONT");
        paused[id] = false;
    }

    private void resumeIfPaused(int id) {
        if (paused[id] && nodes[id].isAlive()) resume(id);
    }

    private void signal(int id, String signal) {
        long pid = nodes[id].pid();
        try {
            Process p = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new AssertionError("kill " + signal + " " + pid + " (node " + id + ") failed: " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Deletes the data directory of member {@code id}, which must be down. */
    void wipe(int id) throws IOException {
        if (nodes[id] != null && nodes[id].isAlive()) throw new IllegalStateException("node " + id + " is running");
        if (!Files.exists(dataDirs[id])) return;
        try (Stream<Path> walk = Files.walk(dataDirs[id])) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    // ---- leadership ----

    /** What {@code GET /v1/cluster} of one member says. */
    record View(int id, int leader, long term, long commitIndex, long appliedZxid, String selfRole) {}

    /** The REST address of member {@code id}. */
    String url(int id) {
        return "http://127.0.0.1:" + ports[id];
    }

    /** The port member {@code id} takes ZooKeeper clients on, as it reports it ({@code /v1/cluster/self}). */
    int clientPort(int id) throws IOException {
        NodeProcess.Reply r = nodes[id].get("/v1/cluster/self", STATUS_TIMEOUT);
        if (r.status() != 200) throw new IOException("node " + id + " answered " + r.status() + " to /v1/cluster/self");
        return r.json().path("clientPort").asInt();
    }

    /** The view of member {@code id}, or empty if it does not answer in a few seconds. */
    Optional<View> view(int id) {
        try {
            NodeProcess.Reply r = nodes[id].get("/v1/cluster", STATUS_TIMEOUT);
            if (r.status() != 200) return Optional.empty();
            JsonNode j = r.json();
            String self = "";
            for (JsonNode m : j.path("members")) {
                if (m.path("id").asInt() == id) self = m.path("role").asText();
            }
            return Optional.of(new View(id, j.path("leader").asInt(), j.path("term").asLong(), j.path("commitIndex").asLong(),
                    j.path("appliedZxid").asLong(), self));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Waits until every running member answers and all name the same leader at the same term, that leader being one
     * of them and calling itself leader; returns its id.
     */
    int awaitLeader() {
        int[] found = new int[1];
        List<View> last = new ArrayList<>();
        try {
            NodeProcess.await("one leader that every running member of " + running() + " agrees on", LEADER_DEADLINE, () -> {
                last.clear();
                List<Integer> up = running();
                for (int id : up) view(id).ifPresent(last::add);
                if (last.size() != up.size() || last.isEmpty()) return false;
                View first = last.getFirst();
                if (first.leader() == 0 || !up.contains(first.leader())) return false;
                for (View v : last) {
                    if (v.leader() != first.leader() || v.term() != first.term()) return false;
                    if (v.id() == v.leader() != v.selfRole().equals("leader")) return false;
                }
                found[0] = first.leader();
                return true;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last views " + last, e);
        }
        return found[0];
    }

    /** A running member other than {@code leader}. */
    int follower(int leader) {
        return running().stream().filter(id -> id != leader).findFirst().orElseThrow(() -> new AssertionError("no running follower"));
    }

    /** The last lines of every member's log, for failure messages. */
    String tails(int lines) {
        StringBuilder b = new StringBuilder();
        for (int id = 1; id <= size; id++) if (nodes[id] != null) b.append('\n').append(nodes[id].tail(lines));
        return b.toString();
    }

    @Override
    public void close() {
        for (int id = 1; id <= size; id++) {
            NodeProcess n = nodes[id];
            if (n == null) continue;
            if (paused[id] && n.isAlive()) {
                try {
                    resume(id);
                } catch (RuntimeException | AssertionError e) {
                    // SIGKILL below ends it paused or not.
                }
            }
            n.close();
        }
    }

    @Override
    public String toString() {
        return name + " " + running();
    }
}
