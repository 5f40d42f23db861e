package dev.corral.api;

import static dev.corral.api.RestSupport.b64;
import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.json;
import static dev.corral.api.RestSupport.uniquePath;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads that gather many znodes are bounded ({@code corral.limits.response-bytes}, 1 MiB here); children come in pages. */
@QuarkusTest
@TestProfile(RestResponseBoundsTest.OneMebibyte.class)
class RestResponseBoundsTest {
    public static class OneMebibyte implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("corral.limits.response-bytes", "1048576");
        }
    }

    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    @Test
    void aListingAboveTheBoundIsRefusedAndPagesListEveryChildOnceInOrder() {
        String dir = uniquePath("big-dir");
        create(dir);
        List<String> expected = new ArrayList<>();
        for (int batch = 0; batch < 3; batch++) {
            List<Map<String, Object>> ops = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                String name = String.format("c%05d-", batch * 2_000 + i) + "x".repeat(200);
                expected.add(name);
                ops.add(Map.of("op", "create", "path", dir + "/" + name));
            }
            Response r = json(Map.of("ops", ops)).post("/v1/multi");
            assertEquals(200, r.statusCode(), r::asString);
        }
        RestSupport.assertBadArguments(given().queryParam("children", true).get("/v1/nodes" + dir));

        List<String> listed = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10; pages++) {
            var spec = given().queryParam("children", true).queryParam("limit", 1_000);
            if (after != null) spec = spec.queryParam("after", after);
            JsonPath page = spec.get("/v1/nodes" + dir).then().statusCode(200).extract().jsonPath();
            listed.addAll(page.getList("children", String.class));
            after = page.getString("next");
            if (after == null) break;
        }
        assertEquals(expected, listed, "every child once, in order");
        assertEquals(List.of(), given().queryParam("children", true).queryParam("after", "zzz").get("/v1/nodes" + dir)
                .jsonPath().getList("children"));
        RestSupport.assertBadArguments(given().queryParam("children", true).queryParam("limit", 0).get("/v1/nodes" + dir));
        RestSupport.assertBadArguments(given().queryParam("limit", 5).get("/v1/nodes" + dir));
        // A small directory is listed whole, without a next.
        JsonPath small = given().queryParam("children", true).get("/v1/nodes/zookeeper").jsonPath();
        assertNull(small.getString("next"));
    }

    @Test
    void aMultiReadWhoseAnswerWouldExceedTheBoundIsRefusedBeforeItIsBuilt() {
        String path = uniquePath("large");
        create(path, Map.of("data", b64(new byte[600 * 1024])));
        Map<String, String> get = Map.of("op", "get", "path", path);
        Response one = json(Map.of("ops", List.of(get))).post("/v1/multi-read");
        assertEquals(200, one.statusCode(), one::asString);
        RestSupport.assertBadArguments(json(Map.of("ops", List.of(get, get))).post("/v1/multi-read"));
        RestSupport.assertBadArguments(json(Map.of("ops", java.util.Collections.nCopies(10_000, get))).post("/v1/multi-read"));
    }
}
