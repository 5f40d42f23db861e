package dev.corral.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.ZooKeeper;

/** Starts the servers under test as child processes on loopback and waits until they serve. */
final class Servers {
    /** Everything listens here and only here. */
    static final String LOOPBACK = "127.0.0.1";

    private Servers() {}

    /** A started server: its process and where it listens. */
    /** {@code clientAddress}: where it takes ZooKeeper clients (Corral's client port, or ZooKeeper's own). */
    record Running(Child child, InetSocketAddress address, InetSocketAddress clientAddress) implements AutoCloseable {
        Running(Child child, InetSocketAddress address) {
            this(child, address, address);
        }

        @Override
        public void close() {
            child.close();
        }
    }

    /**
     * The packaged node ({@code quarkus-run.jar}) as an operator starts it, with a fresh data directory,
     * HTTP on a free loopback port and {@code extraEnv} (PostgreSQL settings) added.
     */
    static Running corral(BenchSettings s, String name, Path dataDir, Map<String, String> extraEnv) throws Exception {
        return corral(s, name, dataDir, extraEnv, s.serverHeap());
    }

    /** As {@link #corral(BenchSettings, String, Path, Map)}, with {@code -Xmx} set to {@code heap}. */
    static Running corral(BenchSettings s, String name, Path dataDir, Map<String, String> extraEnv, String heap) throws Exception {
        int httpPort = Child.freePort();
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("CORRAL_DATA_DIR", dataDir.toString());
        int clientPort = Child.freePort();
        env.put("CORRAL_CLIENT_PORT", Integer.toString(clientPort));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        List<String> cmd = Child.list(Child.java(), "-Xmx" + heap, "--enable-native-access=ALL-UNNAMED");
        for (String arg : s.corralJvmArgs()) cmd.add(arg.replace("{name}", name));
        cmd.addAll(List.of("-jar", s.jar().toString()));
        Child child = Child.start(name, cmd, env, s.dir().resolve("logs").resolve(name + ".log"));
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, httpPort);
        try {
            awaitReady(child, address);
        } catch (Exception e) {
            child.close();
            throw e;
        }
        return new Running(child, address, new InetSocketAddress(LOOPBACK, clientPort));
    }

    private static void awaitReady(Child child, InetSocketAddress address) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        try (HttpConnection http = new HttpConnection(address)) {
            while (true) {
                if (!child.isAlive()) throw new IllegalStateException(child.name() + " exited while starting:\n" + child.tail(30));
                try {
                    if (http.send("GET", "/q/health/ready", null) == 200) return;
                } catch (IOException e) {
                    // Not listening yet.
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(child.name() + " not ready within 120 s; its log: " + child.log() + "\n" + child.tail(30));
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * A standalone ZooKeeper ({@code ZooKeeperServerMain}) in a child JVM on this JVM's class path, with a
     * fresh data directory, its defaults (forceSync=yes: one fsync per group of transactions, snapCount
     * 100000), the client port on loopback, no admin server, {@code mntr} allowed (for its fsync counters) and
     * no per-address connection limit (the benchmark opens up to 64 sessions from one address; the default is 60).
     */
    static Running zookeeper(BenchSettings s, String name, Path dir) throws Exception {
        return zookeeper(s, name, dir, s.serverHeap());
    }

    /** As {@link #zookeeper(BenchSettings, String, Path)}, with {@code -Xmx} set to {@code heap}; an existing {@code dir} is reused. */
    static Running zookeeper(BenchSettings s, String name, Path dir, String heap) throws Exception {
        int port = Child.freePort();
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n", "tickTime=2000", "dataDir=" + data, "clientPort=" + port,
                "clientPortAddress=127.0.0.1", "maxClientCnxns=0", "admin.enableServer=false", "4lw.commands.whitelist=mntr", ""), StandardCharsets.UTF_8);
        List<String> cmd = Child.list(Child.java(), "-Xmx" + heap, "-Dzookeeper.admin.enableServer=false",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Djava.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n", "-cp", System.getProperty("java.class.path"),
                ZooKeeperServerLauncher.class.getName(), cfg.toString());
        Child child = Child.start(name, cmd, Map.of(), s.dir().resolve("logs").resolve(name + ".log"));
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                if (!child.isAlive()) throw new IllegalStateException(name + " exited while starting:\n" + child.tail(30));
                try (java.net.Socket probe = new java.net.Socket()) {
                    probe.connect(address, 1000);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() - deadline > 0) throw new IllegalStateException(name + " not listening within 60 s:\n" + child.tail(30));
                    Thread.sleep(100);
                }
            }
            ZooKeeper zk = ZooKeeperClients.open(connectString(address), 60);
            zk.close();
        } catch (Exception e) {
            child.close();
            throw e;
        }
        return new Running(child, address);
    }

    static String connectString(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
