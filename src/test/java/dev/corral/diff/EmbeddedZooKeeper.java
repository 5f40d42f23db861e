package dev.corral.diff;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.ContainerManager;
import org.apache.zookeeper.server.RequestProcessor;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * The real ZooKeeper server, standalone and in this JVM: ZooKeeperServerMain's pieces without its
 * configuration file, on a loopback port chosen by the system and a temporary data directory, with the
 * container manager (which also removes expired TTL znodes) checking every {@code reapIntervalMs}.
 *
 * <p>TTL znodes need {@code zookeeper.extendedTypesEnabled=true}, which ZooKeeper reads from the system
 * properties; the build sets it for the test JVM.
 */
final class EmbeddedZooKeeper implements AutoCloseable {
    private static final int TICK_MS = 2000;

    private final Path dir;
    private final ServerCnxnFactory factory;
    private final ZooKeeperServer server;
    private final ContainerManager reaper;

    /** Exposes the first request processor, where the container manager sends its deletes, as ZooKeeperServerMain does. */
    private static final class Server extends ZooKeeperServer {
        Server(File snapDir, File logDir) throws IOException {
            super(snapDir, logDir, TICK_MS);
        }

        RequestProcessor firstProcessor() {
            return firstProcessor;
        }
    }

    private EmbeddedZooKeeper(Path dir, ServerCnxnFactory factory, ZooKeeperServer server, ContainerManager reaper) {
        this.dir = dir;
        this.factory = factory;
        this.server = server;
        this.reaper = reaper;
    }

    static EmbeddedZooKeeper start(int reapIntervalMs) throws IOException, InterruptedException {
        if (!Boolean.getBoolean("zookeeper.extendedTypesEnabled")) {
            throw new IllegalStateException("start the test JVM with -Dzookeeper.extendedTypesEnabled=true (TTL znodes)");
        }
        Path dir = Files.createTempDirectory("corral-zookeeper-");
        Server server = new Server(dir.resolve("snap").toFile(), dir.resolve("log").toFile());
        ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        factory.startup(server);
        ContainerManager reaper = new ContainerManager(server.getZKDatabase(), server.firstProcessor(), reapIntervalMs, 100_000, 0);
        reaper.start();
        return new EmbeddedZooKeeper(dir, factory, server, reaper);
    }

    /**
     * The znode's Stat as the server's clients see it, read from its tree in this JVM: no session, no ACL check.
     * Null if there is no such znode. Consistent with every request already answered, as ZooKeeper answers a
     * request only after applying it.
     */
    Stat stat(String path) {
        try {
            return server.getZKDatabase().statNode(path, null);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    /** The znode's data, Stat and ACL (every entry as "scheme:id:perms"), read as {@link #stat}; null if there is none. */
    Outcome node(String path) {
        try {
            Stat stat = new Stat();
            byte[] data = server.getZKDatabase().getData(path, stat, null);
            List<String> acl = server.getZKDatabase().getACL(path, new Stat()).stream()
                    .map(a -> a.getId().getScheme() + ":" + a.getId().getId() + ":" + a.getPerms()).toList();
            return new Outcome(Outcome.OK, null, true, Base64.getEncoder().encodeToString(data == null ? new byte[0] : data), null,
                    acl, ZooKeeperSide.stat(stat), null);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    String connectString() {
        return "127.0.0.1:" + factory.getLocalPort();
    }

    @Override
    public void close() {
        reaper.stop();
        factory.shutdown();
        server.shutdown();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is the OS's to clean; it must not hide the test's outcome.
        }
    }
}
