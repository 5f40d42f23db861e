package dev.corral.api;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Znode create, read, children, exists, set and delete over {@code /v1/nodes}, with ZooKeeper's Stat rules. */
@QuarkusTest
class RestNodesTest {

    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    /** minZxid waits for a zxid this node has not applied yet, but never for one no write could have had. */
    @Test
    void aReadWaitsForAZxidTheClusterIssuedButRefusesOneNoWriteEverHad() {
        String path = uniquePath("minzxid");
        long zxid = zxidOf(json(Map.of("data", b64("x"))).post("/v1/nodes" + path));
        Response seen = given().queryParam("minZxid", zxid).get("/v1/nodes" + path);
        assertEquals(200, seen.statusCode(), seen::asString);
        assertTrue(zxidOf(seen) >= zxid);
        RestSupport.assertBadArguments(given().queryParam("minZxid", zxid + ReadGates.ZXID_AHEAD_MAX + 1).get("/v1/nodes" + path));
        RestSupport.assertBadArguments(given().queryParam("minZxid", -1).get("/v1/nodes" + path));
    }

    @Test
    void createReturns201WithPathAndFreshStatAtTheWriteZxid() {
        String path = uniquePath("fresh");
        Response r = json(Map.of("data", b64("hello"))).post("/v1/nodes" + path);
        assertEquals(201, r.statusCode(), r::asString);
        long zxid = zxidOf(r);
        JsonPath j = r.jsonPath();
        assertEquals(path, j.getString("path"));
        assertEquals(zxid, j.getLong("stat.czxid"));
        assertEquals(zxid, j.getLong("stat.mzxid"));
        assertEquals(zxid, j.getLong("stat.pzxid"));
        assertTrue(j.getLong("stat.ctime") > 0);
        assertEquals(j.getLong("stat.ctime"), j.getLong("stat.mtime"));
        assertEquals(0, j.getInt("stat.version"));
        assertEquals(0, j.getInt("stat.cversion"));
        assertEquals(0, j.getInt("stat.aversion"));
        assertEquals(0L, j.getLong("stat.ephemeralOwner"));
        assertEquals(5, j.getInt("stat.dataLength"));
        assertEquals(0, j.getInt("stat.numChildren"));
        assertEquals(11, j.getMap("stat").size(), () -> "exactly ZooKeeper's Stat fields: " + j.getMap("stat").keySet());
    }

    @Test
    void getReturnsDataAndTheSameStatAsTheCreate() {
        String path = uniquePath("get");
        JsonPath created = createWithData(path, "payload");
        Response r = given().get("/v1/nodes" + path);
        assertEquals(200, r.statusCode(), r::asString);
        assertEquals(path, r.jsonPath().getString("path"));
        assertEquals("payload", unb64(r.jsonPath().getString("data")));
        assertEquals(created.getMap("stat"), r.jsonPath().getMap("stat"));
        assertTrue(zxidOf(r) >= created.getLong("stat.czxid"), "a read's zxid header is at least the last write it sees");
    }

    @Test
    void createWithoutBodyOrDataMakesAnEmptyPersistentZnode() {
        String path = uniquePath("empty");
        Response r = given().post("/v1/nodes" + path);
        assertEquals(201, r.statusCode(), r::asString);
        JsonPath j = given().get("/v1/nodes" + path).jsonPath();
        assertEquals("", j.getString("data"));
        assertEquals(0, j.getInt("stat.dataLength"));
        assertEquals(0L, j.getLong("stat.ephemeralOwner"));
    }

    @Test
    void persistentModeHasNoOwner() {
        String path = uniquePath("persistent");
        JsonPath j = create(path, Map.of("mode", "persistent"));
        assertEquals(path, j.getString("path"));
        assertEquals(0L, j.getLong("stat.ephemeralOwner"));
    }

    @Test
    void ephemeralModeIsOwnedByTheSession() {
        String session = openSession(30_000);
        String path = uniquePath("ephemeral");
        JsonPath j = create(path, Map.of("mode", "ephemeral", "session", session));
        assertEquals(path, j.getString("path"));
        assertEquals(sessionNumber(session), j.getLong("stat.ephemeralOwner"));
        assertEquals(sessionNumber(session), given().get("/v1/nodes" + path).jsonPath().getLong("stat.ephemeralOwner"));
        RestSupport.closeSession(session);
    }

    @Test
    void sessionMayAlsoBeGivenAsQueryParameter() {
        String session = openSession(30_000);
        String path = uniquePath("ephemeral-query");
        Response r = RestSupport.as(session, Map.of("mode", "ephemeral")).post("/v1/nodes" + path + "?session=" + session);
        assertEquals(201, r.statusCode(), r::asString);
        assertEquals(sessionNumber(session), r.jsonPath().getLong("stat.ephemeralOwner"));
        RestSupport.closeSession(session);
    }

    @Test
    void persistentSequentialAppendsTenDigits() {
        String parent = uniquePath("pseq");
        create(parent);
        JsonPath j = create(parent + "/item-", Map.of("mode", "persistent_sequential"));
        assertEquals(parent + "/item-0000000000", j.getString("path"));
        assertEquals(0L, j.getLong("stat.ephemeralOwner"));
    }

    @Test
    void ephemeralSequentialIsSequentialAndOwned() {
        String session = openSession(30_000);
        String parent = uniquePath("eseq");
        create(parent);
        JsonPath j = create(parent + "/lock-", Map.of("mode", "ephemeral_sequential", "session", session));
        assertEquals(parent + "/lock-0000000000", j.getString("path"));
        assertEquals(sessionNumber(session), j.getLong("stat.ephemeralOwner"));
        RestSupport.closeSession(session);
    }

    @Test
    void containerStatShowsNoOwnerAsZooKeepersDoes() {
        String path = uniquePath("container");
        JsonPath j = create(path, Map.of("mode", "container"));
        assertEquals(path, j.getString("path"));
        // ZooKeeper keeps its container marker in the stored owner but shows 0 to clients (DataNode.copyStat).
        assertEquals(0L, j.getLong("stat.ephemeralOwner"));
        assertEquals(0L, given().get("/v1/nodes" + path).jsonPath().getLong("stat.ephemeralOwner"));
    }

    @Test
    void persistentTtlStatShowsNoOwnerAsZooKeepersDoes() {
        String path = uniquePath("ttl");
        JsonPath j = create(path, Map.of("mode", "persistent_ttl", "ttl", 60_000));
        assertEquals(path, j.getString("path"));
        assertEquals(0L, j.getLong("stat.ephemeralOwner"));
    }

    @Test
    void persistentSequentialTtlIsSequentialWithTtl() {
        String parent = uniquePath("seqttl");
        create(parent);
        JsonPath j = create(parent + "/t-", Map.of("mode", "persistent_sequential_ttl", "ttl", 120_000));
        assertEquals(parent + "/t-0000000000", j.getString("path"));
        assertEquals(0L, j.getLong("stat.ephemeralOwner"));
    }

    @Test
    void createWithAclStoresTheAcl() {
        String path = uniquePath("acl");
        create(path, Map.of("acl", List.of(Map.of("scheme", "world", "id", "anyone", "perms", "rwcd"))));
        JsonPath acl = given().get("/v1/acls" + path).jsonPath();
        assertEquals(1, acl.getList("acl").size());
        assertEquals("world", acl.getString("acl[0].scheme"));
        assertEquals("anyone", acl.getString("acl[0].id"));
        assertEquals(1 | 2 | 4 | 8, acl.getInt("acl[0].perms"));
    }

    @Test
    void childrenAreSortedAndTheParentStatCountsThem() {
        String parent = uniquePath("kids");
        long parentCzxid = create(parent).getLong("stat.czxid");
        long lastCzxid = 0;
        for (String name : List.of("b", "c", "a")) lastCzxid = create(parent + "/" + name).getLong("stat.czxid");
        Response r = given().queryParam("children", true).get("/v1/nodes" + parent);
        assertEquals(200, r.statusCode(), r::asString);
        JsonPath j = r.jsonPath();
        assertEquals(parent, j.getString("path"));
        assertEquals(List.of("a", "b", "c"), j.getList("children"));
        assertEquals(3, j.getInt("stat.numChildren"));
        assertEquals(3, j.getInt("stat.cversion"));
        assertEquals(lastCzxid, j.getLong("stat.pzxid"), "pzxid is the zxid of the last child change");
        assertEquals(parentCzxid, j.getLong("stat.mzxid"), "child changes do not touch mzxid");
        assertEquals(0, j.getInt("stat.version"), "child changes do not touch the data version");

        Response del = given().delete("/v1/nodes" + parent + "/b");
        assertEquals(204, del.statusCode(), del::asString);
        JsonPath after = given().queryParam("children", true).get("/v1/nodes" + parent).jsonPath();
        assertEquals(List.of("a", "c"), after.getList("children"));
        assertEquals(2, after.getInt("stat.numChildren"));
        assertEquals(4, after.getInt("stat.cversion"), "as in ZooKeeper, cversion counts deletes of children as well as creates");
        assertEquals(zxidOf(del), after.getLong("stat.pzxid"));
    }

    @Test
    void childrenOfALeafIsEmpty() {
        String path = uniquePath("leaf");
        create(path);
        JsonPath j = given().queryParam("children", true).get("/v1/nodes" + path).jsonPath();
        assertEquals(List.of(), j.getList("children"));
    }

    @Test
    void existsReportsTrueWithStatAndFalseWithoutError() {
        String path = uniquePath("exists");
        JsonPath created = create(path);
        Response yes = given().queryParam("exists", true).get("/v1/nodes" + path);
        assertEquals(200, yes.statusCode(), yes::asString);
        assertEquals(path, yes.jsonPath().getString("path"));
        assertTrue(yes.jsonPath().getBoolean("exists"));
        assertEquals(created.getMap("stat"), yes.jsonPath().getMap("stat"));

        Response no = given().queryParam("exists", true).get("/v1/nodes" + path + "/missing");
        assertEquals(200, no.statusCode(), no::asString);
        assertFalse(no.jsonPath().getBoolean("exists"));
        assertNull(no.jsonPath().get("stat"));
    }

    @Test
    void setWithoutVersionReplacesDataAndMovesVersionAndMzxid() {
        String path = uniquePath("set");
        JsonPath created = createWithData(path, "one");
        Response r = json(Map.of("data", b64("second"))).put("/v1/nodes" + path);
        assertEquals(200, r.statusCode(), r::asString);
        long zxid = zxidOf(r);
        JsonPath j = r.jsonPath();
        assertEquals(path, j.getString("path"));
        assertEquals(1, j.getInt("stat.version"));
        assertEquals(zxid, j.getLong("stat.mzxid"));
        assertTrue(zxid > created.getLong("stat.czxid"));
        assertEquals(created.getLong("stat.czxid"), j.getLong("stat.czxid"));
        assertEquals(created.getLong("stat.pzxid"), j.getLong("stat.pzxid"), "a data change is not a child change");
        assertEquals(created.getLong("stat.ctime"), j.getLong("stat.ctime"));
        assertTrue(j.getLong("stat.mtime") >= j.getLong("stat.ctime"));
        assertEquals(6, j.getInt("stat.dataLength"));
        assertEquals(0, j.getInt("stat.cversion"));
        assertEquals(0, j.getInt("stat.aversion"));

        JsonPath read = given().get("/v1/nodes" + path).jsonPath();
        assertEquals("second", unb64(read.getString("data")));
        assertEquals(j.getMap("stat"), read.getMap("stat"));
    }

    @Test
    void setWithMatchingVersionSucceedsAndWithStaleVersionFailsLeavingDataUnchanged() {
        String path = uniquePath("setv");
        createWithData(path, "v0");
        Response ok = json(Map.of("data", b64("v1"), "version", 0)).put("/v1/nodes" + path);
        assertEquals(200, ok.statusCode(), ok::asString);
        assertEquals(1, ok.jsonPath().getInt("stat.version"));

        Response stale = json(Map.of("data", b64("v2"), "version", 0)).put("/v1/nodes" + path);
        assertError(stale, 412, "BAD_VERSION", path);
        JsonPath read = given().get("/v1/nodes" + path).jsonPath();
        assertEquals("v1", unb64(read.getString("data")));
        assertEquals(1, read.getInt("stat.version"));
    }

    @Test
    void setWithVersionMinusOneMatchesAnyVersion() {
        String path = uniquePath("setany");
        createWithData(path, "x");
        json(Map.of("data", b64("y"))).put("/v1/nodes" + path).then().statusCode(200);
        Response r = json(Map.of("data", b64("z"), "version", -1)).put("/v1/nodes" + path);
        assertEquals(200, r.statusCode(), r::asString);
        assertEquals(2, r.jsonPath().getInt("stat.version"));
    }

    @Test
    void setWithoutDataEmptiesTheZnode() {
        String path = uniquePath("setempty");
        createWithData(path, "something");
        Response r = json(Map.of()).put("/v1/nodes" + path);
        assertEquals(200, r.statusCode(), r::asString);
        assertEquals(0, r.jsonPath().getInt("stat.dataLength"));
    }

    @Test
    void deleteWithoutVersionRemovesTheZnode() {
        String path = uniquePath("del");
        create(path);
        Response r = given().delete("/v1/nodes" + path);
        assertEquals(204, r.statusCode(), r::asString);
        assertEquals("", r.asString());
        assertError(given().get("/v1/nodes" + path), 404, "NO_NODE", path);
    }

    @Test
    void deleteWithMatchingVersionSucceedsAndWithStaleVersionFailsLeavingTheZnode() {
        String path = uniquePath("delv");
        create(path);
        json(Map.of("data", b64("a"))).put("/v1/nodes" + path).then().statusCode(200);
        assertError(given().queryParam("version", 0).delete("/v1/nodes" + path), 412, "BAD_VERSION", path);
        assertEquals(200, RestSupport.status(path));
        Response r = given().queryParam("version", 1).delete("/v1/nodes" + path);
        assertEquals(204, r.statusCode(), r::asString);
        assertEquals(404, RestSupport.status(path));
    }

    @Test
    void deleteWithVersionMinusOneMatchesAnyVersion() {
        String path = uniquePath("delany");
        create(path);
        json(Map.of("data", b64("a"))).put("/v1/nodes" + path).then().statusCode(200);
        assertEquals(204, given().queryParam("version", -1).delete("/v1/nodes" + path).statusCode());
        assertEquals(404, RestSupport.status(path));
    }

    @Test
    void rootIsV1Nodes() {
        String top = uniquePath("top");
        create(top);
        Response root = given().get("/v1/nodes");
        assertEquals(200, root.statusCode(), root::asString);
        assertEquals("/", root.jsonPath().getString("path"));
        assertEquals(0L, root.jsonPath().getLong("stat.czxid"));

        JsonPath kids = given().queryParam("children", true).get("/v1/nodes").jsonPath();
        List<String> names = kids.getList("children");
        assertTrue(names.contains("zookeeper"), names::toString);
        assertTrue(names.contains(top.substring(1)), names::toString);
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(sorted, names);
        assertEquals(names.size(), kids.getInt("stat.numChildren"));

        assertEquals(200, given().get("/v1/nodes/").statusCode(), "/v1/nodes/ is the root too");
        assertEquals(List.of("config", "quota"), given().queryParam("children", true).get("/v1/nodes/zookeeper").jsonPath()
                .getList("children"));
    }

    @Test
    void sequentialNumbersComeFromTheParentCversionAndAreNeverReused() {
        String parent = uniquePath("seqs");
        create(parent);
        create(parent + "/plain");
        JsonPath first = create(parent + "/s-", Map.of("mode", "persistent_sequential"));
        assertEquals(parent + "/s-0000000001", first.getString("path"), "one child change before it: cversion 1");
        assertEquals(204, given().delete("/v1/nodes" + first.getString("path")).statusCode());
        JsonPath second = create(parent + "/s-", Map.of("mode", "persistent_sequential"));
        assertEquals(parent + "/s-0000000002", second.getString("path"), "a deleted sequence number is not reused");
        JsonPath other = create(parent + "/other-", Map.of("mode", "persistent_sequential"));
        assertEquals(parent + "/other-0000000003", other.getString("path"), "the counter is the parent's, not the prefix's");
        // Four creations and one deletion: ZooKeeper reports 2 x 4 - 3 remaining children.
        assertEquals(5, given().get("/v1/nodes" + parent).jsonPath().getInt("stat.cversion"));
    }

    @Test
    void sequentialCreateWithTrailingSlashNamesTheChildByNumberAlone() {
        String parent = uniquePath("slash");
        create(parent);
        JsonPath j = create(parent + "/", Map.of("mode", "persistent_sequential"));
        assertEquals(parent + "/0000000000", j.getString("path"));
        assertEquals(List.of("0000000000"), given().queryParam("children", true).get("/v1/nodes" + parent).jsonPath()
                .getList("children"));
    }

    @Test
    void zxidHeaderIncreasesWithEveryWrite() {
        String path = uniquePath("zxid");
        Response c = json(Map.of()).post("/v1/nodes" + path);
        Response s = json(Map.of("data", b64("1"))).put("/v1/nodes" + path);
        Response c2 = json(Map.of()).post("/v1/nodes" + path + "/child");
        Response d = given().delete("/v1/nodes" + path + "/child");
        long[] zxids = {zxidOf(c), zxidOf(s), zxidOf(c2), zxidOf(d)};
        for (int i = 1; i < zxids.length; i++) {
            assertTrue(zxids[i] > zxids[i - 1], () -> "zxids must increase: " + java.util.Arrays.toString(zxids));
        }
        assertEquals(zxids[1], s.jsonPath().getLong("stat.mzxid"));
        assertTrue(zxidOf(given().get("/v1/nodes" + path)) >= zxids[3]);
    }

    @Test
    void percentEncodedNamesAreDecoded() {
        String parent = uniquePath("enc");
        create(parent);
        Response r = given().urlEncodingEnabled(false).contentType("application/json").body("{}")
                .post("/v1/nodes" + parent + "/a%20b%C3%A9");
        assertEquals(201, r.statusCode(), r::asString);
        assertEquals(parent + "/a b\u00e9", r.jsonPath().getString("path"));
        assertEquals(List.of("a b\u00e9"), given().queryParam("children", true).get("/v1/nodes" + parent).jsonPath()
                .getList("children"));
    }
}
