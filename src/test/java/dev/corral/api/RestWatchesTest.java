package dev.corral.api;

import static dev.corral.api.RestSupport.as;
import static dev.corral.api.RestSupport.assertError;
import static dev.corral.api.RestSupport.b64;
import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.json;
import static dev.corral.api.RestSupport.openSession;
import static dev.corral.api.RestSupport.uniquePath;
import static dev.corral.api.RestSupport.zxidOf;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches delivered over a session's Server-Sent Events stream: one-shot data, child and exists watches,
 * persistent and recursive watches, removal, event ids equal to the zxid of the change, resuming with
 * Last-Event-ID, resync, and the end of the stream when the session closes.
 *
 * <p>That no event arrives is shown by a later sentinel event arriving first, never by waiting for a while.
 */
@QuarkusTest
class RestWatchesTest {
    private String session;

    @BeforeEach
    void openSessionForTest() {
        RestSupport.awaitReady();
        session = openSession(30_000);
    }

    @AfterEach
    void closeSessionOfTest() {
        as(session).delete("/v1/sessions/" + session);
    }

    private long set(String path, String data) {
        Response r = json(Map.of("data", b64(data))).put("/v1/nodes" + path);
        assertEquals(200, r.statusCode(), r::asString);
        return zxidOf(r);
    }

    private long delete(String path) {
        Response r = given().delete("/v1/nodes" + path);
        assertEquals(204, r.statusCode(), r::asString);
        return zxidOf(r);
    }

    private Response watchedRead(String path, String kind) {
        var spec = as(session).queryParam("watch", true).queryParam("session", session);
        if (kind != null) spec = spec.queryParam(kind, true);
        return spec.get("/v1/nodes" + path);
    }

    private void addWatch(String path, String mode) {
        Response r = as(session, mode == null ? Map.of("path", path) : Map.of("path", path, "mode", mode)).post("/v1/sessions/" + session + "/watches");
        assertEquals(201, r.statusCode(), r::asString);
        assertEquals(path, r.jsonPath().getString("path"));
        assertEquals(mode == null ? "persistent" : mode, r.jsonPath().getString("mode"));
    }

    /** Proves that nothing was queued before now: a fresh exists watch fires, and its event must come next. */
    private void assertNothingPending(SseClient events) {
        String sentinel = uniquePath("sentinel");
        Response r = watchedRead(sentinel, "exists");
        assertEquals(200, r.statusCode(), r::asString);
        assertFalse(r.jsonPath().getBoolean("exists"));
        long zxid = create(sentinel).getLong("stat.czxid");
        assertEquals(zxid, events.nextWatch("NodeCreated", sentinel).zxid(), "sentinel event");
    }

    /** A client that moved here from a node that died: its watches, judged against the last zxid it saw there. */
    @Test
    void restoredWatchesFireForWhatChangedSinceTheLastZxidSeenAndTheOthersStaySet() {
        String changed = uniquePath("restore-changed");
        String same = uniquePath("restore-same");
        create(changed);
        long seen = create(same).getLong("stat.czxid");
        long change = set(changed, "after the client left");
        Response r = as(session, Map.of("lastZxid", seen, "data", List.of(changed, same)))
                .post("/v1/sessions/" + session + "/watches/restore");
        assertEquals(200, r.statusCode(), r::asString);
        assertEquals(1, r.jsonPath().getInt("fired"));
        assertEquals(1, r.jsonPath().getInt("restored"));
        try (SseClient events = SseClient.open(session)) {
            assertEquals(r.jsonPath().getLong("zxid"), events.nextWatch("NodeDataChanged", changed).zxid(),
                    "the change after the last zxid seen fires at once, with the zxid it was judged at");
            assertTrue(r.jsonPath().getLong("zxid") >= change);
            long later = set(same, "now");
            assertEquals(later, events.nextWatch("NodeDataChanged", same).zxid(), "the restored watch that had not fired is set");
            set(changed, "again");
            assertNothingPending(events);
        }
        RestSupport.assertBadArguments(as(session, Map.of("lastZxid", -1)).post("/v1/sessions/" + session + "/watches/restore"));
        // A zxid no write ever had would hold the request, and the node's note of it, for nothing.
        RestSupport.assertBadArguments(as(session, Map.of("lastZxid", Long.MAX_VALUE / 2)).post("/v1/sessions/" + session + "/watches/restore"));
        RestSupport.assertBadArguments(as(session, Map.of("lastZxid", 0, "data", List.of("no-slash")))
                .post("/v1/sessions/" + session + "/watches/restore"));
    }

    @Test
    void dataWatchFiresNodeDataChangedOnceWithTheZxidOfTheChange() {
        String path = uniquePath("datawatch");
        create(path);
        try (SseClient events = SseClient.open(session)) {
            assertEquals(200, watchedRead(path, null).statusCode());
            long first = set(path, "a");
            set(path, "b");
            SseClient.Event e = events.nextWatch("NodeDataChanged", path);
            assertEquals(first, e.zxid());
            assertEquals("watch", e.name());
            assertNothingPending(events);
        }
    }

    @Test
    void dataWatchFiresNodeDeletedWhenTheZnodeGoes() {
        String path = uniquePath("deletewatch");
        create(path);
        try (SseClient events = SseClient.open(session)) {
            watchedRead(path, null).then().statusCode(200);
            long zxid = delete(path);
            assertEquals(zxid, events.nextWatch("NodeDeleted", path).zxid());
            assertNothingPending(events);
        }
    }

    @Test
    void childWatchFiresNodeChildrenChangedOnce() {
        String path = uniquePath("childwatch");
        create(path);
        try (SseClient events = SseClient.open(session)) {
            Response read = watchedRead(path, "children");
            assertEquals(List.of(), read.jsonPath().getList("children"));
            long zxid = create(path + "/a").getLong("stat.czxid");
            create(path + "/b");
            set(path, "data changes do not fire child watches");
            assertEquals(zxid, events.nextWatch("NodeChildrenChanged", path).zxid());
            assertNothingPending(events);
        }
    }

    @Test
    void childWatchFiresNodeDeletedWhenTheParentGoes() {
        String path = uniquePath("childwatch-delete");
        create(path);
        try (SseClient events = SseClient.open(session)) {
            watchedRead(path, "children").then().statusCode(200);
            long zxid = delete(path);
            assertEquals(zxid, events.nextWatch("NodeDeleted", path).zxid());
            assertNothingPending(events);
        }
    }

    @Test
    void existsWatchOnAMissingZnodeFiresNodeCreated() {
        String path = uniquePath("existswatch");
        try (SseClient events = SseClient.open(session)) {
            Response r = watchedRead(path, "exists");
            assertEquals(200, r.statusCode(), r::asString);
            assertFalse(r.jsonPath().getBoolean("exists"));
            long czxid = create(path).getLong("stat.czxid");
            SseClient.Event e = events.nextWatch("NodeCreated", path);
            assertEquals(czxid, e.zxid());
            set(path, "one-shot: no event for this");
            assertNothingPending(events);
        }
    }

    @Test
    void oneChangeGivesTheSessionOneEventHoweverManyOfItsWatchesMatch() {
        String path = uniquePath("dedupe");
        create(path);
        try (SseClient events = SseClient.open(session)) {
            watchedRead(path, null).then().statusCode(200);
            watchedRead(path, "exists").then().statusCode(200);
            addWatch(path, "persistent");
            addWatch(path, "persistent_recursive");
            long zxid = set(path, "x");
            assertEquals(zxid, events.nextWatch("NodeDataChanged", path).zxid());
            assertNothingPending(events);
        }
    }

    @Test
    void eventsGoOnlyToTheSessionThatWatches() {
        String other = openSession(30_000);
        String path = uniquePath("private");
        create(path);
        try (SseClient mine = SseClient.open(session); SseClient theirs = SseClient.open(other)) {
            watchedRead(path, null).then().statusCode(200);
            long zxid = set(path, "x");
            assertEquals(zxid, mine.nextWatch("NodeDataChanged", path).zxid());
            String sentinel = uniquePath("their-sentinel");
            as(other).queryParam("exists", true).queryParam("watch", true).queryParam("session", other).get("/v1/nodes" + sentinel)
                    .then().statusCode(200);
            long created = create(sentinel).getLong("stat.czxid");
            assertEquals(created, theirs.nextWatch("NodeCreated", sentinel).zxid(), "the other session saw nothing before");
        } finally {
            as(other).delete("/v1/sessions/" + other);
        }
    }

    @Test
    void persistentWatchFiresForEveryChangeOfItsPathButNotBelowIt() {
        String path = uniquePath("persistent");
        create(path);
        try (SseClient events = SseClient.open(session)) {
            addWatch(path, null);
            long set1 = set(path, "1");
            long set2 = set(path, "2");
            long childCreated = create(path + "/c").getLong("stat.czxid");
            create(path + "/c/grandchild");
            delete(path + "/c/grandchild");
            long childDeleted = delete(path + "/c");
            long deleted = delete(path);
            assertEquals(set1, events.nextWatch("NodeDataChanged", path).zxid());
            assertEquals(set2, events.nextWatch("NodeDataChanged", path).zxid());
            assertEquals(childCreated, events.nextWatch("NodeChildrenChanged", path).zxid());
            assertEquals(childDeleted, events.nextWatch("NodeChildrenChanged", path).zxid());
            assertEquals(deleted, events.nextWatch("NodeDeleted", path).zxid());
            long recreated = create(path).getLong("stat.czxid");
            assertEquals(recreated, events.nextWatch("NodeCreated", path).zxid(), "a persistent watch outlives its znode");
            assertNothingPending(events);
        }
    }

    @Test
    void persistentRecursiveWatchSeesTheWholeSubtreeWithoutChildEvents() {
        String path = uniquePath("recursive");
        create(path);
        try (SseClient events = SseClient.open(session)) {
            addWatch(path, "persistent_recursive");
            long a = create(path + "/a").getLong("stat.czxid");
            long b = create(path + "/a/b").getLong("stat.czxid");
            long setB = set(path + "/a/b", "deep");
            long delB = delete(path + "/a/b");
            long setRoot = set(path, "top");
            create(path + "-sibling");
            assertEquals(a, events.nextWatch("NodeCreated", path + "/a").zxid());
            assertEquals(b, events.nextWatch("NodeCreated", path + "/a/b").zxid());
            assertEquals(setB, events.nextWatch("NodeDataChanged", path + "/a/b").zxid());
            assertEquals(delB, events.nextWatch("NodeDeleted", path + "/a/b").zxid());
            assertEquals(setRoot, events.nextWatch("NodeDataChanged", path).zxid());
            assertNothingPending(events);
        }
    }

    @Test
    void removedWatchesFireNoMore() {
        String path = uniquePath("remove");
        create(path);
        try (SseClient events = SseClient.open(session)) {
            addWatch(path, "persistent");
            assertEquals(204, as(session).queryParam("path", path).queryParam("type", "persistent")
                    .delete("/v1/sessions/" + session + "/watches").statusCode());
            assertError(as(session).queryParam("path", path).queryParam("type", "persistent").delete("/v1/sessions/" + session + "/watches"),
                    404, "NO_WATCHER", path);

            watchedRead(path, null).then().statusCode(200);
            assertError(as(session).queryParam("path", path).queryParam("type", "children").delete("/v1/sessions/" + session + "/watches"),
                    404, "NO_WATCHER", path);
            assertEquals(204, as(session).queryParam("path", path).queryParam("type", "data")
                    .delete("/v1/sessions/" + session + "/watches").statusCode());

            addWatch(path, "persistent_recursive");
            watchedRead(path, "children").then().statusCode(200);
            assertEquals(204, as(session).queryParam("path", path).delete("/v1/sessions/" + session + "/watches").statusCode(),
                    "type any removes every kind");
            assertError(as(session).queryParam("path", path).delete("/v1/sessions/" + session + "/watches"), 404, "NO_WATCHER", path);

            set(path, "unwatched");
            create(path + "/unwatched");
            assertNothingPending(events);
        }
        String never = uniquePath("never-watched");
        assertError(as(session).queryParam("path", never).delete("/v1/sessions/" + session + "/watches"), 404, "NO_WATCHER", never);
        assertError(given().queryParam("path", never).delete("/v1/sessions/00000000000000ff/watches"), 410, "SESSION_EXPIRED", null);
        assertError(json(Map.of("path", never)).post("/v1/sessions/00000000000000ff/watches"), 410, "SESSION_EXPIRED", null);
    }

    @Test
    void reconnectingWithLastEventIdReplaysExactlyTheMissedEventsInOrder() {
        String path = uniquePath("resume");
        create(path);
        addWatch(path, "persistent");
        String lastSeen;
        try (SseClient first = SseClient.open(session)) {
            long zxid = set(path, "seen");
            lastSeen = first.nextWatch("NodeDataChanged", path).id();
            assertEquals(Long.toString(zxid), lastSeen);
        }
        List<Long> missed = new ArrayList<>();
        missed.add(set(path, "missed-1"));
        missed.add(create(path + "/child").getLong("stat.czxid"));
        missed.add(set(path, "missed-2"));
        try (SseClient resumed = SseClient.open(session, lastSeen)) {
            assertEquals(missed.get(0), resumed.nextWatch("NodeDataChanged", path).zxid());
            assertEquals(missed.get(1), resumed.nextWatch("NodeChildrenChanged", path).zxid());
            assertEquals(missed.get(2), resumed.nextWatch("NodeDataChanged", path).zxid());
            long live = set(path, "live");
            assertEquals(live, resumed.nextWatch("NodeDataChanged", path).zxid(), "no event twice, none left out");
        }
        try (SseClient again = SseClient.open(session, Long.toString(missed.get(1)))) {
            assertEquals(missed.get(2), again.nextWatch("NodeDataChanged", path).zxid(), "resuming in the middle");
        }
    }

    @Test
    void lastEventIdOlderThanTheEventsKeptGivesOneResyncEvent() {
        int kept = ConfigProvider.getConfig().getOptionalValue("corral.watch.journal-events", Integer.class).orElse(1000);
        String path = uniquePath("resync");
        create(path);
        addWatch(path, "persistent_recursive");
        String lastSeen;
        try (SseClient first = SseClient.open(session)) {
            set(path, "seen");
            lastSeen = first.nextWatch("NodeDataChanged", path).id();
        }
        // More events than the session's journal keeps, all while disconnected.
        List<Map<String, Object>> ops = new ArrayList<>();
        for (int i = 0; i <= kept; i++) ops.add(Map.of("op", "create", "path", path + "/c" + i));
        Response multi = json(Map.of("ops", ops)).post("/v1/multi");
        assertEquals(200, multi.statusCode(), multi::asString);
        assertEquals(kept + 1, multi.jsonPath().getList("results").size());

        long afterResync;
        try (SseClient resumed = SseClient.open(session, lastSeen)) {
            SseClient.Event e = resumed.next();
            assertEquals("resync", e.name(), e::toString);
            assertNull(e.id(), "a resync is not an event to resume after");
            assertFalse(e.json().getString("reason").isBlank());
            afterResync = set(path, "after resync");
            assertEquals(afterResync, resumed.nextWatch("NodeDataChanged", path).zxid(), "one resync, and no stale events after it");
        }
        try (SseClient current = SseClient.open(session, Long.toString(afterResync))) {
            long live = set(path, "current");
            assertEquals(live, current.nextWatch("NodeDataChanged", path).zxid(), "no resync when nothing was missed");
        }
    }

    @Test
    void closingTheSessionSendsASessionEventAndEndsTheStream() {
        String path = uniquePath("closing");
        create(path);
        addWatch(path, "persistent");
        try (SseClient events = SseClient.open(session)) {
            long zxid = set(path, "attached");
            assertEquals(zxid, events.nextWatch("NodeDataChanged", path).zxid());
            Response close = as(session).delete("/v1/sessions/" + session);
            assertEquals(204, close.statusCode(), close::asString);
            SseClient.Event e = events.next();
            assertEquals("session", e.name(), e::toString);
            assertEquals("closed", e.json().getString("state"));
            assertEquals(zxidOf(close), e.json().getLong("zxid"));
            assertEquals(zxidOf(close), e.zxid());
            events.awaitEnd();
        }
    }

    @Test
    void eventsOfOneChangeShareItsZxidAndOnlyTheLastCarriesTheSseId() {
        String parent = uniquePath("two-events");
        create(parent);
        addWatch(parent, "persistent");
        addWatch(parent, "persistent_recursive");
        long zxid;
        try (SseClient events = SseClient.open(session)) {
            zxid = create(parent + "/child").getLong("stat.czxid");
            SseClient.Event first = events.next();
            SseClient.Event second = events.next();
            assertEquals("NodeCreated", first.json().getString("type"), first::toString);
            assertEquals(zxid, first.json().getLong("zxid"));
            assertNull(first.id(), () -> "the first event of zxid " + zxid + " carries no id: " + first);
            assertEquals("NodeChildrenChanged", second.json().getString("type"), second::toString);
            assertEquals(Long.toString(zxid), second.id(), second::toString);
        }
        // A client cut off between the two resumes from the zxid before and gets both again, none lost.
        try (SseClient events = SseClient.open(session, Long.toString(zxid - 1))) {
            SseClient.Event first = events.next();
            SseClient.Event second = events.next();
            assertEquals("NodeCreated", first.json().getString("type"), first::toString);
            assertNull(first.id());
            assertEquals("NodeChildrenChanged", second.json().getString("type"), second::toString);
            assertEquals(Long.toString(zxid), second.id());
            assertNothingPending(events);
        }
    }
}
