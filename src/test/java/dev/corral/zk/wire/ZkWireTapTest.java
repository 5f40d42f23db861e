package dev.corral.zk.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real thing: ZooKeeper 3.9.5's Java client talks to ZooKeeper 3.9.5's server through a {@link WireTap},
 * which decodes every frame in both directions with this package and re-encodes it, byte for byte. The client is
 * driven through every operation it has, a connection cut (so it resumes its session and sets its watches again),
 * idle time (so it pings) and a four-letter word on a raw socket.
 */
class ZkWireTapTest {
    private static final int SESSION_TIMEOUT_MS = 4000;

    private Path dir;
    private ZooKeeperServer server;
    private ServerCnxnFactory factory;
    private WireTap tap;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("zkwire-");
        server = new ZooKeeperServer(dir.resolve("snap").toFile(), dir.resolve("log").toFile(), 2000);
        factory = ServerCnxnFactory.createFactory(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        factory.startup(server);
        tap = new WireTap(new InetSocketAddress(InetAddress.getLoopbackAddress(), factory.getLocalPort()));
    }

    @AfterEach
    void stop() throws IOException {
        tap.close();
        factory.shutdown();
        server.shutdown();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /** Waits for {@code condition}, but fails at once if a frame failed the tap (its reply may never come). */
    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            failIfTheTapFailed();
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    private void failIfTheTapFailed() {
        if (tap.failures.isEmpty()) return;
        AssertionError e = new AssertionError(tap.failures.size() + " frame(s) did not survive the tap; first: "
                + tap.failures.peek());
        tap.failures.forEach(e::addSuppressed);
        throw e;
    }

    private ZooKeeper connect(Watcher watcher) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(tap.connectString(), SESSION_TIMEOUT_MS, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
            watcher.process(event);
        });
        assertTrue(connected.await(20, TimeUnit.SECONDS), "no session through the tap");
        return zk;
    }

    private Set<Integer> opcodesSeen() {
        return tap.requests.stream().map(ZkRequest::opcode).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyFrameOfARealClientAndServerDecodesAndReEncodesByteForByte() throws Exception {
        List<Watcher.Event.EventType> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        ZooKeeper zk = connect(e -> events.add(e.getType()));
        byte[] data = "hello, \u4e16\u754c".getBytes(StandardCharsets.UTF_8);
        var open = ZooDefs.Ids.OPEN_ACL_UNSAFE;

        zk.addAuthInfo("digest", "bob:secret".getBytes(StandardCharsets.UTF_8));
        zk.create("/a", data, open, CreateMode.PERSISTENT);
        Stat stat = new Stat();
        zk.create("/b", data, open, CreateMode.PERSISTENT_SEQUENTIAL, stat);
        zk.create("/c", null, open, CreateMode.CONTAINER);
        zk.create("/a/ttl", data, open, CreateMode.PERSISTENT_WITH_TTL, stat, 60_000);
        zk.create("/a/e", new byte[0], ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.EPHEMERAL_SEQUENTIAL);
        // Paths outside the BMP never leave a Java client (its PathUtils refuses surrogates), but ACL ids may.
        String face = "b\ud83d\ude00b:QUJD";
        zk.setACL("/a/ttl", java.util.Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("digest", face)),
                new ACL(ZooDefs.Perms.ALL, new Id("world", "anyone"))), -1);
        String stored = zk.getACL("/a/ttl", stat).get(0).getId().getId();
        assertThrows(KeeperException.NodeExistsException.class, () -> zk.create("/a", data, open, CreateMode.PERSISTENT));
        zk.exists("/a", true);
        zk.exists("/missing", true);
        zk.getData("/a", true, stat);
        zk.setData("/a", new byte[] {1, 2, 3}, -1);
        zk.getACL("/a", stat);
        zk.setACL("/a", open, -1);
        zk.getChildren("/a", true);
        zk.getChildren("/a", false, stat);
        CountDownLatch synced = new CountDownLatch(1);
        zk.sync("/a", (rc, path, ctx) -> synced.countDown(), null);
        assertTrue(synced.await(20, TimeUnit.SECONDS));
        zk.multi(List.of(Op.create("/m", data, open, CreateMode.PERSISTENT), Op.setData("/m", data, 0),
                Op.check("/m", 1), Op.create("/m/c", null, open, CreateMode.CONTAINER), Op.delete("/m/c", -1)));
        assertThrows(KeeperException.class, () -> zk.multi(List.of(Op.check("/a", 0), Op.check("/a", 99),
                Op.delete("/m", -1))));
        zk.multi(List.of(Op.getChildren("/a"), Op.getData("/a"), Op.getData("/missing")));
        zk.addWatch("/a", AddWatchMode.PERSISTENT);
        zk.addWatch("/b", e -> { }, AddWatchMode.PERSISTENT_RECURSIVE);
        zk.getEphemerals("/");
        zk.getAllChildrenNumber("/");
        zk.whoAmI();
        Watcher dataWatcher = e -> { };
        zk.getData("/m", dataWatcher, stat);
        zk.removeWatches("/m", dataWatcher, Watcher.WatcherType.Data, false);
        zk.getChildren("/m", dataWatcher);
        zk.removeAllWatches("/m", Watcher.WatcherType.Any, false);
        zk.delete("/m", -1);
        await("a notification", () -> tap.replies.stream().anyMatch(r -> r.opcode() == 0));

        // A one-shot watch only, on a second session: after the cut it sends setWatches; the first, holding
        // persistent watches, sends setWatches2.
        ZooKeeper other = connect(e -> { });
        other.exists("/a", true);
        int connectsBefore = tap.connects.size();
        tap.cutConnections();
        await("both sessions resumed", () -> tap.connects.size() >= connectsBefore + 2);
        await("setWatches and setWatches2", () -> opcodesSeen().containsAll(Set.of(OpCodes.SET_WATCHES,
                OpCodes.SET_WATCHES2)));
        assertTrue(tap.connects.stream().skip(connectsBefore).allMatch(c -> c.sessionId() != 0 && c.passwd().length == 16));
        await("a ping", () -> opcodesSeen().contains(OpCodes.PING));
        zk.setData("/a", new byte[0], -1); // fires the restored watches
        other.close();
        zk.close();
        await("both sessions closed", () -> tap.requests.stream().filter(r -> r.opcode() == OpCodes.CLOSE_SESSION).count() == 2);
        await("every reply", () -> tap.replies.stream().filter(r -> r.header().xid() != Xids.NOTIFICATION).count()
                == tap.requests.size());

        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(tap.connectString().split(":")[1]))) {
            OutputStream out = raw.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = raw.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.contains("Zookeeper version"), answer);
        }
        assertEquals(List.of(FourLetterWord.SRVR), tap.words);

        failIfTheTapFailed();
        Set<Integer> expected = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 17, 18, 19, 21, 22,
                100, 101, 103, 104, 105, 106, 107, -11));
        assertEquals(expected, opcodesSeen(), "every opcode the client has (bar a lone check, which it never sends)");
        assertTrue(tap.connects.stream().allMatch(ConnectRequest::readOnlyFieldSent));
        assertTrue(tap.replies.stream().anyMatch(r -> r.body() instanceof MultiResponse m
                && m.results().stream().anyMatch(x -> x instanceof MultiResult.Error e && e.err() == -103)),
                "the failed multi's BADVERSION");
        assertTrue(tap.requests.stream().anyMatch(r -> r instanceof ZkRequest.SetAcl s
                && s.body().acl().get(0).id().id().equals(face)), "the id outside the BMP, read back whole");
        assertEquals("b\ufffd\ufffdb:QUJD", stored, "ZooKeeper's server garbles it");
        assertFalse(events.isEmpty());

        // What the codec's documentation says about xids and bodies, as this client and server do it.
        for (ZkRequest r : tap.requests) {
            switch (r) {
                case ZkRequest.Ping p -> assertEquals(Xids.PING, p.xid());
                case ZkRequest.Auth a -> assertEquals(Xids.AUTH, a.xid());
                default -> assertTrue(r.xid() > 0, "an ordinary xid, even for setWatches: " + r);
            }
        }
        for (WireTap.Reply r : tap.replies) {
            if (r.header().err() != 0) assertEquals(null, r.body(), "a failed reply has no body: " + r);
            if (r.opcode() == 0) assertEquals(Xids.NOTIFICATION, r.header().xid());
        }
    }
}
