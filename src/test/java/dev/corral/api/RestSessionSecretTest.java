package dev.corral.api;

import static dev.corral.api.RestSupport.SECRET_HEADER;
import static dev.corral.api.RestSupport.as;
import static dev.corral.api.RestSupport.assertError;
import static dev.corral.api.RestSupport.b64;
import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.json;
import static dev.corral.api.RestSupport.openSession;
import static dev.corral.api.RestSupport.sessionNumber;
import static dev.corral.api.RestSupport.uniquePath;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session id is public (every ephemeral's Stat shows it); its secret is the credential. Everything an attacker
 * who read an {@code ephemeralOwner} tried before secrets existed — keep the session alive, close it, create its
 * ephemerals, add and remove its watches, take over or replay its event stream — is refused without the secret,
 * and leaves the session as it was.
 */
@QuarkusTest
class RestSessionSecretTest {
    private static final String WRONG = "0123456789abcdef0123456789abcdef";

    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    @Test
    void openingASessionReturnsA32HexSecretThatNoOtherAnswerShows() {
        Response a = json(Map.of("timeoutMs", 10_000)).post("/v1/sessions");
        Response b = json(Map.of("timeoutMs", 10_000)).post("/v1/sessions");
        assertEquals(201, a.statusCode(), a::asString);
        String secretA = a.jsonPath().getString("secret");
        String secretB = b.jsonPath().getString("secret");
        assertTrue(secretA.matches("[0-9a-f]{32}"), secretA);
        assertNotEquals(secretA, secretB, "each session has its own secret");
        String id = a.jsonPath().getString("id");
        RestSupport.rememberSecret(id, secretA);
        RestSupport.rememberSecret(b.jsonPath().getString("id"), secretB);

        Response described = as(id).get("/v1/sessions/" + id);
        assertEquals(200, described.statusCode(), described::asString);
        assertFalse(described.asString().contains(secretA), "describing a session must not show its secret: " + described.asString());
        Response alive = as(id).post("/v1/sessions/" + id + "/keepalive");
        assertFalse(alive.asString().contains(secretA), alive.asString());
        RestSupport.closeSession(id);
        RestSupport.closeSession(b.jsonPath().getString("id"));
    }

    @Test
    void everyActAsASessionWithoutItsSecretIsRefusedAndChangesNothing() {
        String victim = openSession(40_000);
        String parent = uniquePath("secret");
        create(parent);
        String ephemeral = parent + "/victim";
        long owner = create(ephemeral, Map.of("mode", "ephemeral", "session", victim)).getLong("stat.ephemeralOwner");
        assertEquals(sessionNumber(victim), owner, "the id an attacker reads from any Stat");
        assertEquals(201, as(victim, Map.of("path", parent, "mode", "persistent")).post("/v1/sessions/" + victim + "/watches").statusCode());

        // Each act once without the header and once with a well-formed but wrong secret.
        List<Function<RequestSpecification, Response>> acts = List.of(
                r -> r.post("/v1/sessions/" + victim + "/keepalive"),
                r -> r.get("/v1/sessions/" + victim),
                r -> r.delete("/v1/sessions/" + victim),
                r -> r.contentType("application/json").body(Map.of("mode", "ephemeral", "session", victim)).post("/v1/nodes" + parent + "/mine"),
                r -> r.contentType("application/json").post("/v1/nodes" + parent + "/mine2?session=" + victim),
                r -> r.contentType("application/json").body(Map.of("data", b64("x"), "session", victim)).put("/v1/nodes" + parent),
                r -> r.delete("/v1/nodes" + ephemeral + "?session=" + victim),
                r -> r.contentType("application/json").body(Map.of("session", victim,
                        "ops", List.of(Map.of("op", "create", "path", parent + "/m", "mode", "ephemeral")))).post("/v1/multi"),
                r -> r.queryParam("watch", true).queryParam("session", victim).get("/v1/nodes" + parent),
                r -> r.contentType("application/json").body(Map.of("path", "/", "mode", "persistent_recursive"))
                        .post("/v1/sessions/" + victim + "/watches"),
                r -> r.queryParam("path", parent).delete("/v1/sessions/" + victim + "/watches"),
                r -> r.get("/v1/sessions/" + victim + "/events"),
                r -> r.header("Last-Event-ID", "0").get("/v1/sessions/" + victim + "/events"));
        for (Function<RequestSpecification, Response> act : acts) {
            for (RequestSpecification attacker : List.of(given(), given().header(SECRET_HEADER, WRONG),
                    given().header(SECRET_HEADER, "not hex at all"))) {
                Response r = act.apply(attacker);
                assertEquals(401, r.statusCode(), r::asString);
                assertEquals("AUTH_FAILED", r.jsonPath().getString("code"), r::asString);
            }
        }

        // Nothing changed: the session, its ephemeral and its watch are as they were.
        assertEquals(200, as(victim).get("/v1/sessions/" + victim).statusCode());
        assertEquals(0, given().get("/v1/nodes" + ephemeral).jsonPath().getInt("stat.version"));
        assertEquals(List.of("victim"), given().queryParam("children", true).get("/v1/nodes" + parent).jsonPath().getList("children"));
        assertEquals(0, given().get("/v1/nodes" + parent).jsonPath().getInt("stat.version"));
        try (SseClient events = SseClient.open(victim)) {
            Response set = json(Map.of("data", b64("seen"))).put("/v1/nodes" + parent);
            assertEquals(200, set.statusCode(), set::asString);
            events.nextWatch("NodeDataChanged", parent);
        }
        RestSupport.closeSession(victim);
        assertError(given().get("/v1/nodes" + ephemeral), 404, "NO_NODE", ephemeral);
    }

    @Test
    void theRightSecretIsAcceptedInEitherCase() {
        String session = openSession(40_000);
        String upper = RestSupport.secretOf(session).toUpperCase(java.util.Locale.ROOT);
        assertEquals(200, given().header(SECRET_HEADER, upper).post("/v1/sessions/" + session + "/keepalive").statusCode());
        RestSupport.closeSession(session);
    }

    @Test
    void aSecondEventStreamTakesOverAndTheFirstIsToldItWasReplaced() throws Exception {
        String session = openSession(40_000);
        String path = uniquePath("takeover");
        create(path);
        assertEquals(201, as(session, Map.of("path", path, "mode", "persistent")).post("/v1/sessions/" + session + "/watches").statusCode());
        try (SseClient first = SseClient.open(session); SseClient second = SseClient.open(session)) {
            SseClient.Event told = first.next();
            assertEquals("session", told.name(), told::toString);
            assertEquals("replaced", told.json().getString("state"), told::toString);
            first.awaitEnd();
            Response set = json(Map.of("data", b64("v"))).put("/v1/nodes" + path);
            assertEquals(200, set.statusCode(), set::asString);
            second.nextWatch("NodeDataChanged", path);
        }
        RestSupport.closeSession(session);
    }

    @Test
    void theSecretIsNotAcceptedAsAQueryParameterOrCookieOnly() throws Exception {
        // Only the header counts: URLs end up in logs and browser histories, and a cookie would be sent cross-site.
        String session = openSession(40_000);
        HttpRequest viaQuery = HttpRequest.newBuilder(URI.create(RestSupport.baseUrl() + "/v1/sessions/" + session + "?secret="
                + RestSupport.secretOf(session))).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> r = RestSupport.http().send(viaQuery, HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 401 || r.statusCode() == 400, r.statusCode() + " " + r.body());
        RestSupport.closeSession(session);
    }
}
