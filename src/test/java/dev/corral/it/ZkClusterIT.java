package dev.corral.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper's official client on a three-node Corral cluster: a session moves between nodes the way a ZooKeeper
 * session moves between servers. The node a client is attached to is killed; the client reconnects to another with
 * its session, keeps its ephemeral, and its watch (sent again with the last zxid it saw) fires for the change made
 * while it was away.
 */
class ZkClusterIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private Cluster cluster;
    private final List<ZooKeeper> clients = new ArrayList<>();

    private final List<CuratorFramework> curators = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        for (CuratorFramework c : curators) c.close();
        for (ZooKeeper zk : clients) zk.close();
        if (cluster != null) cluster.close();
    }

    private ZooKeeper connect(String connectString, Watcher watcher) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 15_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected && e.getType() == Watcher.Event.EventType.None) connected.countDown();
            watcher.process(e);
        });
        clients.add(zk);
        assertTrue(connected.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "no session at " + connectString);
        return zk;
    }

    /** A four-letter word's answer, as monitoring asks it. */
    private static String word(int port, String word) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSessionMovesToAnotherNodeWithItsEphemeralAndWatchesWhenItsNodeDies() throws Exception {
        cluster = Cluster.start(work, "zk-move", 3, NodeProcess.env("CORRAL_ZK_FOUR_LETTER_WORDS", "*"));
        int[] ports = new int[4];
        StringBuilder all = new StringBuilder();
        for (int id = 1; id <= 3; id++) {
            ports[id] = cluster.clientPort(id);
            if (id > 1) all.append(',');
            all.append("127.0.0.1:").append(ports[id]);
        }
        int leader = cluster.awaitLeader();
        for (int id = 1; id <= 3; id++) {
            String srvr = word(ports[id], "srvr");
            assertTrue(srvr.contains("Mode: " + (id == leader ? "leader" : "follower") + "\n"), "node " + id + ": " + srvr);
        }

        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        AtomicInteger expired = new AtomicInteger();
        ZooKeeper a = connect(all.toString(), e -> {
            if (e.getState() == Watcher.Event.KeeperState.Expired) expired.incrementAndGet();
            if (e.getType() != Watcher.Event.EventType.None) events.add(e);
        });
        long session = a.getSessionId();
        a.create("/moved", new byte[] {0}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        a.create("/moved-eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        a.getData("/moved", true, null);

        // Which node holds the connection: the one that lists the session among its connections (cons).
        int attached = 0;
        for (int id = 1; id <= 3; id++) if (word(ports[id], "cons").contains("sid=0x" + Long.toHexString(session) + ")")) attached = id;
        assertTrue(attached != 0, "no node lists the client's connection");
        int other = attached == 3 ? 1 : attached + 1;
        ZooKeeper b = connect("127.0.0.1:" + ports[other], e -> { });

        cluster.kill9(attached);
        // The change lands while the client is away (retried through the election if the killed node led).
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            try {
                b.setData("/moved", new byte[] {1}, -1);
                break;
            } catch (KeeperException.ConnectionLossException e) {
                if (System.nanoTime() > deadline) fail("no write through node " + other + " after node " + attached + " died");
                Thread.sleep(100);
            }
        }
        WatchedEvent e = events.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(e, "the watch set before the move did not fire after it");
        assertEquals(Watcher.Event.EventType.NodeDataChanged, e.getType());
        assertEquals("/moved", e.getPath());
        assertEquals(session, a.getSessionId());
        assertEquals(0, expired.get(), "the session expired instead of moving");
        assertEquals(session, a.exists("/moved-eph", false).getEphemeralOwner(), "the ephemeral stayed with its session");
        assertArrayEquals(new byte[] {1}, a.getData("/moved", false, null));
        a.setData("/moved", new byte[] {2}, 1);

        // Closing the moved session removes its ephemeral, cluster-wide.
        a.close();
        clients.remove(a);
        long gone = System.nanoTime() + DEADLINE.toNanos();
        while (b.exists("/moved-eph", false) != null) {
            if (System.nanoTime() > gone) fail("the ephemeral outlived its closed session");
            Thread.sleep(50);
        }
    }

    @Test
    void curatorsMutexKeepsItsHoldersApartWhileTheLeaderIsKilled() throws Exception {
        cluster = Cluster.start(work, "zk-curator", 3, Map.of());
        int leader = cluster.awaitLeader();
        List<String> hosts = new ArrayList<>();
        for (int id = 1; id <= 3; id++) hosts.add("127.0.0.1:" + cluster.clientPort(id));
        String lock = "/locks/counter";
        String counter = "/counter";
        int clientCount = 3;
        int rounds = 12;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch someDone = new CountDownLatch(clientCount * rounds / 3);
        ExecutorService pool = Executors.newFixedThreadPool(clientCount);
        try {
            List<CuratorFramework> cs = new ArrayList<>();
            for (int i = 0; i < clientCount; i++) {
                // Each client starts on another node (and may move to any other).
                List<String> order = new ArrayList<>(hosts);
                java.util.Collections.rotate(order, i);
                CuratorFramework c = CuratorFrameworkFactory.newClient(String.join(",", order), 20_000, 10_000,
                        new ExponentialBackoffRetry(100, 29, 1_000));
                curators.add(c);
                c.start();
                assertTrue(c.blockUntilConnected((int) DEADLINE.toSeconds(), TimeUnit.SECONDS), "Curator did not connect");
                cs.add(c);
            }
            cs.getFirst().create().creatingParentsIfNeeded().forPath(counter, ByteBuffer.allocate(4).putInt(0).array());
            List<Future<?>> runs = new ArrayList<>();
            for (CuratorFramework c : cs) {
                runs.add(pool.submit(() -> {
                    InterProcessMutex mutex = new InterProcessMutex(c, lock);
                    for (int k = 0; k < rounds; k++) {
                        assertTrue(mutex.acquire(DEADLINE.toSeconds(), TimeUnit.SECONDS), "no lock within " + DEADLINE);
                        try {
                            if (holders.incrementAndGet() > 1) overlaps.incrementAndGet();
                            // An absolute write under the lock: Curator's retry after a connection loss is harmless.
                            int v = ByteBuffer.wrap(c.getData().forPath(counter)).getInt();
                            c.setData().forPath(counter, ByteBuffer.allocate(4).putInt(v + 1).array());
                            holders.decrementAndGet();
                        } finally {
                            mutex.release();
                        }
                        done.incrementAndGet();
                        someDone.countDown();
                    }
                    return null;
                }));
            }
            assertTrue(someDone.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the clients made no progress");
            cluster.kill9(leader);
            for (Future<?> f : runs) f.get(2 * DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, overlaps.get(), "two clients held the lock at once");
        assertEquals(clientCount * rounds, done.get());
        assertEquals(clientCount * rounds, ByteBuffer.wrap(curators.getFirst().getData().forPath(counter)).getInt(),
                "an increment was lost");
    }
}
