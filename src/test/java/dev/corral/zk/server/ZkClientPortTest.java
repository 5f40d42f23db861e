package dev.corral.zk.server;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.corral.node.Corral;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Corral's ZooKeeper client port, driven by ZooKeeper's official 3.9.5 Java client (and, for bad input, by raw
 * sockets): watches and their order, sessions resumed with their password (also one opened over REST), closing and
 * expiry, the operations the differential test does not cover, four-letter words, and hostile bytes that must cost
 * only their own connection.
 */
@QuarkusTest
class ZkClientPortTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Inject
    ZkServer server;

    @Inject
    Corral corral;

    private final List<ZooKeeper> clients = new ArrayList<>();
    /** Connection losses any client of the test saw: a well-formed exchange never makes the client drop its connection. */
    private final java.util.concurrent.atomic.AtomicInteger disconnects = new java.util.concurrent.atomic.AtomicInteger();

    @AfterEach
    void closeClients() throws InterruptedException {
        for (ZooKeeper zk : clients) zk.close();
        clients.clear();
    }

    private String connectString() {
        return "127.0.0.1:" + server.port();
    }

    /** A connected client whose watcher events (other than connection states) go to {@code events}, if given. */
    private ZooKeeper connect(BlockingQueue<WatchedEvent> events) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
            if (e.getState() == Watcher.Event.KeeperState.Disconnected) disconnects.incrementAndGet();
            if (events != null && e.getType() != Watcher.Event.EventType.None) events.add(e);
        });
        clients.add(zk);
        assertTrue(connected.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "no session at " + connectString());
        return zk;
    }

    private static String unique(String name) {
        return "/" + name + "-" + Long.toString(System.nanoTime(), 36);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("not within " + DEADLINE.toSeconds() + " s: " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void aWatchEventIsDeliveredBeforeTheAnswerThatShowsTheChange() throws Exception {
        String path = unique("order");
        ZooKeeper writer = connect(null);
        writer.create(path, "v0".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        // Watcher events and async callbacks reach the application on one thread, in the order the client read them.
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper reader = new ZooKeeper(connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected && e.getType() == Watcher.Event.EventType.None) connected.countDown();
            if (e.getType() == Watcher.Event.EventType.NodeDataChanged) seen.add("event");
        });
        clients.add(reader);
        assertTrue(connected.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        for (int round = 1; round <= 30; round++) {
            seen.clear();
            reader.getData(path, true, new Stat());
            String fresh = "v" + round;
            // The reader keeps asking while the change lands: every answer already showing it must follow the event.
            writer.setData(path, fresh.getBytes(StandardCharsets.UTF_8), -1, (rc, p, ctx, stat) -> { }, null);
            CountDownLatch answered = new CountDownLatch(1);
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(64);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (answered.getCount() > 0) {
                if (System.nanoTime() > deadline) fail("round " + round + ": the reader never saw " + fresh);
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) continue;
                reader.getData(path, false, (rc, p, ctx, data, stat) -> {
                    inFlight.release();
                    if (data != null && new String(data, StandardCharsets.UTF_8).equals(fresh)) {
                        seen.add("data " + fresh);
                        answered.countDown();
                    }
                }, null);
            }
            CountDownLatch drained = new CountDownLatch(1);
            reader.sync(path, (rc, p, ctx) -> drained.countDown(), null);
            assertTrue(drained.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            assertEquals("event", seen.getFirst(), "round " + round + ": an answer showing " + fresh + " came before its watch event: " + seen);
        }
    }

    @Test
    void aLargeListingComputedOffTheEventLoopStillComesBeforeTheEventsOfItsWatch() throws Exception {
        String path = unique("big");
        ZooKeeper writer = connect(null);
        writer.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        int size = ZkHandler.INLINE_CHILDREN_MAX + 100;
        for (int from = 0; from < size; from += 100) {
            List<Op> ops = new ArrayList<>();
            for (int i = from; i < Math.min(size, from + 100); i++) {
                ops.add(Op.create(path + "/c" + i, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            }
            writer.multi(ops);
        }
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        ZooKeeper reader = connect(null);
        for (int round = 0; round < 20; round++) {
            seen.clear();
            CountDownLatch answered = new CountDownLatch(1);
            CountDownLatch fired = new CountDownLatch(1);
            String added = "n" + round;
            boolean[] listed = new boolean[1];
            reader.getChildren(path, e -> {
                seen.add("event");
                fired.countDown();
            }, (rc, p, ctx, children) -> {
                seen.add("answer");
                listed[0] = children != null && children.contains(added);
                answered.countDown();
            }, null);
            // The change races the listing, which a worker thread builds.
            writer.create(path + "/" + added, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertTrue(answered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "round " + round + ": no answer");
            // If the answer already lists the child, the watch was set after it and fires on the next change.
            if (listed[0]) writer.create(path + "/" + added + "-again", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertTrue(fired.await(DEADLINE.toSeconds(), TimeUnit.SECONDS),
                    "round " + round + ": the watch set by the listing never fired (its event came before the answer and was dropped): " + seen);
            assertEquals(List.of("answer", "event"), List.copyOf(seen), "round " + round);
        }
        assertEquals(size + 20 + 0L, reader.getAllChildrenNumber(path) - countAgain(reader, path));
    }

    private static long countAgain(ZooKeeper zk, String path) throws Exception {
        return zk.getChildren(path, false).stream().filter(n -> n.endsWith("-again")).count();
    }

    @Test
    void aReadSentOnANotificationSeesTheChangeItAnnounces() throws Exception {
        String path = unique("visible");
        ZooKeeper writer = connect(null);
        writer.create(path, new byte[] {0}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        ZooKeeper[] reader = new ZooKeeper[1];
        reader[0] = connect(null);
        reader[0].addWatch(path, e -> {
            // As CuratorCache does: read the znode the moment the event arrives.
            if (e.getType() == Watcher.Event.EventType.NodeDataChanged) {
                reader[0].getData(path, false, (rc, p, ctx, data, stat) -> seen.add(data == null ? "rc " + rc : Byte.toString(data[0])), null);
            }
        }, AddWatchMode.PERSISTENT);
        for (int v = 1; v <= 100; v++) {
            writer.setData(path, new byte[] {(byte) v}, -1);
            assertEquals(Integer.toString(v), seen.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS),
                    "a read sent on the notification of version " + v + " saw older data");
        }
    }

    @Test
    void everyWatchKindFiresAndRemovedWatchesDoNot() throws Exception {
        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        ZooKeeper watcher = connect(events);
        ZooKeeper writer = connect(null);
        String base = unique("kinds");
        writer.create(base, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        assertNull(watcher.exists(base + "/a", true), "an exists watch on a missing znode");
        writer.create(base + "/a", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertEvent(events, Watcher.Event.EventType.NodeCreated, base + "/a");

        watcher.getChildren(base, true);
        writer.create(base + "/b", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertEvent(events, Watcher.Event.EventType.NodeChildrenChanged, base);

        watcher.getData(base + "/a", true, null);
        writer.delete(base + "/a", -1);
        assertEvent(events, Watcher.Event.EventType.NodeDeleted, base + "/a");

        // A persistent recursive watch stays: two changes below base, two events.
        watcher.addWatch(base, AddWatchMode.PERSISTENT_RECURSIVE);
        writer.setData(base + "/b", new byte[] {1}, -1);
        assertEvent(events, Watcher.Event.EventType.NodeDataChanged, base + "/b");
        writer.create(base + "/b/c", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertEvent(events, Watcher.Event.EventType.NodeCreated, base + "/b/c");

        // Removed on the server: the next change sends nothing (the client's own "removed" event is local).
        watcher.removeAllWatches(base, Watcher.WatcherType.Any, false);
        KeeperException none = assertThrows(KeeperException.class, () -> watcher.removeAllWatches(base, Watcher.WatcherType.Any, false));
        assertEquals(KeeperException.Code.NOWATCHER, none.code());
        events.clear();
        writer.setData(base + "/b", new byte[] {2}, -1);
        // A marker change with a fresh watch shows that nothing from the removed one came first.
        watcher.getData(base, true, null);
        writer.setData(base, new byte[] {3}, -1);
        WatchedEvent next = events.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(base, next.getPath(), "the removed watch fired: " + next);
        assertEquals(0, disconnects.get(), "a client lost its connection (an answer it could not read?)");
    }

    private static void assertEvent(BlockingQueue<WatchedEvent> events, Watcher.Event.EventType type, String path) throws InterruptedException {
        WatchedEvent e = events.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (e == null) fail("no " + type + " event for " + path);
        assertEquals(type, e.getType(), "event " + e);
        assertEquals(path, e.getPath(), "event " + e);
    }

    @Test
    void aSessionResumesWithItsPasswordAndIsExpiredWithAWrongOne() throws Exception {
        ZooKeeper first = connect(null);
        String path = unique("eph");
        first.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        long id = first.getSessionId();
        byte[] password = first.getSessionPasswd();
        assertEquals(16, password.length);

        // A second client takes over the session (as after a reconnect to another server): same id, same ephemerals.
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper second = new ZooKeeper(connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        }, id, password);
        clients.add(second);
        assertTrue(connected.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(id, second.getSessionId());
        assertEquals(id, second.exists(path, false).getEphemeralOwner());

        byte[] wrong = password.clone();
        wrong[0] ^= 1;
        CountDownLatch expired = new CountDownLatch(1);
        ZooKeeper thief = new ZooKeeper(connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.Expired) expired.countDown();
        }, id, wrong);
        clients.add(thief);
        assertTrue(expired.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "a wrong password must not open the session");
        assertTrue(second.exists(path, false) != null, "the session and its ephemeral are untouched");

        second.close();
        await(() -> corral.state().find(path) == null, "closing the session deletes its ephemeral");
    }

    @Test
    void aSessionOpenedOverRestIsTheSameSessionOnTheClientPort() throws Exception {
        Response opened = given().contentType("application/json").body(Map.of("timeoutMs", 10_000)).post("/v1/sessions");
        assertEquals(201, opened.statusCode(), opened::asString);
        long id = Long.parseUnsignedLong(opened.jsonPath().getString("id"), 16);
        byte[] secret = HexFormat.of().parseHex(opened.jsonPath().getString("secret"));
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        }, id, secret);
        clients.add(zk);
        assertTrue(connected.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        String path = unique("rest-session");
        zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        assertEquals(id, corral.state().find(path).stat().ephemeralOwner());
        assertEquals(List.of(path), zk.getEphemerals(path));
        // Closed over REST: the wire client's ephemeral goes with it.
        Response closed = given().header("Corral-Session-Secret", opened.jsonPath().getString("secret"))
                .delete("/v1/sessions/" + opened.jsonPath().getString("id"));
        assertEquals(204, closed.statusCode(), closed::asString);
        await(() -> corral.state().find(path) == null, "the ephemeral goes with the session");
    }

    @Test
    void operationsBeyondTheDifferentialTest() throws Exception {
        ZooKeeper zk = connect(null);
        String base = unique("ops");
        zk.create(base, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        // Many requests in flight on one connection, answered in order (the client checks every xid).
        CountDownLatch done = new CountDownLatch(200);
        List<Integer> codes = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 200; i++) {
            if (i % 2 == 0) {
                zk.create(base + "/n" + i, new byte[] {(byte) i}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                        (rc, p, ctx, name) -> { codes.add(rc); done.countDown(); }, null);
            } else {
                zk.exists(base + "/n" + (i - 1), false, (rc, p, ctx, stat) -> { codes.add(rc); done.countDown(); }, null);
            }
        }
        assertTrue(done.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(Collections.nCopies(200, 0), codes, "every exists after its create saw the znode (FIFO order)");
        assertEquals(100, zk.getAllChildrenNumber(base));
        // Writes pipelined on one connection apply in the order sent: each setData names the version the one before
        // it leaves, so any reordering would answer BADVERSION.
        CountDownLatch versioned = new CountDownLatch(100);
        List<Integer> setCodes = Collections.synchronizedList(new ArrayList<>());
        for (int v = 0; v < 100; v++) {
            zk.setData(base + "/n0", new byte[] {(byte) v}, v, (rc, p, ctx, stat) -> { setCodes.add(rc); versioned.countDown(); }, null);
        }
        assertTrue(versioned.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(Collections.nCopies(100, 0), setCodes, "pipelined writes applied out of order");
        List<OpResult> reads = zk.multi(List.of(Op.getData(base + "/n0"), Op.getChildren(base + "/n2"), Op.getData(base + "/missing")));
        assertArrayEquals(new byte[] {99}, ((OpResult.GetDataResult) reads.get(0)).getData());
        assertEquals(List.of(), ((OpResult.GetChildrenResult) reads.get(1)).getChildren());
        assertEquals(KeeperException.Code.NONODE.intValue(), ((OpResult.ErrorResult) reads.get(2)).getErr());
        CountDownLatch synced = new CountDownLatch(1);
        zk.sync(base, (rc, p, ctx) -> {
            if (rc == 0) synced.countDown();
        }, null);
        assertTrue(synced.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        zk.addAuthInfo("digest", "carol:secret".getBytes(StandardCharsets.UTF_8));
        assertTrue(zk.whoAmI().stream().anyMatch(c -> c.getAuthScheme().equals("digest") && c.getUser().startsWith("carol:")), zk.whoAmI().toString());
        zk.create(base + "/carol", new byte[0], ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        ZooKeeper other = connect(null);
        assertEquals(KeeperException.Code.NOAUTH, assertThrows(KeeperException.class, () -> other.getData(base + "/carol", false, null)).code());
    }

    // ---- raw sockets ----

    private String fourLetters(String word) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) DEADLINE.toMillis());
            s.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void fourLetterWordsOnTheAllowListAreAnsweredOthersRefused() throws Exception {
        assertEquals("imok", fourLetters("ruok"));
        String srvr = fourLetters("srvr");
        assertTrue(srvr.startsWith("Zookeeper version: 3.9"), srvr);
        assertTrue(srvr.contains("Mode: standalone\n"), srvr);
        assertTrue(fourLetters("mntr").contains("zk_server_state\tstandalone\n"));
        assertEquals("envi is not executed because it is not in the whitelist.\n", fourLetters("envi"));
    }

    /** Sends {@code bytes} on a fresh connection; true if the server then closed it (read returned end of stream). */
    private boolean closedAfter(byte[] bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) DEADLINE.toMillis());
            s.getOutputStream().write(bytes);
            InputStream in = s.getInputStream();
            try {
                while (in.read() >= 0) {
                    // Whatever the server answered before closing.
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
    }

    private static byte[] frame(byte[] body) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(body.length);
        out.write(body);
        return b.toByteArray();
    }

    private static byte[] connectRequest() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0);
        out.writeLong(0);
        out.writeInt(4_000);
        out.writeLong(0);
        out.writeInt(16);
        out.write(new byte[16]);
        out.writeBoolean(false);
        return b.toByteArray();
    }

    @Test
    void hostileBytesCloseOnlyTheirOwnConnection() throws Exception {
        ZooKeeper bystander = connect(null);
        String path = unique("bystander");
        bystander.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        // A 2 GiB length prefix, a negative one, garbage in a handshake, an unknown opcode after a good handshake.
        assertTrue(closedAfter(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}), "2 GiB frame");
        assertTrue(closedAfter(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe}), "negative length");
        assertTrue(closedAfter(frame(new byte[] {1, 2, 3})), "a truncated handshake");
        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        unknown.write(frame(connectRequest()));
        unknown.write(frame(new byte[] {0, 0, 0, 1, 0, 0, 0x7f, 0x7f}));
        assertTrue(closedAfter(unknown.toByteArray()), "an unknown opcode");
        SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 50; i++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            // Whatever it is, the node answers or closes; it must not take the node down.
            closedAfter(garbage.length > 4 ? frame(garbage) : garbage);
        }
        // The bystander's session and connection are untouched, and new clients still connect.
        bystander.setData(path, new byte[] {1}, -1);
        assertArrayEquals(new byte[] {1}, connect(null).getData(path, false, null));
    }

    @Test
    void aSilentConnectionWithASessionExpiresAndTakesItsEphemerals() throws Exception {
        String path = unique("silent");
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) DEADLINE.toMillis());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.write(frame(connectRequest()));
            java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
            in.readInt();
            in.readInt();
            int timeout = in.readInt();
            long session = in.readLong();
            assertTrue(session != 0 && timeout > 0, "a session was opened");
            in.readFully(new byte[in.readInt()]);
            in.readBoolean();
            // create(path, [], OPEN, EPHEMERAL) as xid 1
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            DataOutputStream r = new DataOutputStream(req);
            r.writeInt(1);
            r.writeInt(1);
            byte[] p = path.getBytes(StandardCharsets.UTF_8);
            r.writeInt(p.length);
            r.write(p);
            r.writeInt(0);
            r.writeInt(1);
            r.writeInt(ZooDefs.Perms.ALL);
            r.writeInt(5);
            r.write("world".getBytes(StandardCharsets.US_ASCII));
            r.writeInt(6);
            r.write("anyone".getBytes(StandardCharsets.US_ASCII));
            r.writeInt(1);
            out.write(frame(req.toByteArray()));
            in.readInt();
            assertEquals(1, in.readInt(), "xid");
            in.readLong();
            assertEquals(0, in.readInt(), "created");
            assertTrue(corral.state().find(path) != null);
            // Then silence: no pings. The session expires and its ephemeral goes.
            await(() -> corral.state().find(path) == null, "the silent session's ephemeral is deleted at expiry");
        }
    }
}
