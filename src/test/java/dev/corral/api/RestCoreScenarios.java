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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A representative subset of the REST contract, over HTTP only, for runs against other node set-ups: a node
 * on PostgreSQL, and the packaged application. Subclasses only choose how the node is started.
 */
abstract class RestCoreScenarios {
    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    @Test
    void createGetSetDelete() {
        String path = uniquePath("core");
        JsonPath created = createWithData(path, "hello");
        assertEquals(path, created.getString("path"));
        assertEquals(0, created.getInt("stat.version"));
        assertEquals(5, created.getInt("stat.dataLength"));

        JsonPath read = given().get("/v1/nodes" + path).jsonPath();
        assertEquals("hello", unb64(read.getString("data")));
        assertEquals(created.getMap("stat"), read.getMap("stat"));

        Response set = json(Map.of("data", b64("world"), "version", 0)).put("/v1/nodes" + path);
        assertEquals(200, set.statusCode(), set::asString);
        assertEquals(1, set.jsonPath().getInt("stat.version"));
        assertEquals(zxidOf(set), set.jsonPath().getLong("stat.mzxid"));
        assertTrue(zxidOf(set) > created.getLong("stat.czxid"));
        assertError(json(Map.of("data", b64("stale"), "version", 0)).put("/v1/nodes" + path), 412, "BAD_VERSION", path);
        assertEquals("world", unb64(given().get("/v1/nodes" + path).jsonPath().getString("data")));

        assertError(json(Map.of()).post("/v1/nodes" + path), 409, "NODE_EXISTS", path);
        assertEquals(204, given().queryParam("version", 1).delete("/v1/nodes" + path).statusCode());
        assertError(given().get("/v1/nodes" + path), 404, "NO_NODE", path);
    }

    @Test
    void theHttpLayersOwnRefusalsAreJson() {
        // The packaged node hands the URI check to HttpGate through CorralMain: a malformed escape gets JSON too.
        RawHttp.Reply escape = RawHttp.send("GET", "/v1/nodes/a%zz", Map.of(), (byte[]) null);
        assertEquals(400, escape.status(), escape::toString);
        assertEquals("BAD_ARGUMENTS", escape.json().getString("code"));
        RawHttp.Reply text = RawHttp.send("POST", "/v1/multi", Map.of("Content-Type", "text/plain"), "{\"ops\":[]}");
        assertEquals(415, text.status(), text::toString);
        assertEquals("BAD_ARGUMENTS", text.json().getString("code"));
        RawHttp.Reply line = RawHttp.send("GET", "/v1/nodes/zookeeper?pad=" + "x".repeat(10_000), Map.of(), (byte[]) null);
        assertEquals(414, line.status(), line::toString);
        assertEquals("BAD_ARGUMENTS", line.json().getString("code"));
    }

    @Test
    void childrenAndSequentialNames() {
        String parent = uniquePath("core-kids");
        create(parent);
        create(parent + "/b");
        String seq = create(parent + "/s-", Map.of("mode", "persistent_sequential")).getString("path");
        assertEquals(parent + "/s-0000000001", seq);
        assertEquals(List.of("b", "s-0000000001"), given().queryParam("children", true).get("/v1/nodes" + parent).jsonPath()
                .getList("children"));
        assertError(given().delete("/v1/nodes" + parent), 409, "NOT_EMPTY", parent);
    }

    @Test
    void multiIsAllOrNothing() {
        String p = uniquePath("core-multi");
        Response ok = json(Map.of("ops", List.of(Map.of("op", "create", "path", p), Map.of("op", "create", "path", p + "/c"),
                Map.of("op", "set", "path", p, "data", b64("x"), "version", 0)))).post("/v1/multi");
        assertEquals(200, ok.statusCode(), ok::asString);
        assertEquals(List.of("create", "create", "set"), ok.jsonPath().getList("results.op"));
        assertEquals(1, ok.jsonPath().getInt("results[2].stat.numChildren"));

        JsonPath failed = assertError(json(Map.of("ops", List.of(Map.of("op", "delete", "path", p + "/c"),
                Map.of("op", "check", "path", p, "version", 0)))).post("/v1/multi"), 412, "BAD_VERSION", p);
        assertEquals(1, failed.getInt("failedOp"));
        assertEquals(List.of("OK", "BAD_VERSION"), failed.getList("results.code"));
        assertEquals(200, RestSupport.status(p + "/c"), "the delete before the failed check did not happen");
    }

    @Test
    void sessionEphemeralsGoWhenTheSessionCloses() {
        String session = openSession(40_000);
        assertEquals(40_000, as(session).get("/v1/sessions/" + session).jsonPath().getInt("timeoutMs"));
        assertEquals(200, as(session).post("/v1/sessions/" + session + "/keepalive").statusCode());
        String path = uniquePath("core-eph");
        JsonPath j = create(path, Map.of("mode", "ephemeral", "session", session));
        assertEquals(sessionNumber(session), j.getLong("stat.ephemeralOwner"));
        assertError(json(Map.of()).post("/v1/nodes" + path + "/child"), 400, "NO_CHILDREN_FOR_EPHEMERALS", path + "/child");
        RestSupport.closeSession(session);
        assertError(given().get("/v1/nodes" + path), 404, "NO_NODE", path);
        assertError(as(session).get("/v1/sessions/" + session), 410, "SESSION_EXPIRED", null);
    }

    @Test
    void badInputIsJson400() {
        String path = uniquePath("core-bad");
        assertError(json("{not json").post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(json(Map.of("mode", "banana")).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(given().get("/v1/nope"), 404, "UNIMPLEMENTED", null);
        assertEquals(404, RestSupport.status(path));
    }

    @Test
    void healthAndCluster() {
        for (String probe : List.of("/q/health/live", "/q/health/ready", "/q/health/started")) {
            assertEquals(200, given().get(probe).statusCode(), probe);
        }
        assertEquals("leader", given().get("/v1/cluster").jsonPath().getString("members[0].role"));
        assertTrue(given().get("/q/metrics").asString().contains("corral_znodes"));
    }
}
