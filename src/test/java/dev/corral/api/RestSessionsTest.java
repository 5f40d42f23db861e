package dev.corral.api;

import static dev.corral.api.RestSupport.as;
import static dev.corral.api.RestSupport.assertError;
import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.json;
import static dev.corral.api.RestSupport.openSession;
import static dev.corral.api.RestSupport.uniquePath;
import static dev.corral.api.RestSupport.zxidOf;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sessions: open with a negotiated timeout, describe, heartbeat, close, and expiry without heartbeats. */
@QuarkusTest
class RestSessionsTest {
    private static final int TIMEOUT_MIN_MS = 4_000;
    private static final int TIMEOUT_MAX_MS = 40_000;

    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    @Test
    void openReturns201WithIdAndTimeoutNegotiatedIntoRange() {
        Map<Integer, Integer> negotiated = Map.of(1, TIMEOUT_MIN_MS, 3_999, TIMEOUT_MIN_MS, 4_000, 4_000, 12_345, 12_345,
                40_000, 40_000, 40_001, TIMEOUT_MAX_MS, Integer.MAX_VALUE, TIMEOUT_MAX_MS);
        negotiated.forEach((asked, expected) -> {
            Response r = json(Map.of("timeoutMs", asked)).post("/v1/sessions");
            assertEquals(201, r.statusCode(), r::asString);
            assertTrue(r.jsonPath().getString("id").matches("[0-9a-f]{16}"), r::asString);
            assertEquals(expected, r.jsonPath().getInt("timeoutMs"), () -> "asked " + asked);
            assertTrue(zxidOf(r) > 0);
            RestSupport.rememberSecret(r.jsonPath().getString("id"), r.jsonPath().getString("secret"));
            RestSupport.closeSession(r.jsonPath().getString("id"));
        });
        Response dflt = given().post("/v1/sessions");
        assertEquals(201, dflt.statusCode(), dflt::asString);
        int timeout = dflt.jsonPath().getInt("timeoutMs");
        assertTrue(timeout >= TIMEOUT_MIN_MS && timeout <= TIMEOUT_MAX_MS, () -> "default timeout " + timeout);
        RestSupport.rememberSecret(dflt.jsonPath().getString("id"), dflt.jsonPath().getString("secret"));
        RestSupport.closeSession(dflt.jsonPath().getString("id"));
    }

    @Test
    void sessionIdsAreDistinct() {
        String a = openSession(10_000);
        String b = openSession(10_000);
        assertNotEquals(a, b);
        RestSupport.closeSession(a);
        RestSupport.closeSession(b);
    }

    @Test
    void getDescribesTheSession() {
        String id = openSession(20_000);
        Response r = as(id).get("/v1/sessions/" + id);
        assertEquals(200, r.statusCode(), r::asString);
        assertEquals(id, r.jsonPath().getString("id"));
        assertEquals(20_000, r.jsonPath().getInt("timeoutMs"));
        assertEquals(200, as(id).get("/v1/sessions/" + id.toUpperCase(java.util.Locale.ROOT)).statusCode(), "hex is case-insensitive");
        RestSupport.closeSession(id);
    }

    @Test
    void keepaliveAnswersWithTheSession() {
        String id = openSession(10_000);
        Response r = as(id).post("/v1/sessions/" + id + "/keepalive");
        assertEquals(200, r.statusCode(), r::asString);
        assertEquals(id, r.jsonPath().getString("id"));
        assertEquals(10_000, r.jsonPath().getInt("timeoutMs"));
        RestSupport.closeSession(id);
    }

    @Test
    void closeDeletesTheSessionsEphemeralsAndOnlyThose() {
        String id = openSession(30_000);
        String other = openSession(30_000);
        String parent = uniquePath("owned");
        create(parent);
        create(parent + "/e1", Map.of("mode", "ephemeral", "session", id));
        String seq = create(parent + "/e-", Map.of("mode", "ephemeral_sequential", "session", id)).getString("path");
        create(parent + "/theirs", Map.of("mode", "ephemeral", "session", other));
        create(parent + "/kept");

        Response close = as(id).delete("/v1/sessions/" + id);
        assertEquals(204, close.statusCode(), close::asString);
        long closeZxid = zxidOf(close);

        assertError(given().get("/v1/nodes" + parent + "/e1"), 404, "NO_NODE", parent + "/e1");
        assertError(given().get("/v1/nodes" + seq), 404, "NO_NODE", seq);
        JsonPath kids = given().queryParam("children", true).get("/v1/nodes" + parent).jsonPath();
        assertEquals(List.of("kept", "theirs"), kids.getList("children"));
        assertEquals(closeZxid, kids.getLong("stat.pzxid"), "the ephemerals went in the close transaction");
        assertError(as(id).get("/v1/sessions/" + id), 410, "SESSION_EXPIRED", null);
        assertEquals(200, as(other).get("/v1/sessions/" + other).statusCode());
        RestSupport.closeSession(other);
        assertEquals(List.of("kept"), given().queryParam("children", true).get("/v1/nodes" + parent).jsonPath().getList("children"));
    }

    @Test
    void sessionWithoutHeartbeatsExpiresAndOneKeptAliveDoesNot() {
        long opened = System.nanoTime();
        String idle = openSession(1);
        String alive = openSession(1);
        assertEquals(TIMEOUT_MIN_MS, as(idle).get("/v1/sessions/" + idle).jsonPath().getInt("timeoutMs"));
        String parent = uniquePath("expiry");
        create(parent);
        create(parent + "/idle", Map.of("mode", "ephemeral", "session", idle));
        create(parent + "/alive", Map.of("mode", "ephemeral", "session", alive));

        // Heartbeat one session while waiting for the other, which gets none, to expire.
        RestSupport.await("the idle session to expire", Duration.ofSeconds(10), () -> {
            assertEquals(200, as(alive).post("/v1/sessions/" + alive + "/keepalive").statusCode(), "the kept-alive session expired");
            return RestSupport.status(parent + "/idle") == 404;
        });
        assertError(as(idle).get("/v1/sessions/" + idle), 410, "SESSION_EXPIRED", null);
        assertTrue(System.nanoTime() - opened >= Duration.ofMillis(TIMEOUT_MIN_MS).toNanos(), "expired before its timeout");

        // Keep heartbeating well past the session timeout: the session must outlive it.
        Duration pastTimeout = Duration.ofMillis(TIMEOUT_MIN_MS * 3L / 2);
        while (System.nanoTime() - opened < pastTimeout.toNanos()) {
            assertEquals(200, as(alive).post("/v1/sessions/" + alive + "/keepalive").statusCode(), "the kept-alive session expired");
            RestSupport.pause();
        }
        assertEquals(200, as(alive).get("/v1/sessions/" + alive).statusCode());
        assertEquals(200, RestSupport.status(parent + "/alive"));
        assertEquals(List.of("alive"), given().queryParam("children", true).get("/v1/nodes" + parent).jsonPath().getList("children"));
        RestSupport.closeSession(alive);
    }
}
