package dev.corral.client;

import static dev.corral.client.ClientTests.bytes;
import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches of every kind delivered to their watchers: one-shot data, exists and children watches fire once, persistent
 * ones every time, recursive ones for the whole subtree, removed ones no more. That no further event came is shown by
 * a later sentinel event arriving first, never by waiting a while.
 */
@QuarkusTest
class CorralClientWatchesTest {
    private CorralClient client;
    private CorralClient other;

    @BeforeEach
    void connect() {
        ClientTests.awaitReady();
        client = ClientTests.client();
        other = ClientTests.client();
    }

    @AfterEach
    void disconnect() {
        client.close();
        other.close();
    }

    /** Proves that {@code events} has nothing queued: a fresh exists watch on a new znode fires, and must come next. */
    private void assertNothingPending(ClientTests.Events events) {
        String sentinel = uniquePath("sentinel");
        assertNull(client.exists(sentinel, events));
        long zxid = other.create(sentinel, null).stat().czxid();
        events.next(EventType.NODE_CREATED, sentinel, zxid);
        assertEquals(0, events.pending());
    }

    @Test
    void dataWatchFiresOnceForTheNextChangeWithItsZxid() {
        String path = uniquePath("data");
        client.create(path, bytes("0"));
        ClientTests.Events events = new ClientTests.Events();
        client.getData(path, events);
        long first = other.setData(path, bytes("1")).mzxid();
        other.setData(path, bytes("2"));
        events.next(EventType.NODE_DATA_CHANGED, path, first);
        assertNothingPending(events);
        // Spent: an event that reaches the path through another watch does not call it again.
        ClientTests.Events persistent = new ClientTests.Events();
        client.addWatch(path, WatchMode.PERSISTENT, persistent);
        long third = other.setData(path, bytes("3")).mzxid();
        persistent.next(EventType.NODE_DATA_CHANGED, path, third);
        assertNothingPending(events);
        client.removeWatches(path, WatchType.PERSISTENT);

        client.getData(path, events);
        other.delete(path);
        long deleted = other.lastZxidSeen();
        events.next(EventType.NODE_DELETED, path, deleted);
        assertNothingPending(events);
        assertThrows(CorralException.NoNodeException.class, () -> client.getData(path, events), "no data watch on a missing znode");
        other.create(path, null);
        assertNothingPending(events);
    }

    @Test
    void existsWatchFiresOnCreationOfAMissingZnodeAndOnChangeOfAnExistingOne() {
        String path = uniquePath("exists");
        ClientTests.Events events = new ClientTests.Events();
        assertNull(client.exists(path, events));
        long created = other.create(path, null).stat().czxid();
        events.next(EventType.NODE_CREATED, path, created);
        client.exists(path, events);
        long changed = other.setData(path, bytes("x")).mzxid();
        events.next(EventType.NODE_DATA_CHANGED, path, changed);
        assertNothingPending(events);
    }

    @Test
    void childrenWatchFiresOnceForAChildAndOnDeletionOfTheParent() {
        String path = uniquePath("children");
        client.create(path, null);
        // Brings every event of the path to this client, so that a children watch firing on the wrong one would show.
        ClientTests.Events all = new ClientTests.Events();
        client.addWatch(path, WatchMode.PERSISTENT, all);
        ClientTests.Events events = new ClientTests.Events();
        client.getChildren(path, events);
        long data = other.setData(path, bytes("not a children change")).mzxid();
        all.next(EventType.NODE_DATA_CHANGED, path, data);
        long child = other.create(path + "/a", null).stat().czxid();
        other.create(path + "/b", null);
        events.next(EventType.NODE_CHILDREN_CHANGED, path, child);
        client.removeWatches(path, WatchType.PERSISTENT);
        assertNothingPending(events);
        client.getChildren(path, events);
        other.delete(path + "/a");
        events.next(EventType.NODE_CHILDREN_CHANGED, path);
        other.delete(path + "/b");
        client.getChildren(path, events);
        other.delete(path);
        events.next(EventType.NODE_DELETED, path);
        assertNothingPending(events);
    }

    @Test
    void persistentWatchSeesEveryEventOfItsPathUntilRemoved() {
        String path = uniquePath("persistent");
        ClientTests.Events events = new ClientTests.Events();
        client.addWatch(path, WatchMode.PERSISTENT, events);
        long created = other.create(path, null).stat().czxid();
        events.next(EventType.NODE_CREATED, path, created);
        long set1 = other.setData(path, bytes("1")).mzxid();
        events.next(EventType.NODE_DATA_CHANGED, path, set1);
        long set2 = other.setData(path, bytes("2")).mzxid();
        events.next(EventType.NODE_DATA_CHANGED, path, set2);
        long child = other.create(path + "/c", null).stat().czxid();
        events.next(EventType.NODE_CHILDREN_CHANGED, path, child);
        other.setData(path + "/c", bytes("below: not this watch's"));
        client.removeWatches(path, WatchType.PERSISTENT);
        other.setData(path, bytes("3"));
        assertNothingPending(events);
        assertThrows(CorralException.NoWatcherException.class, () -> client.removeWatches(path, WatchType.PERSISTENT));
    }

    @Test
    void persistentRecursiveWatchSeesTheSubtreeWithoutChildrenEvents() {
        String path = uniquePath("recursive");
        ClientTests.Events events = new ClientTests.Events();
        client.addWatch(path, WatchMode.PERSISTENT_RECURSIVE, events);
        long created = other.create(path, null).stat().czxid();
        events.next(EventType.NODE_CREATED, path, created);
        long child = other.create(path + "/a", null).stat().czxid();
        events.next(EventType.NODE_CREATED, path + "/a", child);
        long grandchild = other.create(path + "/a/b", bytes("x")).stat().czxid();
        events.next(EventType.NODE_CREATED, path + "/a/b", grandchild);
        long set = other.setData(path + "/a/b", bytes("y")).mzxid();
        events.next(EventType.NODE_DATA_CHANGED, path + "/a/b", set);
        other.delete(path + "/a/b");
        events.next(EventType.NODE_DELETED, path + "/a/b");
        other.create(path + "-sibling", null);
        assertNothingPending(events);
    }

    @Test
    void oneChangeReachesEveryWatcherOnceAndWatchersOfOneClientRunInZxidOrder() throws Exception {
        String path = uniquePath("many");
        client.create(path, null);
        ClientTests.Events data = new ClientTests.Events();
        ClientTests.Events persistent = new ClientTests.Events();
        ClientTests.Events recursive = new ClientTests.Events();
        client.getData(path, data);
        client.exists(path, data);
        client.addWatch(path, WatchMode.PERSISTENT, persistent);
        client.addWatch("/", WatchMode.PERSISTENT_RECURSIVE, recursive);
        long set = other.setData(path, bytes("x")).mzxid();
        data.next(EventType.NODE_DATA_CHANGED, path, set);
        persistent.next(EventType.NODE_DATA_CHANGED, path, set);
        // The root's recursive watch sees everyone's changes: look for ours.
        WatchedEvent e;
        do {
            e = recursive.next();
        } while (!(e.path().equals(path) && e.zxid() == set));
        assertNothingPending(data);
        client.removeWatches("/", WatchType.ANY);
        // An async watched read works the same way.
        ClientTests.Events async = new ClientTests.Events();
        client.async().getData(path, async).get(20, TimeUnit.SECONDS);
        long again = other.setData(path, bytes("y")).mzxid();
        async.next(EventType.NODE_DATA_CHANGED, path, again);
    }
}
