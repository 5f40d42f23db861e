package dev.corral.client;

import static dev.corral.client.ClientTests.bytes;
import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watch events survive a broken network: an event stream cut after the node sent events the client never got resumes
 * with Last-Event-ID and gets them; a node that lost them answers resync, and the client sets its watches again with
 * the last zxid it saw; a client whose node dies moves to the next one with its session, its ephemerals and its
 * watches; a write whose answer is lost is not repeated, a read is. A {@link TcpProxy} in front of the node is the
 * network that breaks.
 */
@QuarkusTest
class CorralClientResumeTest {
    /** Events a session's journal keeps (corral.watch.journal-events). */
    private static final int JOURNAL_EVENTS = 1000;
    private TcpProxy proxy;
    private CorralClient other;

    @BeforeEach
    void connect() {
        ClientTests.awaitReady();
        proxy = TcpProxy.start(ClientTests.port());
        other = ClientTests.client();
    }

    @AfterEach
    void disconnect() {
        other.close();
        proxy.close();
    }

    @Test
    void aStreamCutAfterTheNodeSentEventsResumesWithThemInOrderAndNoneTwice() {
        try (CorralClient client = CorralClient.builder().servers(proxy.url()).sessionTimeout(Duration.ofSeconds(30)).build()) {
            String path = uniquePath("resume");
            client.create(path, bytes("0"));
            ClientTests.Events events = new ClientTests.Events();
            client.addWatch(path, WatchMode.PERSISTENT, events);
            long seen = other.setData(path, bytes("1")).mzxid();
            events.next(EventType.NODE_DATA_CHANGED, path, seen);

            // The node sends these two, and believes them delivered; the network loses them.
            proxy.swallowEventStreams(true);
            long lost1 = other.setData(path, bytes("2")).mzxid();
            long lost2 = other.create(path + "/child", null).stat().czxid();
            ClientTests.await("the node to send both events", ClientTests.DEADLINE,
                    () -> proxy.swallowed().contains("\"zxid\":" + lost2));
            proxy.swallowEventStreams(false);
            proxy.cutEventStreams();

            events.next(EventType.NODE_DATA_CHANGED, path, lost1);
            events.next(EventType.NODE_CHILDREN_CHANGED, path, lost2);
            long live = other.setData(path, bytes("3")).mzxid();
            events.next(EventType.NODE_DATA_CHANGED, path, live);
            assertEquals(0, events.pending(), "no event twice");
        }
    }

    @Test
    void aResyncSetsTheWatchesAgainAndFiresThoseWhoseZnodeChangedMeanwhile() {
        try (CorralClient client = CorralClient.builder().servers(proxy.url()).sessionTimeout(Duration.ofSeconds(30)).build()) {
            String path = uniquePath("resync");
            client.create(path, null);
            client.create(path + "/x", bytes("0"));
            client.create(path + "/bulk", null);
            ClientTests.Events data = new ClientTests.Events();
            ClientTests.Events bulk = new ClientTests.Events();
            client.getData(path + "/x", data);
            client.addWatch(path + "/bulk", WatchMode.PERSISTENT_RECURSIVE, bulk);
            long before = other.create(path + "/bulk/first", null).stat().czxid();
            bulk.next(EventType.NODE_CREATED, path + "/bulk/first", before);

            // While the client hears nothing, the data watch fires, and then more events than the journal keeps push
            // that event out of it.
            proxy.swallowEventStreams(true);
            long changed = other.setData(path + "/x", bytes("1")).mzxid();
            List<Op> creates = new ArrayList<>();
            for (int i = 0; i <= JOURNAL_EVENTS; i++) creates.add(Op.create(path + "/bulk/c" + i, null));
            other.multi(creates);
            String last = "\"path\":\"" + path + "/bulk/c" + JOURNAL_EVENTS + "\"";
            ClientTests.await("the node to send the bulk events", ClientTests.DEADLINE, () -> proxy.swallowed().contains(last));
            proxy.swallowEventStreams(false);
            proxy.cutEventStreams();

            // The node answers resync; the client sends its watches with the last zxid it saw, and the data watch fires.
            WatchedEvent fired = data.next(EventType.NODE_DATA_CHANGED, path + "/x");
            assertEquals(true, fired.zxid() >= changed, "fired at a zxid at or after the change: " + fired);
            // The recursive watch is set again (without events for the gap, as in ZooKeeper).
            long after = other.create(path + "/bulk/after", null).stat().czxid();
            WatchedEvent e;
            do {
                e = bulk.next();
            } while (e.zxid() < after);
            assertEquals(new WatchedEvent(EventType.NODE_CREATED, path + "/bulk/after", after), e);
        }
    }

    @Test
    void aWriteWhoseAnswerIsLostFailsWithConnectionLossAndIsNotRepeatedWhileAReadIsRetried() {
        try (CorralClient client = CorralClient.builder().servers(proxy.url()).build()) {
            String parent = uniquePath("unknown");
            client.create(parent, null);
            proxy.breakNextAnswerTo("POST /v1/nodes" + parent + "/job- ");
            CorralException.ConnectionLossException lost = assertThrows(CorralException.ConnectionLossException.class,
                    () -> client.create(parent + "/job-", null, CreateMode.PERSISTENT_SEQUENTIAL));
            assertTrue(lost.outcomeUnknown(), lost::getMessage);
            assertEquals(1, proxy.countSent("POST /v1/nodes" + parent + "/job- "), "the write was sent once");
            assertEquals(1, other.getChildren(parent).names().size(), "the node carried it out; the client did not repeat it");

            proxy.breakNextAnswerTo("GET /v1/nodes" + parent + "?children=true");
            assertEquals(1, client.getChildren(parent).names().size(), "a read whose answer broke off is retried");
            assertEquals(2, proxy.countSent("GET /v1/nodes" + parent + "?children=true"));
        }
    }

    @Test
    void whenItsNodeDiesTheClientMovesOnWithItsSessionEphemeralsAndWatches() {
        ClientTests.States states = new ClientTests.States();
        try (CorralClient client = CorralClient.builder().servers(proxy.url(), ClientTests.url()).sessionTimeout(Duration.ofSeconds(30))
                .sessionListener(states).build()) {
            String path = uniquePath("move");
            client.create(path, bytes("0"));
            Session session = client.session();
            String eph = client.create(path + "/eph", null, CreateMode.EPHEMERAL).path();
            ClientTests.Events data = new ClientTests.Events();
            ClientTests.Events persistent = new ClientTests.Events();
            client.getData(path, data);
            client.addWatch(path + "/p", WatchMode.PERSISTENT, persistent);
            states.next(SessionState.CONNECTED);
            assertEquals(proxy.url(), client.currentServer().toString());

            // The next node knows nothing of the watches (watches are per node): take them away here to stand for that.
            for (String watched : List.of(path, path + "/p")) {
                assertEquals(204, ClientTests.raw("DELETE", "/v1/sessions/" + session.id() + "/watches?path=" + watched + "&type=any", null,
                        session.secret()).status());
            }
            proxy.stop();
            long changed = other.setData(path, bytes("changed while the client moved")).mzxid();

            states.next(SessionState.DISCONNECTED);
            states.next(SessionState.RECONNECTED);
            assertEquals(ClientTests.url(), client.currentServer().toString());
            WatchedEvent fired = data.next(EventType.NODE_DATA_CHANGED, path);
            assertEquals(true, fired.zxid() >= changed, "fired for the change made while moving: " + fired);
            long created = other.create(path + "/p", null).stat().czxid();
            persistent.next(EventType.NODE_CREATED, path + "/p", created);

            Stat stat = other.exists(eph);
            assertNotNull(stat, "the ephemeral lives on");
            assertEquals(session.idNumber(), stat.ephemeralOwner());
            assertEquals("changed while the client moved", client.getData(path).text());
            assertEquals(session, client.session());
        }
        assertNull(other.exists(ClientTests.uniquePath("nothing")), "the other client is unaffected");
    }
}
