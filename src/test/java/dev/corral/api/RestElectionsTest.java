package dev.corral.api;

import static dev.corral.api.RestSupport.as;
import static dev.corral.api.RestSupport.assertError;
import static dev.corral.api.RestSupport.await;
import static dev.corral.api.RestSupport.awaitReady;
import static dev.corral.api.RestSupport.b64;
import static dev.corral.api.RestSupport.closeSession;
import static dev.corral.api.RestSupport.openSession;
import static dev.corral.api.RestSupport.raw;
import static dev.corral.api.RestSupport.unb64;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST election endpoints: one leader, succession in order, proclaim, resign, and leaders that end. */
@QuarkusTest
class RestElectionsTest {
    private static final AtomicLong NAMES = new AtomicLong();
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @BeforeEach
    void ready() {
        awaitReady();
    }

    private static String electionName() {
        return "election-" + Long.toString(System.nanoTime(), 36) + "-" + NAMES.incrementAndGet();
    }

    private static Response campaign(String name, String session, String value, long waitMs) {
        return as(session, Map.of("session", session, "value", b64(value), "waitMs", waitMs)).post("/v1/elections/" + name);
    }

    private static CompletableFuture<RestSupport.Raw> campaignAsync(String name, String session, String value) {
        String body = "{\"session\":\"" + session + "\",\"value\":\"" + b64(value) + "\",\"waitMs\":60000}";
        return CompletableFuture.supplyAsync(() -> raw("POST", "/v1/elections/" + name, body, session));
    }

    private static JsonPath state(String name) {
        Response r = given().get("/v1/elections/" + name);
        assertEquals(200, r.statusCode(), r::asString);
        return r.jsonPath();
    }

    @Test
    void theFirstCandidateLeadsAndTheNextTakesOverWhenItResigns() throws Exception {
        String name = electionName();
        String a = openSession(10_000);
        String b = openSession(10_000);
        JsonPath led = campaign(name, a, "host-a:9000", 0).then().statusCode(200).extract().jsonPath();
        assertEquals(a, led.getString("session"));
        assertEquals("host-a:9000", unb64(led.getString("value")));

        JsonPath err = assertError(campaign(name, b, "host-b:9000", 0), 409, "NOT_ELECTED", "/corral/elections/" + name);
        assertEquals(a, err.getString("holder.session"));
        assertEquals(1, state(name).getInt("candidates"), "the refused candidate stayed");

        CompletableFuture<RestSupport.Raw> forB = campaignAsync(name, b, "host-b:9000");
        await("b to become a candidate", DEADLINE, () -> state(name).getInt("candidates") == 2);
        JsonPath s = state(name);
        assertEquals(a, s.getString("leader.session"));
        assertEquals("host-a:9000", unb64(s.getString("leader.value")));
        assertFalse(forB.isDone(), "b leads while a does");

        // The leader proclaims a new value; a candidate may not.
        Response proclaimed = as(a, Map.of("session", a, "value", b64("host-a:9001"))).put("/v1/elections/" + name);
        assertEquals(200, proclaimed.statusCode(), proclaimed::asString);
        assertEquals("host-a:9001", unb64(state(name).getString("leader.value")));
        assertError(as(b, Map.of("session", b, "value", b64("usurper"))).put("/v1/elections/" + name), 409, "NOT_ELECTED",
                "/corral/elections/" + name);
        assertEquals("host-a:9001", unb64(state(name).getString("leader.value")));

        Response resigned = as(a).queryParam("session", a).delete("/v1/elections/" + name);
        assertEquals(204, resigned.statusCode(), resigned::asString);
        RestSupport.Raw gotB = forB.get(15, TimeUnit.SECONDS);
        assertEquals(200, gotB.status(), gotB.body());
        assertEquals(b, gotB.json().getString("session"));
        assertTrue(gotB.json().getLong("token") > led.getLong("token"));
        assertEquals("host-b:9000", unb64(state(name).getString("leader.value")));
        assertError(as(a).queryParam("session", a).delete("/v1/elections/" + name), 404, "NO_NODE", "/corral/elections/" + name);
        closeSession(a);
        closeSession(b);
    }

    @Test
    void aLeaderWhoseSessionEndsIsSucceeded() throws Exception {
        String name = electionName();
        String a = openSession(10_000);
        String b = openSession(10_000);
        campaign(name, a, "a", 0).then().statusCode(200);
        CompletableFuture<RestSupport.Raw> forB = campaignAsync(name, b, "b");
        await("b to become a candidate", DEADLINE, () -> state(name).getInt("candidates") == 2);
        closeSession(a);
        RestSupport.Raw gotB = forB.get(15, TimeUnit.SECONDS);
        assertEquals(200, gotB.status(), gotB.body());
        assertEquals(b, state(name).getString("leader.session"));
        closeSession(b);
        assertNull(state(name).get("leader"));
        assertEquals(0, state(name).getInt("candidates"));
    }
}
