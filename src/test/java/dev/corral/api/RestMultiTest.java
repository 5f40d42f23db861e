package dev.corral.api;

import static dev.corral.api.RestSupport.as;
import static dev.corral.api.RestSupport.assertError;
import static dev.corral.api.RestSupport.b64;
import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.createWithData;
import static dev.corral.api.RestSupport.json;
import static dev.corral.api.RestSupport.openSession;
import static dev.corral.api.RestSupport.sessionNumber;
import static dev.corral.api.RestSupport.uniquePath;
import static dev.corral.api.RestSupport.unb64;
import static dev.corral.api.RestSupport.zxidOf;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/multi}: all-or-nothing batches with per-op results; {@code /v1/multi-read}: independent reads. */
@QuarkusTest
class RestMultiTest {
    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    private static Map<String, Object> op(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static Response multi(List<Map<String, Object>> ops) {
        return json(Map.of("ops", ops)).post("/v1/multi");
    }

    @Test
    void successReturnsOneResultPerOpAllAtOneZxid() {
        String p = uniquePath("multi");
        Response r = multi(List.of(
                op("op", "create", "path", p, "data", b64("parent")),
                op("op", "create", "path", p + "/c", "data", b64("child")),
                op("op", "set", "path", p, "data", b64("parent2"), "version", 0),
                op("op", "check", "path", p, "version", 1),
                op("op", "delete", "path", p + "/c", "version", 0)));
        assertEquals(200, r.statusCode(), r::asString);
        long zxid = zxidOf(r);
        JsonPath j = r.jsonPath();
        assertEquals(zxid, j.getLong("zxid"));
        assertEquals(List.of("create", "create", "set", "check", "delete"), j.getList("results.op"));
        assertEquals(List.of(p, p + "/c", p, p, p + "/c"), j.getList("results.path"));

        assertEquals(zxid, j.getLong("results[0].stat.czxid"));
        assertEquals(6, j.getInt("results[0].stat.dataLength"));
        assertEquals(zxid, j.getLong("results[1].stat.czxid"));
        assertEquals(5, j.getInt("results[1].stat.dataLength"));
        // The set sees the child created before it in the same batch.
        assertEquals(1, j.getInt("results[2].stat.version"));
        assertEquals(1, j.getInt("results[2].stat.numChildren"));
        assertEquals(1, j.getInt("results[2].stat.cversion"));
        assertEquals(zxid, j.getLong("results[2].stat.mzxid"));
        assertNull(j.get("results[3].stat"));
        assertNull(j.get("results[4].stat"));

        JsonPath parent = given().get("/v1/nodes" + p).jsonPath();
        assertEquals("parent2", unb64(parent.getString("data")));
        assertEquals(1, parent.getInt("stat.version"));
        assertEquals(0, parent.getInt("stat.numChildren"));
        assertEquals(zxid, parent.getLong("stat.pzxid"));
        assertEquals(404, RestSupport.status(p + "/c"));
    }

    @Test
    void failureChangesNothingAndNamesTheFailingOp() {
        String p = uniquePath("atomic");
        JsonPath before = createWithData(p, "original");
        Response r = multi(List.of(
                op("op", "create", "path", p + "/a"),
                op("op", "set", "path", p, "data", b64("changed")),
                op("op", "set", "path", p, "data", b64("again"), "version", 0),
                op("op", "create", "path", p + "/b")));
        JsonPath j = assertError(r, 412, "BAD_VERSION", p);
        assertEquals(2, j.getInt("failedOp"));
        assertEquals(List.of("OK", "OK", "BAD_VERSION", "RUNTIME_INCONSISTENCY"), j.getList("results.code"));
        assertEquals(List.of(p + "/a", p, p, p + "/b"), j.getList("results.path"));

        JsonPath after = given().get("/v1/nodes" + p).jsonPath();
        assertEquals("original", unb64(after.getString("data")));
        assertEquals(before.getMap("stat"), after.getMap("stat"), "the tree is unchanged");
        assertEquals(404, RestSupport.status(p + "/a"));
        assertEquals(404, RestSupport.status(p + "/b"));
    }

    @Test
    void failingOpDecidesTheStatusAndCode() {
        String p = uniquePath("codes");
        create(p);
        create(p + "/full");
        create(p + "/full/child");

        JsonPath noNode = assertError(multi(List.of(op("op", "create", "path", p + "/x"), op("op", "delete", "path", p + "/missing"))),
                404, "NO_NODE", p + "/missing");
        assertEquals(1, noNode.getInt("failedOp"));
        assertEquals(List.of("OK", "NO_NODE"), noNode.getList("results.code"));

        JsonPath exists = assertError(multi(List.of(op("op", "create", "path", p + "/full"), op("op", "create", "path", p + "/y"))),
                409, "NODE_EXISTS", p + "/full");
        assertEquals(0, exists.getInt("failedOp"));
        assertEquals(List.of("NODE_EXISTS", "RUNTIME_INCONSISTENCY"), exists.getList("results.code"));

        JsonPath notEmpty = assertError(multi(List.of(op("op", "delete", "path", p + "/full"))), 409, "NOT_EMPTY", p + "/full");
        assertEquals(0, notEmpty.getInt("failedOp"));

        JsonPath check = assertError(multi(List.of(op("op", "check", "path", p, "version", 5), op("op", "delete", "path", p + "/full/child"))),
                412, "BAD_VERSION", p);
        assertEquals(List.of("BAD_VERSION", "RUNTIME_INCONSISTENCY"), check.getList("results.code"));

        assertEquals(200, RestSupport.status(p + "/full/child"));
        assertEquals(List.of("full"), given().queryParam("children", true).get("/v1/nodes" + p).jsonPath().getList("children"));
    }

    @Test
    void laterOpsSeeEarlierOnes() {
        String p = uniquePath("order");
        Response ok = multi(List.of(
                op("op", "create", "path", p),
                op("op", "create", "path", p + "/c"),
                op("op", "delete", "path", p + "/c"),
                op("op", "delete", "path", p),
                op("op", "create", "path", p, "data", b64("last"))));
        assertEquals(200, ok.statusCode(), ok::asString);
        JsonPath j = given().get("/v1/nodes" + p).jsonPath();
        assertEquals("last", unb64(j.getString("data")));
        assertEquals(0, j.getInt("stat.numChildren"));

        String q = uniquePath("order-fail");
        JsonPath twice = assertError(multi(List.of(op("op", "create", "path", q), op("op", "create", "path", q))), 409, "NODE_EXISTS", q);
        assertEquals(1, twice.getInt("failedOp"));
        assertEquals(List.of("OK", "NODE_EXISTS"), twice.getList("results.code"));
        assertEquals(404, RestSupport.status(q));
    }

    @Test
    void sequentialCreatesInOneBatchGetConsecutiveNumbers() {
        String p = uniquePath("multiseq");
        create(p);
        Response r = multi(List.of(
                op("op", "create", "path", p + "/s-", "mode", "persistent_sequential"),
                op("op", "create", "path", p + "/s-", "mode", "persistent_sequential")));
        assertEquals(200, r.statusCode(), r::asString);
        assertEquals(List.of(p + "/s-0000000000", p + "/s-0000000001"), r.jsonPath().getList("results.path"));
    }

    @Test
    void ephemeralCreateUsesTheBatchSession() {
        String session = openSession(30_000);
        String p = uniquePath("multieph");
        Response r = as(session, Map.of("session", session, "ops", List.of(op("op", "create", "path", p, "mode", "ephemeral")))).post("/v1/multi");
        assertEquals(200, r.statusCode(), r::asString);
        assertEquals(sessionNumber(session), r.jsonPath().getLong("results[0].stat.ephemeralOwner"));
        assertError(multi(List.of(op("op", "create", "path", p + "-2", "mode", "ephemeral"))), 400, "BAD_ARGUMENTS", p + "-2");
        RestSupport.closeSession(session);
        assertEquals(404, RestSupport.status(p));
    }

    @Test
    void ttlAndContainerModesWorkInABatch() {
        String p = uniquePath("multimodes");
        Response r = multi(List.of(
                op("op", "create", "path", p, "mode", "container"),
                op("op", "create", "path", p + "/t", "mode", "persistent_ttl", "ttl", 60_000)));
        assertEquals(200, r.statusCode(), r::asString);
        // As in ZooKeeper, the Stats of containers and TTL znodes show no owner.
        assertEquals(0L, r.jsonPath().getLong("results[0].stat.ephemeralOwner"));
        assertEquals(0L, r.jsonPath().getLong("results[1].stat.ephemeralOwner"));
        assertEquals(List.of("t"), given().queryParam("children", true).get("/v1/nodes" + p).jsonPath().getList("children"));
    }

    @Test
    void emptyBatchSucceedsWithNoResults() {
        Response r = multi(List.of());
        assertEquals(200, r.statusCode(), r::asString);
        assertEquals(List.of(), r.jsonPath().getList("results"));
    }

    @Test
    void multiReadAnswersEachOpIndependently() {
        String p = uniquePath("mread");
        JsonPath created = createWithData(p, "here");
        create(p + "/b");
        create(p + "/a");
        Response r = json(Map.of("ops", List.of(
                Map.of("op", "get", "path", p),
                Map.of("op", "get", "path", p + "/missing"),
                Map.of("op", "exists", "path", p + "/missing"),
                Map.of("op", "exists", "path", p),
                Map.of("op", "children", "path", p),
                Map.of("op", "children", "path", p + "/missing")))).post("/v1/multi-read");
        assertEquals(200, r.statusCode(), r::asString);
        JsonPath j = r.jsonPath();
        assertEquals(6, j.getList("results").size());
        assertEquals(List.of("get", "get", "exists", "exists", "children", "children"), j.getList("results.op"));
        assertEquals("here", unb64(j.getString("results[0].data")));
        assertEquals(created.getLong("stat.czxid"), j.getLong("results[0].stat.czxid"));
        assertEquals(2, j.getInt("results[0].stat.numChildren"));
        assertNull(j.get("results[0].code"));
        assertEquals("NO_NODE", j.getString("results[1].code"));
        assertEquals(p + "/missing", j.getString("results[1].path"));
        assertFalse(j.getBoolean("results[2].exists"));
        assertTrue(j.getBoolean("results[3].exists"));
        assertEquals(created.getLong("stat.czxid"), j.getLong("results[3].stat.czxid"));
        assertEquals(List.of("a", "b"), j.getList("results[4].children"));
        assertEquals("NO_NODE", j.getString("results[5].code"));
        assertTrue(j.getLong("zxid") >= j.getLong("results[0].stat.pzxid"));
    }

    @Test
    void anOperationRefusedBeforeValidationIsNamedAndNothingChanges() {
        String p = uniquePath("multi-parse");
        create(p);
        Response r = json(Map.of("ops", List.of(op("op", "create", "path", p + "/a"), op("op", "check", "path", p),
                op("op", "create", "path", p + "/../b")))).post("/v1/multi");
        JsonPath j = RestSupport.assertBadArguments(r);
        assertEquals(2, j.getInt("failedOp"), r::asString);
        assertEquals(404, given().get("/v1/nodes" + p + "/a").statusCode(), "nothing of the multi was applied");
    }
}
