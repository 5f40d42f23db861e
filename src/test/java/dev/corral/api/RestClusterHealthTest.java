package dev.corral.api;

import static dev.corral.api.RestSupport.as;
import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.json;
import static dev.corral.api.RestSupport.openSession;
import static dev.corral.api.RestSupport.uniquePath;
import static dev.corral.api.RestSupport.zxidOf;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/cluster}, {@code /v1/sync}, health probes, Prometheus metrics and the OpenAPI document. */
@QuarkusTest
class RestClusterHealthTest {
    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    @Test
    void clusterOfOneNamesItselfLeader() {
        Response r = given().get("/v1/cluster");
        assertEquals(200, r.statusCode(), r::asString);
        JsonPath j = r.jsonPath();
        assertEquals(1, j.getInt("leader"));
        assertTrue(j.getLong("term") >= 1, r::asString);
        List<Map<String, Object>> members = j.getList("members");
        assertEquals(1, members.size(), r::asString);
        assertEquals(1, j.getInt("members[0].id"));
        assertEquals("leader", j.getString("members[0].role"));
        assertTrue(j.get("members[0].url") instanceof String, r::asString);
    }

    @Test
    void syncReturnsAZxidAtLeastTheLastWrite() {
        long write = zxidOf(json(Map.of()).post("/v1/nodes" + uniquePath("sync")));
        Response r = given().post("/v1/sync");
        assertEquals(200, r.statusCode(), r::asString);
        assertTrue(r.jsonPath().getLong("zxid") >= write, r::asString);
        assertTrue(zxidOf(r) >= write);
    }

    @Test
    void probesAreUp() {
        for (String probe : List.of("/q/health/live", "/q/health/ready", "/q/health/started", "/q/health")) {
            Response r = given().get(probe);
            assertEquals(200, r.statusCode(), () -> probe + ": " + r.asString());
            assertEquals("UP", r.jsonPath().getString("status"), probe);
        }
        List<String> ready = given().get("/q/health/ready").jsonPath().getList("checks.name");
        assertTrue(ready.contains("corral-replication"), ready::toString);
        JsonPath replication = new JsonPath(given().get("/q/health/ready").asString()).setRootPath("checks.find { it.name == 'corral-replication' }.data");
        assertEquals("LEADER", replication.getString("role"));
        assertTrue(replication.getBoolean("caughtUp"), "a leader is ready once it knows the commit point");
        assertTrue(replication.getLong("appliedZxid") >= replication.getLong("commitIndex"));
    }

    @Test
    void metricsHaveTheCorralSeries() {
        String path = uniquePath("metrics");
        create(path);
        given().get("/v1/nodes" + path).then().statusCode(200);
        given().queryParam("children", true).get("/v1/nodes" + path).then().statusCode(200);
        given().get("/v1/nodes" + path + "/missing").then().statusCode(404);
        String session = openSession(30_000);
        as(session).queryParam("watch", true).queryParam("session", session).get("/v1/nodes" + path).then().statusCode(200);

        Response r = given().get("/q/metrics");
        assertEquals(200, r.statusCode());
        String text = r.asString();
        for (String series : List.of("corral_znodes", "corral_sessions", "corral_watches", "corral_commit_seconds_count",
                "corral_commit_seconds_bucket", "corral_log_write_seconds_count", "corral_log_write_seconds_bucket")) {
            assertTrue(Pattern.compile("(?m)^" + series + "[ {]").matcher(text).find(), () -> series + " missing");
        }
        assertTrue(gauge(text, "corral_znodes") >= 5, "the root, /zookeeper and its two children, and ours");
        assertTrue(gauge(text, "corral_sessions") >= 1);
        assertTrue(gauge(text, "corral_watches") >= 1);
        for (String op : List.of("create", "get_data", "get_children", "create_session")) {
            assertTrue(Pattern.compile("(?m)^corral_requests_seconds_count\\{[^}]*op=\"" + op + "\"").matcher(text).find(),
                    () -> "corral_requests_seconds{op=" + op + "} missing");
        }
        assertTrue(Pattern.compile("(?m)^corral_requests_seconds_count\\{[^}]*op=\"get_data\"[^}]*status=\"404\"").matcher(text).find(),
                "requests are counted by status too");
        RestSupport.closeSession(session);
    }

    private static double gauge(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        assertTrue(m.find(), () -> name + " has no value");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void openApiDocumentsTheV1Api() {
        Response r = given().queryParam("format", "json").get("/q/openapi");
        assertEquals(200, r.statusCode());
        Map<String, Object> paths = r.jsonPath().getMap("paths");
        for (String p : List.of("/v1/nodes{path}", "/v1/acls{path}", "/v1/multi", "/v1/multi-read", "/v1/sessions", "/v1/sessions/{id}",
                "/v1/sessions/{id}/keepalive", "/v1/sessions/{id}/watches", "/v1/sessions/{id}/events", "/v1/cluster", "/v1/sync")) {
            assertTrue(paths.containsKey(p), () -> p + " not in " + paths.keySet());
        }
        JsonPath j = r.jsonPath();
        assertTrue(j.getMap("paths.'/v1/nodes{path}'").keySet().containsAll(List.of("get", "post", "put", "delete")));
        assertEquals(200, given().get("/q/openapi").statusCode(), "the default YAML form");
    }
}
