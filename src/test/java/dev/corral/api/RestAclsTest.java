package dev.corral.api;

import static dev.corral.api.RestSupport.assertError;
import static dev.corral.api.RestSupport.b64;
import static dev.corral.api.RestSupport.basic;
import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.digestId;
import static dev.corral.api.RestSupport.json;
import static dev.corral.api.RestSupport.uniquePath;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ACLs as ZooKeeper has them: digest identities from {@code Authorization: Basic}, the ip scheme, READ/ADMIN
 * rules for reading an ACL (hashes hidden without ADMIN), aversion on {@code PUT /v1/acls}, INVALID_ACL.
 */
@QuarkusTest
class RestAclsTest {
    private static final String ALICE = basic("alice", "secret");

    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    private static Map<String, Object> entry(String scheme, String id, Object perms) {
        return Map.of("scheme", scheme, "id", id, "perms", perms);
    }

    private static String aliceOnly() {
        String path = uniquePath("alice");
        create(path, Map.of("data", b64("private"), "acl", List.of(entry("digest", digestId("alice", "secret"), "cdrwa"))));
        return path;
    }

    @Test
    void digestAclAdmitsTheRightUserAndRefusesOthersWithNoAuth() {
        String path = aliceOnly();
        Response ok = given().header("Authorization", ALICE).get("/v1/nodes" + path);
        assertEquals(200, ok.statusCode(), ok::asString);
        assertEquals(b64("private"), ok.jsonPath().getString("data"));

        assertError(given().get("/v1/nodes" + path), 403, "NO_AUTH", path);
        assertError(given().header("Authorization", basic("bob", "secret")).get("/v1/nodes" + path), 403, "NO_AUTH", path);
        assertError(given().header("Authorization", basic("alice", "wrong")).get("/v1/nodes" + path), 403, "NO_AUTH", path);
        assertError(given().queryParam("children", true).get("/v1/nodes" + path), 403, "NO_AUTH", path);
    }

    @Test
    void existsNeedsReadPermissionOnAnExistingZnodeAsZooKeeper39Does() {
        String path = aliceOnly();
        assertError(given().queryParam("exists", true).get("/v1/nodes" + path), 403, "NO_AUTH", path);
        Response alice = given().header("Authorization", ALICE).queryParam("exists", true).get("/v1/nodes" + path);
        assertEquals(200, alice.statusCode(), alice::asString);
        assertTrue(alice.jsonPath().getBoolean("exists"));
        // A missing znode has no ACL: anyone may learn that it is missing.
        Response missing = given().queryParam("exists", true).get("/v1/nodes" + path + "/missing");
        assertEquals(200, missing.statusCode(), missing::asString);
        assertEquals(false, missing.jsonPath().getBoolean("exists"));

        JsonPath read = json(Map.of("ops", List.of(Map.of("op", "exists", "path", path), Map.of("op", "exists", "path", path + "/missing"))))
                .post("/v1/multi-read").jsonPath();
        assertEquals("NO_AUTH", read.getString("results[0].code"));
        assertEquals(null, read.getString("results[0].stat"));
        assertEquals(false, read.getBoolean("results[1].exists"));
    }

    @Test
    void writesNeedTheirPermissions() {
        String path = aliceOnly();
        assertError(json(Map.of("data", b64("x"))).put("/v1/nodes" + path), 403, "NO_AUTH", path);
        assertError(json(Map.of()).post("/v1/nodes" + path + "/child"), 403, "NO_AUTH", path + "/child");
        assertError(json(Map.of("acl", List.of(entry("world", "anyone", 31)))).put("/v1/acls" + path), 403, "NO_AUTH", path);

        Response set = json(Map.of("data", b64("x"))).header("Authorization", ALICE).put("/v1/nodes" + path);
        assertEquals(200, set.statusCode(), set::asString);
        Response child = json(Map.of()).header("Authorization", ALICE).post("/v1/nodes" + path + "/child");
        assertEquals(201, child.statusCode(), child::asString);
        // Deleting a child needs DELETE on the parent (ZooKeeper's rule), which only alice has.
        assertError(given().delete("/v1/nodes" + path + "/child"), 403, "NO_AUTH", path + "/child");
        assertEquals(204, given().header("Authorization", ALICE).delete("/v1/nodes" + path + "/child").statusCode());
    }

    @Test
    void readOnlyAclRefusesWritesToEveryone() {
        String path = uniquePath("readonly");
        create(path, Map.of("acl", List.of(entry("world", "anyone", "r"))));
        assertEquals(200, RestSupport.status(path));
        assertError(json(Map.of("data", b64("x"))).put("/v1/nodes" + path), 403, "NO_AUTH", path);
        assertError(json(Map.of()).post("/v1/nodes" + path + "/c"), 403, "NO_AUTH", path + "/c");
        JsonPath multi = assertError(json(Map.of("ops", List.of(Map.of("op", "set", "path", path, "data", b64("x"))))).post("/v1/multi"),
                403, "NO_AUTH", path);
        assertEquals(0, multi.getInt("failedOp"));
    }

    @Test
    void malformedAuthorizationIsAuthFailed() {
        String path = aliceOnly();
        for (String header : List.of("Bearer abc.def", "Basic !!!not-base64!!!", "Basic " + b64("no-colon"), "Basic " + b64(":nouser"),
                "Basic", "Digest alice")) {
            assertError(given().header("Authorization", header).get("/v1/nodes" + path), 401, "AUTH_FAILED", null);
        }
        assertError(json(Map.of()).header("Authorization", "Bearer x").post("/v1/nodes" + uniquePath("auth")), 401, "AUTH_FAILED", null);
    }

    @Test
    void authSchemeStoresTheCallersDigest() {
        String path = uniquePath("authscheme");
        Response r = json(Map.of("acl", List.of(entry("auth", "", "cdrwa")))).header("Authorization", basic("carol", "pw"))
                .post("/v1/nodes" + path);
        assertEquals(201, r.statusCode(), r::asString);
        JsonPath acl = given().header("Authorization", basic("carol", "pw")).get("/v1/acls" + path).jsonPath();
        assertEquals(List.of("digest"), acl.getList("acl.scheme"));
        assertEquals(List.of(digestId("carol", "pw")), acl.getList("acl.id"));
        assertEquals(31, acl.getInt("acl[0].perms"));
        assertError(given().get("/v1/nodes" + path), 403, "NO_AUTH", path);
    }

    @Test
    void readingAnAclHidesDigestHashesFromReadersWithoutAdmin() {
        String path = uniquePath("redact");
        create(path, Map.of("acl", List.of(entry("world", "anyone", "r"), entry("digest", digestId("alice", "secret"), "cdrwa"))));

        Response anyone = given().get("/v1/acls" + path);
        assertEquals(200, anyone.statusCode(), anyone::asString);
        assertEquals(path, anyone.jsonPath().getString("path"));
        assertEquals(List.of("world", "digest"), anyone.jsonPath().getList("acl.scheme"));
        assertEquals(List.of("anyone", "alice:x"), anyone.jsonPath().getList("acl.id"));
        assertEquals(List.of(1, 31), anyone.jsonPath().getList("acl.perms"));

        JsonPath admin = given().header("Authorization", ALICE).get("/v1/acls" + path).jsonPath();
        assertEquals(List.of("anyone", digestId("alice", "secret")), admin.getList("acl.id"));
        assertEquals(0, admin.getInt("stat.aversion"));
    }

    @Test
    void readingAnAclNeedsReadOrAdmin() {
        String path = aliceOnly();
        assertError(given().get("/v1/acls" + path), 403, "NO_AUTH", path);
        String writeOnly = uniquePath("writeonly");
        create(writeOnly, Map.of("acl", List.of(entry("world", "anyone", "w"))));
        assertError(given().get("/v1/acls" + writeOnly), 403, "NO_AUTH", writeOnly);
        String adminOnly = uniquePath("adminonly");
        create(adminOnly, Map.of("acl", List.of(entry("world", "anyone", "a"))));
        assertEquals(200, given().get("/v1/acls" + adminOnly).statusCode());
    }

    @Test
    void setAclHonoursTheAclVersion() {
        String path = uniquePath("setacl");
        create(path);
        Response first = json(Map.of("acl", List.of(entry("world", "anyone", "cdra")), "version", 0)).put("/v1/acls" + path);
        assertEquals(200, first.statusCode(), first::asString);
        assertEquals(path, first.jsonPath().getString("path"));
        assertEquals(1, first.jsonPath().getInt("stat.aversion"));
        assertEquals(0, first.jsonPath().getInt("stat.version"), "an ACL change is not a data change");
        assertEquals(List.of(29), first.jsonPath().getList("acl.perms"));
        assertTrue(RestSupport.zxidOf(first) > 0);
        assertError(json(Map.of("data", b64("x"))).put("/v1/nodes" + path), 403, "NO_AUTH", path);

        assertError(json(Map.of("acl", List.of(entry("world", "anyone", 31)), "version", 0)).put("/v1/acls" + path), 412, "BAD_VERSION",
                path);
        assertEquals(List.of(29), given().get("/v1/acls" + path).jsonPath().getList("acl.perms"), "a refused set changes nothing");

        Response second = json(Map.of("acl", List.of(entry("world", "anyone", "rwcd")), "version", 1)).put("/v1/acls" + path);
        assertEquals(200, second.statusCode(), second::asString);
        assertEquals(2, second.jsonPath().getInt("stat.aversion"));
        // Without ADMIN now, nobody may change it back, whatever the version.
        assertError(json(Map.of("acl", List.of(entry("world", "anyone", 31)), "version", 2)).put("/v1/acls" + path), 403, "NO_AUTH", path);

        String other = uniquePath("setacl-any");
        create(other);
        Response any = json(Map.of("acl", List.of(entry("world", "anyone", 31)))).put("/v1/acls" + other);
        assertEquals(200, any.statusCode(), any::asString);
        Response again = json(Map.of("acl", List.of(entry("world", "anyone", 31)), "version", -1)).put("/v1/acls" + other);
        assertEquals(2, again.jsonPath().getInt("stat.aversion"));
        assertEquals(2, given().get("/v1/nodes" + other).jsonPath().getInt("stat.aversion"));
    }

    @Test
    void invalidAclsAreRefusedWithInvalidAcl() {
        String path = uniquePath("invalid");
        List<List<Map<String, Object>>> invalid = List.of(
                List.of(),
                List.of(entry("kerberos", "alice", 31)),
                List.of(entry("auth", "", 31)),
                List.of(entry("world", "someone", 31)),
                List.of(entry("digest", "no-colon", 31)),
                List.of(entry("ip", "300.1.1.1", 31)),
                List.of(entry("ip", "127.0.0.1/33", 31)));
        for (List<Map<String, Object>> acl : invalid) {
            assertError(json(Map.of("acl", acl)).post("/v1/nodes" + path), 400, "INVALID_ACL", path);
        }
        assertEquals(404, RestSupport.status(path));
        create(path);
        for (List<Map<String, Object>> acl : invalid) {
            assertError(json(Map.of("acl", acl)).put("/v1/acls" + path), 400, "INVALID_ACL", path);
        }
        assertEquals(0, given().get("/v1/nodes" + path).jsonPath().getInt("stat.aversion"));
    }

    @Test
    void ipSchemeMatchesTheClientAddress() {
        String loopback = uniquePath("ip");
        create(loopback, Map.of("acl", List.of(entry("ip", "127.0.0.1", 31))));
        Response ok = given().baseUri("http://127.0.0.1").get("/v1/nodes" + loopback);
        assertEquals(200, ok.statusCode(), ok::asString);

        String subnet = uniquePath("ip-subnet");
        create(subnet, Map.of("acl", List.of(entry("ip", "127.0.0.0/8", 31))));
        assertEquals(200, given().baseUri("http://127.0.0.1").get("/v1/nodes" + subnet).statusCode());

        String elsewhere = uniquePath("ip-elsewhere");
        create(elsewhere, Map.of("acl", List.of(entry("ip", "10.9.8.7", 31))));
        assertError(given().baseUri("http://127.0.0.1").get("/v1/nodes" + elsewhere), 403, "NO_AUTH", elsewhere);
    }
}
