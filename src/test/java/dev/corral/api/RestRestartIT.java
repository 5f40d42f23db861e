package dev.corral.api;

import static dev.corral.api.RestSupport.b64;
import static dev.corral.api.RestSupport.unb64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged node stopped and started again on the same data directory: znodes and sessions survive, and a
 * stream resuming with an event id from before the restart gets one resync event, since the node's watches
 * and their events did not survive. Failsafe sets {@code corral.jar} (see pom.xml).
 */
@EnabledIfSystemProperty(named = "corral.jar", matches = ".+")
class RestRestartIT {
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private Process node;
    private int port;

    @AfterEach
    void stopNode() throws InterruptedException {
        if (node != null) {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void start() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        node = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dcorral.data-dir=" + dir.resolve("data"),
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-Dcorral.client-port=0", "-jar", System.getProperty("corral.jar"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile())).start();
        RestSupport.await("the node on port " + port + " to become ready", START_DEADLINE, () -> {
            if (!node.isAlive()) throw new AssertionError("the node exited with " + node.exitValue() + "; see " + dir.resolve("node.log"));
            try {
                return api().get("/q/health/ready").statusCode() == 200;
            } catch (Exception e) {
                return false; // Not listening yet; RestAssured rethrows the ConnectException unchecked.
            }
        });
    }

    private void stopGracefully() throws InterruptedException {
        node.destroy();
        if (!node.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("the node did not stop within 60 s");
        node = null;
    }

    private RequestSpecification api() {
        return RestAssured.given().baseUri("http://127.0.0.1").port(port).contentType(ContentType.JSON);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void znodesAndSessionsSurviveAndAStreamFromBeforeTheRestartIsToldToResync() throws Exception {
        start();
        api().body(Map.of("data", b64("before"))).post("/v1/nodes/restart").then().statusCode(201);
        Response opened = api().body(Map.of("timeoutMs", 40_000)).post("/v1/sessions");
        assertEquals(201, opened.statusCode(), opened::asString);
        String session = opened.jsonPath().getString("id");
        String secret = opened.jsonPath().getString("secret");
        RestSupport.rememberSecret(session, secret);
        api().header(RestSupport.SECRET_HEADER, secret).body(Map.of("mode", "ephemeral", "session", session)).post("/v1/nodes/restart-eph")
                .then().statusCode(201);
        api().header(RestSupport.SECRET_HEADER, secret).body(Map.of("path", "/restart")).post("/v1/sessions/" + session + "/watches")
                .then().statusCode(201);
        String lastSeen;
        try (SseClient events = SseClient.open(baseUrl(), session, null)) {
            Response set = api().body(Map.of("data", b64("seen"))).put("/v1/nodes/restart");
            assertEquals(200, set.statusCode(), set::asString);
            lastSeen = events.nextWatch("NodeDataChanged", "/restart").id();
            assertEquals(set.header(RestSupport.ZXID), lastSeen);
        }

        stopGracefully();
        start();

        assertEquals("seen", unb64(api().get("/v1/nodes/restart").then().statusCode(200).extract().path("data")));
        assertEquals(200, api().header(RestSupport.SECRET_HEADER, secret).get("/v1/sessions/" + session).statusCode(),
                "sessions, and their secrets, are replicated state");
        assertEquals(401, api().header(RestSupport.SECRET_HEADER, "0".repeat(32)).get("/v1/sessions/" + session).statusCode(),
                "a wrong secret is still refused after the restart");
        assertEquals(200, api().get("/v1/nodes/restart-eph").statusCode(), "so are their ephemerals");
        try (SseClient resumed = SseClient.open(baseUrl(), session, lastSeen)) {
            SseClient.Event e = resumed.next();
            assertEquals("resync", e.name(), () -> "after a restart the watch is gone, so the client must be told: " + e);
            assertNull(e.id());
            api().header(RestSupport.SECRET_HEADER, secret).body(Map.of("path", "/restart")).post("/v1/sessions/" + session + "/watches")
                    .then().statusCode(201);
            Response set = api().body(Map.of("data", b64("after"))).put("/v1/nodes/restart");
            assertEquals(set.header(RestSupport.ZXID), resumed.nextWatch("NodeDataChanged", "/restart").id());
        }
        api().header(RestSupport.SECRET_HEADER, secret).delete("/v1/sessions/" + session).then().statusCode(204);
        assertEquals(404, api().get("/v1/nodes/restart-eph").statusCode());
        assertEquals(List.of("restart"), api().queryParam("children", true).get("/v1/nodes").jsonPath().getList("children")
                .stream().filter(n -> n.toString().startsWith("restart")).toList());
    }
}
