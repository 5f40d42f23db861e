package dev.corral.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A three-server ZooKeeper ensemble ({@code QuorumPeerMain}, one child JVM each on this JVM's class path) on
 * loopback, each with its own zoo.cfg, data directory and myid. The settings are ZooKeeper's shipped defaults
 * (those of its conf/zoo_sample.cfg: tickTime=2000, initLimit=10, syncLimit=5; everything else unset, so
 * forceSync=yes and fast leader election), plus what running three on one machine needs: loopback addresses,
 * distinct ports, no admin server (it would take port 8080 three times) and the {@code srvr} four-letter word, to
 * ask each server whether it leads.
 */
final class ZooKeeperEnsemble implements AutoCloseable {
    static final int SIZE = 3;
    /** The settings used, for the report. */
    static final String SETTINGS = "tickTime=2000 initLimit=10 syncLimit=5 (zoo_sample.cfg), other settings at their defaults"
            + " (forceSync=yes, electionAlg=3), admin.enableServer=false, 4lw.commands.whitelist=srvr";

    private final BenchSettings s;
    private final String name;
    private final Path[] configs = new Path[SIZE + 1];
    private final int[] clientPorts = new int[SIZE + 1];
    private final Child[] servers = new Child[SIZE + 1];
    private final int[] starts = new int[SIZE + 1];

    private ZooKeeperEnsemble(BenchSettings s, String name, Path dir) throws IOException {
        this.s = s;
        this.name = name;
        int[] quorumPorts = new int[SIZE + 1];
        int[] electionPorts = new int[SIZE + 1];
        for (int i = 1; i <= SIZE; i++) {
            clientPorts[i] = Child.freePort();
            quorumPorts[i] = Child.freePort();
            electionPorts[i] = Child.freePort();
        }
        for (int i = 1; i <= SIZE; i++) {
            Path data = dir.resolve("zk" + i).resolve("data");
            Files.createDirectories(data);
            Files.writeString(data.resolve("myid"), i + "\n", StandardCharsets.US_ASCII);
            List<String> cfg = new ArrayList<>(List.of("tickTime=2000", "initLimit=10", "syncLimit=5", "dataDir=" + data,
                    "clientPort=" + clientPorts[i], "clientPortAddress=" + Servers.LOOPBACK, "admin.enableServer=false",
                    "4lw.commands.whitelist=srvr"));
            for (int j = 1; j <= SIZE; j++) {
                cfg.add("server." + j + "=" + Servers.LOOPBACK + ":" + quorumPorts[j] + ":" + electionPorts[j]);
            }
            configs[i] = dir.resolve("zk" + i).resolve("zoo.cfg");
            Files.writeString(configs[i], String.join("\n", cfg) + "\n", StandardCharsets.UTF_8);
        }
    }

    /** Starts the three servers and waits until one leads and the other two follow. */
    static ZooKeeperEnsemble start(BenchSettings s, String name, Path dir) throws Exception {
        ZooKeeperEnsemble e = new ZooKeeperEnsemble(s, name, dir);
        try {
            for (int i = 1; i <= SIZE; i++) e.launch(i);
            e.awaitQuorum(180);
        } catch (Exception | Error ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    private void launch(int id) throws IOException {
        String run = name + "-zk" + id + (starts[id] == 0 ? "" : "-restart" + starts[id]);
        starts[id]++;
        List<String> cmd = Child.list(Child.java(), "-Xmx" + s.serverHeap(), "-Dzookeeper.admin.enableServer=false",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Djava.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n", "-cp", System.getProperty("java.class.path"),
                ZooKeeperServerLauncher.class.getName(), "--quorum", configs[id].toString());
        servers[id] = Child.start(run, cmd, Map.of(), s.dir().resolve("logs").resolve(run + ".log"));
    }

    InetSocketAddress address(int id) {
        return new InetSocketAddress(Servers.LOOPBACK, clientPorts[id]);
    }

    /** The connect string of the given servers. */
    String connectString(List<Integer> ids) {
        List<String> parts = new ArrayList<>();
        for (int id : ids) parts.add(Servers.connectString(address(id)));
        return String.join(",", parts);
    }

    void kill(int id) throws InterruptedException {
        servers[id].kill();
    }

    void restart(int id) throws IOException {
        if (servers[id] != null && servers[id].isAlive()) throw new IllegalStateException("server " + id + " is still running");
        launch(id);
    }

    /** What {@code srvr} says the server is ("leader", "follower", ...), or null if it does not serve. */
    String mode(int id) {
        try (Socket socket = new Socket()) {
            socket.connect(address(id), 1000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.startsWith("Mode: ")) return line.substring(6).trim();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Waits until every server runs and serves, exactly one as leader; returns the leader. */
    int awaitQuorum(int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (true) {
            int leader = 0;
            int followers = 0;
            StringBuilder seen = new StringBuilder();
            for (int i = 1; i <= SIZE; i++) {
                if (!servers[i].isAlive()) {
                    throw new IllegalStateException(servers[i].name() + " exited; its log " + servers[i].log() + " ends:\n" + servers[i].tail(30));
                }
                String mode = mode(i);
                seen.append(" zk").append(i).append('=').append(mode);
                if ("leader".equals(mode)) leader = leader == 0 ? i : -1;
                if ("follower".equals(mode)) followers++;
            }
            if (leader > 0 && followers == SIZE - 1) return leader;
            if (System.nanoTime() - deadline > 0) {
                StringBuilder logs = new StringBuilder();
                for (int i = 1; i <= SIZE; i++) logs.append("\n--- ").append(servers[i].log()).append(":\n").append(servers[i].tail(15));
                throw new IllegalStateException(name + ": no leader with " + (SIZE - 1) + " followers within " + timeoutSeconds
                        + " s; last seen:" + seen + logs);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        for (int i = 1; i <= SIZE; i++) if (servers[i] != null) servers[i].close();
    }
}
