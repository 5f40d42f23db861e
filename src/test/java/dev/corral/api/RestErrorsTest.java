package dev.corral.api;

import static dev.corral.api.RestSupport.as;
import static dev.corral.api.RestSupport.assertBadArguments;
import static dev.corral.api.RestSupport.assertError;
import static dev.corral.api.RestSupport.b64;
import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.createWithData;
import static dev.corral.api.RestSupport.json;
import static dev.corral.api.RestSupport.openSession;
import static dev.corral.api.RestSupport.raw;
import static dev.corral.api.RestSupport.uniquePath;
import static dev.corral.api.RestSupport.unb64;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad request gets a 4xx status and the contract's JSON error, never a 500, and leaves the tree
 * unchanged.
 */
@QuarkusTest
class RestErrorsTest {
    private static final int MIB = 1024 * 1024;

    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    // ---- bodies ----

    @Test
    void malformedJsonIsBadArguments() {
        String path = uniquePath("malformed");
        assertError(json("{not json").post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(json("{\"data\":").put("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(json("{\"timeoutMs\": 5").post("/v1/sessions"), 400, "BAD_ARGUMENTS", null);
        assertError(json("[{").post("/v1/multi"), 400, "BAD_ARGUMENTS", null);
        assertEquals(404, RestSupport.status(path));
    }

    @Test
    void bytesAfterTheBodyAreBadArgumentsAndChangeNothing() {
        String path = uniquePath("trailing");
        for (String body : List.of("{\"data\":\"YQ==\"} trailing", "{\"data\":\"YQ==\"}{}", "{} []", "{}x", "{} // note", "{}\u0000")) {
            JsonPath j = assertError(json(body).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
            assertTrue(j.getString("message").contains("JSON"), j::prettify);
        }
        assertError(json("{\"ops\":[]} {\"ops\":[{\"op\":\"create\",\"path\":\"" + path + "\"}]}").post("/v1/multi"), 400,
                "BAD_ARGUMENTS", null);
        assertError(json("{\"timeoutMs\":5000} 1").post("/v1/sessions"), 400, "BAD_ARGUMENTS", null);
        assertEquals(404, RestSupport.status(path));
        Response ok = json("{\"data\":\"YQ==\"} \r\n\t ").post("/v1/nodes" + path);
        assertEquals(201, ok.statusCode(), ok::asString);
    }

    @Test
    void aFieldNamedTwiceIsBadArguments() {
        String path = uniquePath("twice");
        JsonPath j = assertError(json("{\"data\":\"" + b64("a") + "\",\"data\":\"" + b64("b") + "\"}").post("/v1/nodes" + path), 400,
                "BAD_ARGUMENTS", path);
        assertTrue(j.getString("message").contains("data"), j::prettify);
        assertError(json("{\"mode\":\"ephemeral\",\"mode\":\"persistent\"}").post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(json("{\"acl\":[{\"scheme\":\"world\",\"id\":\"anyone\",\"perms\":1,\"perms\":31}]}").post("/v1/nodes" + path), 400,
                "BAD_ARGUMENTS", path);
        assertEquals(404, RestSupport.status(path));
        createWithData(path, "kept");
        assertError(json("{\"data\":\"" + b64("x") + "\",\"version\":0,\"version\":-1}").put("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(json("{\"ops\":[{\"op\":\"delete\",\"path\":\"/zookeeper\",\"path\":\"" + path + "\"}]}").post("/v1/multi"), 400,
                "BAD_ARGUMENTS", null);
        assertError(json("{\"ops\":[],\"ops\":[]}").post("/v1/multi-read"), 400, "BAD_ARGUMENTS", null);
        assertError(json("{\"timeoutMs\":5000,\"timeoutMs\":6000}").post("/v1/sessions"), 400, "BAD_ARGUMENTS", null);
        assertEquals("kept", unb64(given().get("/v1/nodes" + path).jsonPath().getString("data")));
    }

    @Test
    void bodyThatIsNotAnObjectIsBadArguments() {
        String path = uniquePath("nonobject");
        for (String body : List.of("[]", "\"text\"", "42", "true", "null")) {
            assertError(json(body).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        }
        create(path);
        assertError(json("[1]").put("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(json("[]").post("/v1/sessions"), 400, "BAD_ARGUMENTS", null);
    }

    @Test
    void badBase64IsBadArguments() {
        String path = uniquePath("base64");
        assertError(json(Map.of("data", "%%%not-base64")).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertEquals(404, RestSupport.status(path));
        createWithData(path, "kept");
        assertError(json(Map.of("data", "a*b=")).put("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertEquals("kept", unb64(given().get("/v1/nodes" + path).jsonPath().getString("data")));
    }

    @Test
    void unknownModeIsBadArguments() {
        String path = uniquePath("mode");
        JsonPath j = assertError(json(Map.of("mode", "banana")).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertTrue(j.getString("message").contains("banana"), j::prettify);
        assertEquals(404, RestSupport.status(path));
    }

    @Test
    void unknownFieldIsBadArgumentsRatherThanIgnored() {
        String path = uniquePath("field");
        JsonPath j = assertError(json(Map.of("mdoe", "ephemeral")).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertTrue(j.getString("message").contains("mdoe"), j::prettify);
        assertEquals(404, RestSupport.status(path));
        create(path);
        assertError(json(Map.of("data", b64("x"), "versoin", 3)).put("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(json(Map.of("timeout", 5000)).post("/v1/sessions"), 400, "BAD_ARGUMENTS", null);
        assertError(json(Map.of("acl", List.of(Map.of("scheme", "world", "id", "anyone", "perm", 31)))).post("/v1/nodes" + path + "/c"),
                400, "BAD_ARGUMENTS", path + "/c");
    }

    @Test
    void fieldsOfTheWrongTypeAreBadArguments() {
        String path = uniquePath("types");
        List<Map<String, ?>> bodies = List.of(Map.of("data", 5), Map.of("mode", 1), Map.of("mode", "persistent_ttl", "ttl", "5000"),
                Map.of("mode", "persistent_ttl", "ttl", 1.5), Map.of("acl", Map.of()), Map.of("acl", List.of(1)),
                Map.of("acl", List.of(Map.of("scheme", "world"))), Map.of("acl", List.of(Map.of("scheme", "world", "id", "anyone", "perms", 99))),
                Map.of("acl", List.of(Map.of("scheme", "world", "id", "anyone", "perms", "rwx"))), Map.of("session", 12));
        for (Map<String, ?> body : bodies) {
            assertError(json(body).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        }
        assertEquals(404, RestSupport.status(path));
        for (Object timeout : List.of("5000", 1.5, 99_999_999_999L)) {
            assertError(json(Map.of("timeoutMs", timeout)).post("/v1/sessions"), 400, "BAD_ARGUMENTS", null);
        }
        for (Object timeout : List.of(0, -5)) {
            assertError(json(Map.of("timeoutMs", timeout)).post("/v1/sessions"), 400, "BAD_ARGUMENTS", null);
        }
    }

    @Test
    void ttlOnANonTtlModeIsBadArguments() {
        String path = uniquePath("ttlmode");
        assertError(json(Map.of("ttl", 5000)).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(json(Map.of("mode", "container", "ttl", 5000)).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(json(Map.of("mode", "persistent_sequential", "ttl", 5000)).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertEquals(404, RestSupport.status(path));
    }

    @Test
    void ttlMissingOrOutOfRangeIsBadArguments() {
        String path = uniquePath("ttlrange");
        assertError(json(Map.of("mode", "persistent_ttl")).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        for (long ttl : new long[] {0, -1, -1000, 1L << 40, Long.MAX_VALUE}) {
            assertError(json(Map.of("mode", "persistent_ttl", "ttl", ttl)).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
            assertError(json(Map.of("mode", "persistent_sequential_ttl", "ttl", ttl)).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS",
                    path);
        }
        assertEquals(404, RestSupport.status(path));
        create(path, Map.of("mode", "persistent_ttl", "ttl", (1L << 40) - 1));
    }

    @Test
    void versionBelowMinusOneIsBadArgumentsInBodyAndQuery() {
        String path = uniquePath("negver");
        createWithData(path, "x");
        assertError(json(Map.of("data", b64("y"), "version", -2)).put("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(given().queryParam("version", -2).delete("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(json(Map.of("acl", List.of(Map.of("scheme", "world", "id", "anyone")), "version", -7)).put("/v1/acls" + path), 400,
                "BAD_ARGUMENTS", path);
        assertEquals(200, RestSupport.status(path));
        assertEquals("x", unb64(given().get("/v1/nodes" + path).jsonPath().getString("data")));
    }

    @Test
    void versionThatIsNotAnIntegerIsBadArguments() {
        String path = uniquePath("badver");
        create(path);
        for (Object v : List.of("1", 1.5, 2_147_483_648L, true)) {
            assertError(json(Map.of("data", b64("y"), "version", v)).put("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        }
        for (String v : List.of("x", "1.0", "99999999999", "0x1")) {
            assertError(given().queryParam("version", v).delete("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        }
        assertEquals(0, given().get("/v1/nodes" + path).jsonPath().getInt("stat.version"));
    }

    @Test
    void dataOfExactlyOneMebibyteIsAcceptedAndOneByteMoreIsBadArguments() {
        String path = uniquePath("size");
        byte[] max = new byte[MIB];
        Arrays.fill(max, (byte) 'm');
        Response ok = json(Map.of("data", b64(max))).post("/v1/nodes" + path);
        assertEquals(201, ok.statusCode(), () -> ok.asString().substring(0, Math.min(300, ok.asString().length())));
        assertEquals(MIB, ok.jsonPath().getInt("stat.dataLength"));

        byte[] over = new byte[MIB + 1];
        assertError(json(Map.of("data", b64(over))).post("/v1/nodes" + path + "-big"), 400, "BAD_ARGUMENTS", path + "-big");
        assertEquals(404, RestSupport.status(path + "-big"));
        assertError(json(Map.of("data", b64(over))).put("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertEquals(MIB, given().get("/v1/nodes" + path).jsonPath().getInt("stat.dataLength"));
        assertError(json(Map.of("ops", List.of(Map.of("op", "set", "path", path, "data", b64(over))))).post("/v1/multi"), 400,
                "BAD_ARGUMENTS", path);
    }

    // ---- paths ----

    @Test
    void pathsThatZooKeeperRefusesAreBadArgumentsAndChangeNothing() {
        String p = uniquePath("paths");
        create(p);
        create(p + "/x");
        // Sent as written: the server must not resolve "." and ".." or collapse "//" and then act on another znode.
        for (String bad : List.of(p + "/child/", p + "//child", p + "/./child", p + "/x/../child", p + "/x/..", p + "/.", p + "/x/.",
                p + "/%2E%2E/child", p + "/a%01b")) {
            RestSupport.Raw r = raw("POST", "/v1/nodes" + bad, "{}");
            assertEquals(400, r.status(), () -> "create " + bad + ": " + r.body());
            assertTrue(r.contentType().startsWith("application/json"), () -> "create " + bad + ": " + r.contentType());
            assertEquals("BAD_ARGUMENTS", r.json().getString("code"), () -> "create " + bad + ": " + r.body());
            assertTrue(r.json().getString("message").contains("path"), () -> "create " + bad + ": " + r.body());
        }
        for (String method : List.of("GET", "PUT", "DELETE")) {
            for (String bad : List.of(p + "/", p + "/x/", p + "//x", p + "/./x", p + "/x/..", p + "/x/../x")) {
                RestSupport.Raw r = raw(method, "/v1/nodes" + bad, method.equals("PUT") ? "{}" : null);
                assertEquals(400, r.status(), () -> method + " " + bad + ": " + r.body());
                assertEquals("BAD_ARGUMENTS", r.json().getString("code"), () -> method + " " + bad + ": " + r.body());
            }
        }
        RestSupport.Raw acl = raw("GET", "/v1/acls" + p + "/x/..", null);
        assertEquals(400, acl.status(), acl::body);
        assertEquals(List.of("x"), given().queryParam("children", true).get("/v1/nodes" + p).jsonPath().getList("children"),
                "nothing was created under the parent");
        assertEquals(0, given().get("/v1/nodes" + p).jsonPath().getInt("stat.version"), "nothing was set");
        assertEquals(200, RestSupport.status(p + "/x"), "nothing was deleted");
        assertEquals(404, RestSupport.status("/child"));
    }

    @Test
    void pathsInBodiesFollowTheSameRules() {
        String p = uniquePath("bodypaths");
        create(p);
        for (String bad : List.of("relative", p + "/", p + "//a", p + "/./a", p + "/../a", "")) {
            Response r = json(Map.of("ops", List.of(Map.of("op", "create", "path", bad)))).post("/v1/multi");
            assertBadArguments(r);
        }
        assertBadArguments(json(Map.of("ops", List.of(Map.of("op", "delete", "path", p + "/")))).post("/v1/multi"));
        assertBadArguments(json(Map.of("ops", List.of(Map.of("op", "set", "path", "", "data", b64("root!"))))).post("/v1/multi"));
        assertBadArguments(json(Map.of("ops", List.of(Map.of("op", "get", "path", "no-slash")))).post("/v1/multi-read"));
        assertBadArguments(json(Map.of("ops", List.of(Map.of("op", "get")))).post("/v1/multi-read"));
        assertBadArguments(json(Map.of("ops", List.of(Map.of("op", "exists", "path", "")))).post("/v1/multi-read"));
        String session = openSession(30_000);
        assertBadArguments(as(session, Map.of("path", p + "/../x")).post("/v1/sessions/" + session + "/watches"));
        assertBadArguments(as(session, Map.of("mode", "persistent")).post("/v1/sessions/" + session + "/watches"));
        assertBadArguments(as(session).queryParam("path", "x").delete("/v1/sessions/" + session + "/watches"));
        assertBadArguments(as(session).queryParam("type", "any").delete("/v1/sessions/" + session + "/watches"));
        assertEquals(0, given().get("/v1/nodes").jsonPath().getInt("stat.version"), "the root's data was not set");
        assertEquals(0, given().get("/v1/nodes" + p).jsonPath().getInt("stat.numChildren"));
        RestSupport.closeSession(session);
    }

    // ---- ZooKeeper errors ----

    @Test
    void missingZnodeIsNoNode() {
        String path = uniquePath("missing");
        assertError(given().get("/v1/nodes" + path), 404, "NO_NODE", path);
        assertError(given().queryParam("children", true).get("/v1/nodes" + path), 404, "NO_NODE", path);
        assertError(json(Map.of("data", b64("x"))).put("/v1/nodes" + path), 404, "NO_NODE", path);
        assertError(given().delete("/v1/nodes" + path), 404, "NO_NODE", path);
        assertError(given().get("/v1/acls" + path), 404, "NO_NODE", path);
        assertError(json(Map.of("acl", List.of(Map.of("scheme", "world", "id", "anyone")))).put("/v1/acls" + path), 404, "NO_NODE", path);
    }

    @Test
    void createUnderMissingParentIsNoNode() {
        String parent = uniquePath("noparent");
        assertError(json(Map.of()).post("/v1/nodes" + parent + "/child"), 404, "NO_NODE", parent + "/child");
        assertError(json(Map.of("mode", "persistent_sequential")).post("/v1/nodes" + parent + "/seq-"), 404, "NO_NODE", parent + "/seq-");
        assertEquals(404, RestSupport.status(parent));
    }

    @Test
    void createOfExistingZnodeIsNodeExistsAndKeepsTheData() {
        String path = uniquePath("exists");
        createWithData(path, "first");
        assertError(json(Map.of("data", b64("second"))).post("/v1/nodes" + path), 409, "NODE_EXISTS", path);
        JsonPath j = given().get("/v1/nodes" + path).jsonPath();
        assertEquals("first", unb64(j.getString("data")));
        assertError(json(Map.of()).post("/v1/nodes"), 409, "NODE_EXISTS", "/");
        assertError(json(Map.of()).post("/v1/nodes/zookeeper"), 409, "NODE_EXISTS", "/zookeeper");
    }

    @Test
    void deleteOfZnodeWithChildrenIsNotEmpty() {
        String path = uniquePath("notempty");
        create(path);
        create(path + "/child");
        assertError(given().delete("/v1/nodes" + path), 409, "NOT_EMPTY", path);
        assertError(given().queryParam("version", 0).delete("/v1/nodes" + path), 409, "NOT_EMPTY", path);
        assertEquals(200, RestSupport.status(path + "/child"));
    }

    @Test
    void staleVersionIsBadVersionWith412() {
        String path = uniquePath("badversion");
        create(path);
        assertError(json(Map.of("data", b64("x"), "version", 7)).put("/v1/nodes" + path), 412, "BAD_VERSION", path);
        assertError(given().queryParam("version", 3).delete("/v1/nodes" + path), 412, "BAD_VERSION", path);
        assertEquals(200, RestSupport.status(path));
    }

    @Test
    void childOfEphemeralIsNoChildrenForEphemerals() {
        String session = openSession(30_000);
        String path = uniquePath("ephparent");
        create(path, Map.of("mode", "ephemeral", "session", session));
        assertError(json(Map.of()).post("/v1/nodes" + path + "/child"), 400, "NO_CHILDREN_FOR_EPHEMERALS", path + "/child");
        assertError(as(session, Map.of("mode", "ephemeral", "session", session)).post("/v1/nodes" + path + "/child"), 400,
                "NO_CHILDREN_FOR_EPHEMERALS", path + "/child");
        assertEquals(0, given().get("/v1/nodes" + path).jsonPath().getInt("stat.numChildren"));
        RestSupport.closeSession(session);
    }

    @Test
    void ephemeralWithoutSessionIsBadArguments() {
        String path = uniquePath("nosession");
        assertError(json(Map.of("mode", "ephemeral")).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertError(json(Map.of("mode", "ephemeral_sequential")).post("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
        assertEquals(404, RestSupport.status(path));
    }

    @Test
    void unknownSessionIsSessionExpired() {
        String path = uniquePath("unknownsession");
        String unknown = "00000000000000ff";
        assertError(as(unknown, Map.of("mode", "ephemeral", "session", unknown)).post("/v1/nodes" + path), 410, "SESSION_EXPIRED", path);
        assertError(as(unknown).get("/v1/sessions/" + unknown), 410, "SESSION_EXPIRED", null);
        assertError(as(unknown).post("/v1/sessions/" + unknown + "/keepalive"), 410, "SESSION_EXPIRED", null);
        assertError(as(unknown).delete("/v1/sessions/" + unknown), 410, "SESSION_EXPIRED", null);
        assertError(as(unknown).get("/v1/sessions/" + unknown + "/events"), 410, "SESSION_EXPIRED", null);
        assertEquals(404, RestSupport.status(path));
    }

    @Test
    void closedSessionIsSessionExpired() {
        String session = openSession(30_000);
        RestSupport.closeSession(session);
        String path = uniquePath("closedsession");
        assertError(as(session, Map.of("mode", "ephemeral", "session", session)).post("/v1/nodes" + path), 410, "SESSION_EXPIRED", path);
        assertError(json(Map.of()).post("/v1/nodes" + path + "?session=" + session), 410, "SESSION_EXPIRED", path);
        assertError(as(session).get("/v1/sessions/" + session), 410, "SESSION_EXPIRED", null);
        assertError(as(session).post("/v1/sessions/" + session + "/keepalive"), 410, "SESSION_EXPIRED", null);
        assertError(as(session).delete("/v1/sessions/" + session), 410, "SESSION_EXPIRED", null);
        assertError(as(session).queryParam("watch", true).queryParam("session", session).get("/v1/nodes/zookeeper"), 410, "SESSION_EXPIRED",
                "/zookeeper");
        assertEquals(404, RestSupport.status(path));
    }

    @Test
    void malformedSessionIdIsBadArguments() {
        for (String id : List.of("xyz", "12345678901234567", "0000000000000000", "-1", "0x")) {
            assertError(as(id).get("/v1/sessions/" + id), 400, "BAD_ARGUMENTS", null);
            assertError(as(id).post("/v1/sessions/" + id + "/keepalive"), 400, "BAD_ARGUMENTS", null);
            assertError(as(id).delete("/v1/sessions/" + id), 400, "BAD_ARGUMENTS", null);
        }
        String path = uniquePath("badsession");
        assertBadArguments(json(Map.of("mode", "ephemeral", "session", "not-hex")).post("/v1/nodes" + path));
        assertBadArguments(given().queryParam("session", "zz").get("/v1/nodes/zookeeper"));
        assertBadArguments(json(Map.of("ops", List.of(), "session", "zz")).post("/v1/multi"));
        assertEquals(404, RestSupport.status(path));
    }

    @Test
    void builtInZnodesCannotBeDeleted() {
        for (String path : List.of("/zookeeper", "/zookeeper/config", "/zookeeper/quota")) {
            assertError(given().delete("/v1/nodes" + path), 400, "BAD_ARGUMENTS", path);
            assertEquals(200, RestSupport.status(path));
        }
        assertError(given().delete("/v1/nodes"), 400, "BAD_ARGUMENTS", "/");
        assertError(json(Map.of("data", b64("x"))).put("/v1/nodes/zookeeper/config"), 403, "NO_AUTH", "/zookeeper/config");
    }

    @Test
    void watchWithoutSessionIsBadArguments() {
        assertError(given().queryParam("watch", true).get("/v1/nodes/zookeeper"), 400, "BAD_ARGUMENTS", "/zookeeper");
    }

    // ---- HTTP ----

    @Test
    void unknownEndpointIsJson404() {
        for (String path : List.of("/v1/nope", "/v1", "/v2/nodes/x", "/v1/sessions/0000000000000001/nope")) {
            assertError(given().get(path), 404, "UNIMPLEMENTED", null);
        }
        assertError(json(Map.of()).post("/v1/nope"), 404, "UNIMPLEMENTED", null);
    }

    @Test
    void wrongMethodIsJson405() {
        assertError(json(Map.of()).patch("/v1/nodes/zookeeper"), 405, "UNIMPLEMENTED", null);
        assertError(given().delete("/v1/multi"), 405, "UNIMPLEMENTED", null);
        assertError(given().get("/v1/multi"), 405, "UNIMPLEMENTED", null);
        assertError(json(Map.of()).put("/v1/cluster"), 405, "UNIMPLEMENTED", null);
        assertError(given().get("/v1/sync"), 405, "UNIMPLEMENTED", null);
        assertError(json(Map.of()).put("/v1/sessions"), 405, "UNIMPLEMENTED", null);
    }

    @Test
    void badRequestsNeverGetA500() {
        String p = uniquePath("never500");
        create(p);
        String session = openSession(30_000);
        List<String[]> requests = List.of(
                new String[] {"POST", "/v1/multi", "null"},
                new String[] {"POST", "/v1/multi", "{}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":{}}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":[1]}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":[{\"op\":\"create\"}]}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":[{\"path\":\"" + p + "/a\"}]}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":[{\"op\":\"frob\",\"path\":\"" + p + "/a\"}]}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":[{\"op\":\"set\",\"path\":\"" + p + "\",\"version\":-5}]}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":[{\"op\":\"create\",\"path\":\"" + p + "/a\",\"bogus\":1}]}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":[{\"op\":\"create\",\"path\":\"" + p + "/a\",\"mode\":\"ephemeral\"}]}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":[{\"op\":\"create\",\"path\":\"" + p + "/a\",\"ttl\":5}]}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":[{\"op\":\"create\",\"path\":\"" + p + "/a\",\"acl\":[]}]}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":[{\"op\":\"check\",\"path\":\"" + p + "\",\"version\":\"x\"}]}"},
                new String[] {"POST", "/v1/multi", "{\"ops\":[],\"extra\":1}"},
                new String[] {"POST", "/v1/multi-read", "{\"ops\":[{\"op\":\"frob\",\"path\":\"/\"}]}"},
                new String[] {"POST", "/v1/multi-read", "{\"ops\":[{\"op\":\"get\",\"path\":\"/\",\"x\":1}]}"},
                new String[] {"POST", "/v1/multi-read", "{\"ops\":\"all\"}"},
                new String[] {"POST", "/v1/sessions/" + session + "/watches", "{\"path\":\"" + p + "\",\"mode\":\"sometimes\"}"},
                new String[] {"POST", "/v1/sessions/" + session + "/watches", "{\"path\":5}"},
                new String[] {"DELETE", "/v1/sessions/" + session + "/watches?path=" + p + "&type=weird", null},
                new String[] {"PUT", "/v1/acls" + p, "{}"},
                new String[] {"PUT", "/v1/acls" + p, "{\"acl\":\"world:anyone\"}"},
                new String[] {"PUT", "/v1/acls" + p, "{\"acl\":[{\"scheme\":\"world\",\"id\":\"anyone\"}],\"version\":\"0\"}"},
                new String[] {"POST", "/v1/nodes" + p + "/a", "{\"data\":\"=\"}"},
                new String[] {"POST", "/v1/nodes" + p + "/a", "{\"data\":null,\"mode\":null,\"ttl\":null,\"acl\":null,\"session\":null,\"x\":0}"},
                new String[] {"POST", "/v1/sessions", "{\"timeoutMs\":null,\"x\":0}"});
        for (String[] req : requests) {
            RestSupport.Raw r = raw(req[0], req[1], req[2], req[1].startsWith("/v1/sessions/") ? session : null);
            String what = req[0] + " " + req[1] + " " + req[2] + " -> " + r.status() + " " + r.body();
            assertTrue(r.status() >= 400 && r.status() < 500, what);
            assertTrue(r.contentType() != null && r.contentType().startsWith("application/json"), what);
            assertFalse(r.json().getString("code").isBlank(), what);
            assertFalse(r.json().getString("message").isBlank(), what);
        }
        assertEquals(0, given().get("/v1/nodes" + p).jsonPath().getInt("stat.numChildren"), "no bad request changed the tree");
        assertEquals(0, given().get("/v1/nodes" + p).jsonPath().getInt("stat.version"));
        RestSupport.closeSession(session);
    }

    @Test
    void nonNumericLastEventIdIsBadArguments() {
        String session = openSession(30_000);
        assertError(as(session).header("Last-Event-ID", "yesterday").get("/v1/sessions/" + session + "/events"), 400, "BAD_ARGUMENTS", null);
        RestSupport.closeSession(session);
    }
}
