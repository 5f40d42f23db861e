package dev.corral.api;

import static dev.corral.api.RestSupport.as;
import static dev.corral.api.RestSupport.assertBadArguments;
import static dev.corral.api.RestSupport.assertError;
import static dev.corral.api.RestSupport.await;
import static dev.corral.api.RestSupport.awaitReady;
import static dev.corral.api.RestSupport.closeSession;
import static dev.corral.api.RestSupport.openSession;
import static dev.corral.api.RestSupport.raw;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST lock endpoints: mutual exclusion, fairness, fencing tokens, blocking with a deadline, release by session
 * end, leaving the queue when the client goes away, and what an ACL hides.
 */
@QuarkusTest
class RestLocksTest {
    private static final AtomicLong NAMES = new AtomicLong();
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @BeforeEach
    void ready() {
        awaitReady();
    }

    private static String lockName() {
        return "lock-" + Long.toString(System.nanoTime(), 36) + "-" + NAMES.incrementAndGet();
    }

    private static Response acquire(String name, String session, long waitMs) {
        return as(session, Map.of("session", session, "waitMs", waitMs)).post("/v1/locks/" + name);
    }

    /** A blocking acquire on another thread; the raw client waits up to 30 s. */
    private static CompletableFuture<RestSupport.Raw> acquireAsync(String name, String session, long waitMs) {
        String body = "{\"session\":\"" + session + "\",\"waitMs\":" + waitMs + "}";
        return CompletableFuture.supplyAsync(() -> raw("POST", "/v1/locks/" + name, body, session));
    }

    private static JsonPath state(String name) {
        Response r = given().get("/v1/locks/" + name);
        assertEquals(200, r.statusCode(), r::asString);
        return r.jsonPath();
    }

    private static void awaitWaiting(String name, int n) {
        await(n + " sessions waiting for " + name, DEADLINE, () -> state(name).getInt("waiting") == n);
    }

    private static void release(String name, String session) {
        Response r = as(session).queryParam("session", session).delete("/v1/locks/" + name);
        assertEquals(204, r.statusCode(), r::asString);
    }

    @Test
    void aFreeLockIsAcquiredAtOnceAndItsTokenIsTheZxidThatQueuedTheHolder() {
        String name = lockName();
        String a = openSession(10_000);
        JsonPath held = acquire(name, a, 0).then().statusCode(200).extract().jsonPath();
        assertEquals(a, held.getString("session"));
        assertEquals(name, held.getString("name"));
        String path = held.getString("path");
        assertTrue(path.startsWith("/corral/locks/" + name + "/" + a + "-"), path);
        JsonPath znode = given().get("/v1/nodes" + path).then().statusCode(200).extract().jsonPath();
        assertEquals(znode.getLong("stat.czxid"), held.getLong("token"));
        assertEquals(Long.parseUnsignedLong(a, 16), znode.getLong("stat.ephemeralOwner"));

        JsonPath s = state(name);
        assertEquals(a, s.getString("holder.session"));
        assertEquals(held.getLong("token"), s.getLong("holder.token"));
        assertEquals(0, s.getInt("waiting"));

        // Asking again is safe: the session keeps its place (same znode, same token).
        JsonPath again = acquire(name, a, 0).then().statusCode(200).extract().jsonPath();
        assertEquals(path, again.getString("path"));
        assertEquals(held.getLong("token"), again.getLong("token"));
        assertEquals(1, given().get("/v1/nodes/corral/locks/" + name + "?children=true").jsonPath().getList("children").size());

        release(name, a);
        assertNull(state(name).get("holder"));
        closeSession(a);
    }

    @Test
    void aHeldLockRefusesATryAndTheLoserLeavesTheQueue() {
        String name = lockName();
        String a = openSession(10_000);
        String b = openSession(10_000);
        long token = acquire(name, a, 0).then().statusCode(200).extract().jsonPath().getLong("token");
        JsonPath err = assertError(acquire(name, b, 0), 409, "LOCK_HELD", "/corral/locks/" + name);
        assertEquals(a, err.getString("holder.session"));
        assertEquals(token, err.getLong("holder.token"));
        assertEquals(0, state(name).getInt("waiting"));
        assertEquals(1, given().get("/v1/nodes/corral/locks/" + name + "?children=true").jsonPath().getList("children").size());

        // A short blocking wait ends the same way, and leaves the queue too.
        assertError(acquire(name, b, 200), 409, "LOCK_HELD", "/corral/locks/" + name);
        assertEquals(0, state(name).getInt("waiting"));
        closeSession(a);
        closeSession(b);
    }

    @Test
    void waitersGetTheLockInTheOrderTheyAskedWithGrowingTokens() throws Exception {
        String name = lockName();
        String a = openSession(10_000);
        String b = openSession(10_000);
        String c = openSession(10_000);
        long tokenA = acquire(name, a, 0).then().statusCode(200).extract().jsonPath().getLong("token");
        CompletableFuture<RestSupport.Raw> forB = acquireAsync(name, b, 60_000);
        awaitWaiting(name, 1);
        CompletableFuture<RestSupport.Raw> forC = acquireAsync(name, c, 60_000);
        awaitWaiting(name, 2);
        assertFalse(forB.isDone(), "b got the lock while a held it");

        release(name, a);
        RestSupport.Raw gotB = forB.get(15, TimeUnit.SECONDS);
        assertEquals(200, gotB.status(), gotB.body());
        long tokenB = gotB.json().getLong("token");
        assertTrue(tokenB > tokenA, tokenB + " after " + tokenA);
        assertEquals(b, state(name).getString("holder.session"));
        assertFalse(forC.isDone(), "c got the lock while b held it");

        // The holder's session ends: the lock passes on without a release.
        closeSession(b);
        RestSupport.Raw gotC = forC.get(15, TimeUnit.SECONDS);
        assertEquals(200, gotC.status(), gotC.body());
        assertTrue(gotC.json().getLong("token") > tokenB);
        closeSession(c);
        assertNull(state(name).get("holder"));
    }

    @Test
    void sessionsInContentionNeverHoldTheLockTogetherAndLoseNoIncrement() throws Exception {
        String name = lockName();
        String counter = RestSupport.uniquePath("locked-counter");
        RestSupport.createWithData(counter, "0");
        int clients = 4;
        int rounds = 8;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Long> tokens = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String session = openSession(10_000);
            runs.add(CompletableFuture.runAsync(() -> {
                for (int r = 0; r < rounds; r++) {
                    RestSupport.Raw got = raw("POST", "/v1/locks/" + name, "{\"session\":\"" + session + "\",\"waitMs\":20000}", session);
                    assertEquals(200, got.status(), got.body());
                    if (holders.incrementAndGet() != 1) overlaps.incrementAndGet();
                    tokens.add(got.json().getLong("token"));
                    JsonPath node = given().get("/v1/nodes" + counter).jsonPath();
                    int value = Integer.parseInt(RestSupport.unb64(node.getString("data")));
                    Response set = RestSupport.json(Map.of("data", RestSupport.b64(Integer.toString(value + 1)),
                            "version", node.getInt("stat.version"))).put("/v1/nodes" + counter);
                    assertEquals(200, set.statusCode(), set::asString);
                    holders.decrementAndGet();
                    release(name, session);
                }
                closeSession(session);
            }));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        assertEquals(0, overlaps.get(), "sessions held the lock at the same time");
        assertEquals(Integer.toString(clients * rounds), RestSupport.unb64(given().get("/v1/nodes" + counter).jsonPath().getString("data")));
        for (int i = 1; i < tokens.size(); i++) {
            assertTrue(tokens.get(i) > tokens.get(i - 1), "fencing tokens in acquisition order: " + tokens);
        }
    }

    @Test
    void aWaiterWhoseConnectionClosesLeavesTheQueue() throws Exception {
        String name = lockName();
        String a = openSession(30_000);
        String b = openSession(10_000);
        acquire(name, a, 0).then().statusCode(200);
        String body = "{\"session\":\"" + b + "\",\"waitMs\":60000}";
        try (Socket s = new Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/locks/" + name + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + RestSupport.SECRET_HEADER + ": " + RestSupport.secretOf(b) + "\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            awaitWaiting(name, 1);
        }
        // Long before its 60 s, the request notices the closed connection and takes b out of the queue.
        awaitWaiting(name, 0);
        release(name, a);
        assertNull(state(name).get("holder"), "b's place was left behind and took the lock");
        closeSession(a);
        closeSession(b);
    }

    @Test
    void aWaitingRequestKeepsItsSessionAlive() throws Exception {
        String name = lockName();
        String a = openSession(10_000);
        String b = openSession(4_000);
        acquire(name, a, 0).then().statusCode(200);
        CompletableFuture<RestSupport.Raw> forB = acquireAsync(name, b, 15_000);
        awaitWaiting(name, 1);
        // Hold the lock for longer than b's session timeout; b sends nothing but its waiting request.
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(6_000);
        await("6 s to pass with b waiting", DEADLINE, () -> System.nanoTime() - until > 0);
        assertEquals(200, as(b).get("/v1/sessions/" + b).statusCode(), "b's session expired while it waited");
        release(name, a);
        RestSupport.Raw got = forB.get(15, TimeUnit.SECONDS);
        assertEquals(200, got.status(), got.body());
        closeSession(a);
        closeSession(b);
    }

    @Test
    void badRequestsGetClearErrors() {
        String a = openSession(10_000);
        String name = lockName();
        assertBadArguments(as(a, Map.of("session", a)).post("/v1/locks/bad%20name"));
        assertBadArguments(as(a, Map.of("session", a)).post("/v1/locks/..%2Fetc"));
        assertBadArguments(as(a, Map.of("session", a, "waitMs", 300_001)).post("/v1/locks/" + name));
        assertBadArguments(as(a, Map.of("session", a, "waitMs", -1)).post("/v1/locks/" + name));
        assertBadArguments(as(a, Map.of("waitMs", 10)).post("/v1/locks/" + name));
        assertBadArguments(as(a, Map.of("session", a, "value", "eA==")).post("/v1/locks/" + name));
        assertError(RestSupport.json(Map.of("session", a)).post("/v1/locks/" + name), 401, "AUTH_FAILED", "/corral/locks/" + name);
        assertError(as(a).queryParam("session", a).delete("/v1/locks/" + name), 404, "NO_NODE", "/corral/locks/" + name);
        closeSession(a);
        assertError(as(a, Map.of("session", a)).post("/v1/locks/" + name), 410, "SESSION_EXPIRED", "/corral/locks/" + name);
    }

    @Test
    void whoHoldsALockIsHiddenFromACallerWhoMayNotReadIt() {
        String name = lockName();
        String a = openSession(10_000);
        String b = openSession(10_000);
        acquire(name, a, 0).then().statusCode(200);
        // Everyone may still create (queue) and delete, but nobody may read the lock's znode.
        Response set = RestSupport.json(Map.of("acl", List.of(Map.of("scheme", "world", "id", "anyone", "perms", "cdwa"))))
                .put("/v1/acls/corral/locks/" + name);
        assertEquals(200, set.statusCode(), set::asString);
        assertError(given().get("/v1/locks/" + name), 403, "NO_AUTH", "/corral/locks/" + name);
        JsonPath err = assertError(acquire(name, b, 0), 409, "LOCK_HELD", "/corral/locks/" + name);
        assertNull(err.get("holder"), "the error revealed the holder: " + err.prettify());
        closeSession(a);
        closeSession(b);
    }

    @Test
    void theLockAndElectionEndpointsAreInOpenApi() {
        JsonPath j = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        for (String method : List.of("post", "get", "delete")) {
            assertTrue(j.getMap("paths.'/v1/locks/{name}'." + method + ".responses") != null, "locks " + method);
        }
        Map<String, Object> acquire = j.getMap("paths.'/v1/locks/{name}'.post.responses");
        assertTrue(acquire.keySet().containsAll(List.of("200", "400", "401", "409", "410", "503")), acquire::toString);
        for (String method : List.of("post", "get", "put", "delete")) {
            assertTrue(j.getMap("paths.'/v1/elections/{name}'." + method + ".responses") != null, "elections " + method);
        }
    }
}
