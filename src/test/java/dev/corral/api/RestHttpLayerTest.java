package dev.corral.api;

import static dev.corral.api.RestSupport.b64;
import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.openSession;
import static dev.corral.api.RestSupport.uniquePath;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP layer's own answers (HttpGate): every one is the contract's JSON error, including those the
 * framework used to give with an empty body, and none lets a request through that it must stop. Sent over
 * raw sockets where HTTP client libraries would refuse or rewrite the request.
 */
@QuarkusTest
class RestHttpLayerTest {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    /** The configured limits (application.properties). */
    private static final int LINE_MAX = 8192;
    private static final int HEADERS_MAX = 16 * 1024;
    private static final int BODY_MAX = 4 * 1024 * 1024;

    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    private static JsonPath assertJsonError(RawHttp.Reply r, int status, String code) {
        assertEquals(status, r.status(), () -> "status of " + r);
        assertTrue(r.header("Content-Type") != null && r.header("Content-Type").startsWith("application/json"), () -> "type of " + r);
        JsonPath j = r.json();
        assertEquals(code, j.getString("code"), () -> "code of " + r);
        assertTrue(j.getString("message") != null && !j.getString("message").isBlank(), () -> "message of " + r);
        assertTrue(j.getMap("$").containsKey("path"), () -> "path field of " + r);
        return j;
    }

    private static int children(String path) {
        return given().get("/v1/nodes" + path).jsonPath().getInt("stat.numChildren");
    }

    // ---- Content-Type ----

    @Test
    void aCrossSiteFormPostCannotWrite() {
        String p = uniquePath("formpost");
        create(p);
        String multi = "{\"ops\":[{\"op\":\"create\",\"path\":\"" + p + "/x\"}]}";
        // What an HTML form on any site can send without a preflight: text/plain, form-encoded, multipart.
        for (String type : List.of("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x")) {
            JsonPath j = assertJsonError(RawHttp.send("POST", "/v1/multi", Map.of("Content-Type", type), multi), 415, "BAD_ARGUMENTS");
            assertTrue(j.getString("message").contains("application/json"), j::prettify);
        }
        assertJsonError(RawHttp.send("POST", "/v1/multi", Map.of(), multi), 415, "BAD_ARGUMENTS");
        assertJsonError(RawHttp.send("POST", "/v1/multi", Map.of("Content-Type", "application/json; charset=ISO-8859-1"), multi), 415,
                "BAD_ARGUMENTS");
        assertEquals(0, children(p), "no refused request created anything");
        assertEquals(200, RawHttp.send("POST", "/v1/multi", Map.of("Content-Type", "application/json; charset=utf-8"), multi).status());
        assertEquals(1, children(p));
    }

    @Test
    void everyBodyNeedsJsonContentType() {
        String p = uniquePath("bodytype");
        create(p);
        String session = openSession(30_000);
        Map<String, String> text = Map.of("Content-Type", "text/plain");
        assertJsonError(RawHttp.send("POST", "/v1/nodes" + p + "/c", text, "{}"), 415, "BAD_ARGUMENTS");
        assertJsonError(RawHttp.send("PUT", "/v1/nodes" + p, text, "{\"data\":\"" + b64("x") + "\"}"), 415, "BAD_ARGUMENTS");
        assertJsonError(RawHttp.send("PUT", "/v1/acls" + p, text, "{\"acl\":[{\"scheme\":\"world\",\"id\":\"anyone\",\"perms\":1}]}"), 415,
                "BAD_ARGUMENTS");
        assertJsonError(RawHttp.send("POST", "/v1/sessions", text, "{\"timeoutMs\":5000}"), 415, "BAD_ARGUMENTS");
        assertJsonError(RawHttp.send("POST", "/v1/sessions/" + session + "/watches", text, "{\"path\":\"" + p + "\"}"), 415, "BAD_ARGUMENTS");
        assertJsonError(RawHttp.send("POST", "/v1/multi-read", text, "{\"ops\":[]}"), 415, "BAD_ARGUMENTS");
        JsonPath node = given().get("/v1/nodes" + p).jsonPath();
        assertEquals(0, node.getInt("stat.numChildren"));
        assertEquals(0, node.getInt("stat.version"));
        assertEquals(0, node.getInt("stat.aversion"));
        RestSupport.closeSession(session);
    }

    @Test
    void requestsWithoutABodyNeedNoContentType() {
        String p = uniquePath("nobody");
        create(p);
        assertEquals(200, RawHttp.send("POST", "/v1/sync", Map.of(), (byte[]) null).status());
        assertEquals(200, RawHttp.send("POST", "/v1/sync", Map.of("Content-Type", "application/x-www-form-urlencoded"), "").status());
        assertEquals(204, RawHttp.send("DELETE", "/v1/nodes" + p, Map.of(), (byte[]) null).status());
    }

    @Test
    void aChunkedBodyIs411() {
        String p = uniquePath("chunked");
        Map<String, String> h = Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked");
        RawHttp.Reply r = RawHttp.send("POST", "/v1/nodes" + p, h, "2\r\n{}\r\n0\r\n\r\n");
        assertTrue(assertJsonError(r, 411, "BAD_ARGUMENTS").getString("message").contains("Content-Length"), r::body);
        assertEquals(404, RestSupport.status(p));
    }

    // ---- Origin ----

    @Test
    void aForeignOriginCannotChangeAnything() {
        String p = uniquePath("origin");
        create(p);
        String session = openSession(30_000);
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1.evil.example", "not a url")) {
            Map<String, String> h = Map.of("Content-Type", "application/json", "Origin", origin);
            String what = "Origin " + origin;
            assertJsonError(RawHttp.send("POST", "/v1/nodes" + p + "/x", h, "{}"), 403, "NO_AUTH");
            assertJsonError(RawHttp.send("POST", "/v1/multi", h, "{\"ops\":[{\"op\":\"create\",\"path\":\"" + p + "/y\"}]}"), 403, "NO_AUTH");
            assertJsonError(RawHttp.send("PUT", "/v1/nodes" + p, h, "{\"data\":\"" + b64("x") + "\"}"), 403, "NO_AUTH");
            assertJsonError(RawHttp.send("DELETE", "/v1/nodes" + p, Map.of("Origin", origin), (byte[]) null), 403, "NO_AUTH");
            // An empty POST needs no Content-Type, so only the Origin stops it.
            assertJsonError(RawHttp.send("DELETE", "/v1/sessions/" + session, Map.of("Origin", origin), (byte[]) null), 403, "NO_AUTH");
            assertJsonError(RawHttp.send("POST", "/v1/sync", Map.of("Origin", origin), ""), 403, "NO_AUTH");
            assertEquals(200, RawHttp.send("GET", "/v1/nodes" + p, Map.of("Origin", origin), (byte[]) null).status(), what);
        }
        assertEquals(0, children(p));
        assertEquals(0, given().get("/v1/nodes" + p).jsonPath().getInt("stat.version"));
        RestSupport.closeSession(session); // asserts 204: the refused closes did not close it
    }

    @Test
    void theNodesOwnAndConfiguredOriginsMayWrite() {
        String p = uniquePath("ownorigin");
        create(p);
        int port = RestAssured.port;
        for (String origin : List.of("http://127.0.0.1:" + port, "HTTP://127.0.0.1:" + port + "/", "https://console.example.test")) {
            String child = p + "/c" + Math.abs(origin.hashCode());
            RawHttp.Reply r = RawHttp.send("POST", "/v1/nodes" + child, Map.of("Content-Type", "application/json", "Origin", origin), "{}");
            assertEquals(201, r.status(), () -> origin + ": " + r.body());
        }
        assertEquals(3, children(p));
    }

    // ---- sizes ----

    @Test
    void aBodyOverTheLimitIs413AndTheConnectionIsClosed() {
        String p = uniquePath("toolarge");
        try (RawHttp c = RawHttp.connect("127.0.0.1")) {
            // Only the head: the answer comes from the declared length, before any of the body is read.
            Map<String, String> h = Map.of("Content-Type", "application/json", "Content-Length", Integer.toString(BODY_MAX + 1));
            RawHttp.Reply r = c.exchange(RawHttp.request("POST", "/v1/nodes" + p, h, null));
            assertTrue(assertJsonError(r, 413, "BAD_ARGUMENTS").getString("message").contains(Integer.toString(BODY_MAX)), r::body);
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer(), "the rest of the body is not read");
        }
        assertEquals(404, RestSupport.status(p));
    }

    @Test
    void aBodyAtTheLimitIsReadAndJudgedByItsContent() {
        String p = uniquePath("atlimit");
        byte[] body = new byte[BODY_MAX];
        Arrays.fill(body, (byte) ' ');
        String prefix = "{\"data\":\"";
        int base64 = (BODY_MAX - prefix.length() - 2) / 4 * 4;
        System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, body, 0, prefix.length());
        Arrays.fill(body, prefix.length(), prefix.length() + base64, (byte) 'A');
        body[prefix.length() + base64] = '"';
        body[prefix.length() + base64 + 1] = '}';
        // 4 MiB of JSON holds 3 MiB of data: admitted by the HTTP layer, refused by validation for its data size.
        JsonPath j = assertJsonError(RawHttp.send("POST", "/v1/nodes" + p, JSON, body), 400, "BAD_ARGUMENTS");
        assertTrue(j.getString("message").contains("exceeds"), j::prettify);
        assertEquals(404, RestSupport.status(p));
    }

    @Test
    void theLargestLegalMultiFitsTheBodyLimit() {
        String p = uniquePath("bigmulti");
        create(p);
        byte[] data = new byte[1024 * 1024];
        Arrays.fill(data, (byte) 'd');
        StringBuilder ops = new StringBuilder("{\"ops\":[{\"op\":\"set\",\"path\":\"" + p + "\",\"data\":\"" + b64(data) + "\"}");
        for (int i = 1; i < 10_000; i++) ops.append(",{\"op\":\"check\",\"path\":\"").append(p).append("\",\"version\":-1}");
        ops.append("]}");
        RawHttp.Reply r = RawHttp.send("POST", "/v1/multi", JSON, ops.toString());
        assertEquals(200, r.status(), () -> r.body().substring(0, Math.min(300, r.body().length())));
        assertEquals(1024 * 1024, given().get("/v1/nodes" + p).jsonPath().getInt("stat.dataLength"));
    }

    @Test
    void aRequestLineOverTheLimitIs414() {
        String base = "/v1/nodes/zookeeper?pad=";
        int overhead = "GET ".length() + " HTTP/1.1".length();
        String atLimit = base + "a".repeat(LINE_MAX - overhead - base.length());
        assertEquals(200, RawHttp.send("GET", atLimit, Map.of(), (byte[]) null).status(), "a request line of exactly the limit");
        JsonPath j = assertJsonError(RawHttp.send("GET", atLimit + "a", Map.of(), (byte[]) null), 414, "BAD_ARGUMENTS");
        assertTrue(j.getString("message").contains(Integer.toString(LINE_MAX)), j::prettify);
        String p = uniquePath("longline");
        assertJsonError(RawHttp.send("POST", "/v1/nodes" + p + "?pad=" + "0".repeat(3 * LINE_MAX), JSON, "{}"), 414, "BAD_ARGUMENTS");
        assertEquals(404, RestSupport.status(p));
        // Far beyond, the parser stops the request before any route runs (HttpParserLimits): same status, no body.
        assertEquals(414, RawHttp.send("GET", base + "a".repeat(HttpParserLimits.SLACK * LINE_MAX), Map.of(), (byte[]) null).status());
    }

    @Test
    void headersOverTheLimitAre431() {
        String big = "b".repeat(HEADERS_MAX);
        JsonPath j = assertJsonError(RawHttp.send("GET", "/v1/nodes/zookeeper", Map.of("X-Big", big), (byte[]) null), 431, "BAD_ARGUMENTS");
        assertTrue(j.getString("message").contains(Integer.toString(HEADERS_MAX)), j::prettify);
        assertJsonError(RawHttp.send("POST", "/v1/sync", Map.of("X-A", big.substring(HEADERS_MAX / 2), "X-B", big.substring(HEADERS_MAX / 2)),
                (byte[]) null), 431, "BAD_ARGUMENTS");
        assertEquals(200, RawHttp.send("GET", "/v1/nodes/zookeeper", Map.of("X-Big", big.substring(1000)), (byte[]) null).status());
        assertEquals(431, RawHttp.send("GET", "/v1/nodes/zookeeper", Map.of("X-Big", big.repeat(HttpParserLimits.SLACK)), (byte[]) null)
                .status());
    }

    // ---- the request target ----

    @Test
    void aMalformedRequestTargetIsBadArgumentsInJson() {
        String p = uniquePath("escape");
        for (String target : List.of(p + "%zz", p + "%2", p + "%", p + "%G1/x", p + "?session=%zz", p + "\\x", p + "?a=%", p + "|x")) {
            for (String method : List.of("GET", "POST")) {
                RawHttp.Reply r = RawHttp.send(method, "/v1/nodes" + target, JSON, method.equals("POST") ? "{}" : null);
                JsonPath j = assertJsonError(r, 400, "BAD_ARGUMENTS");
                assertTrue(j.getString("message").contains("malformed request target"), () -> target + ": " + r.body());
            }
        }
        assertEquals(404, RestSupport.status(p));
    }

    @Test
    void anEncodedSlashIsRefusedRatherThanReadAsASeparator() {
        String p = uniquePath("slash");
        create(p);
        for (String escape : List.of("%2F", "%2f")) {
            JsonPath j = assertJsonError(RawHttp.send("POST", "/v1/nodes" + p + escape + "x", JSON, "{}"), 400, "BAD_ARGUMENTS");
            assertTrue(j.getString("message").contains("slash"), j::prettify);
            assertJsonError(RawHttp.send("GET", "/v1/nodes" + p + escape + "x", Map.of(), (byte[]) null), 400, "BAD_ARGUMENTS");
            assertJsonError(RawHttp.send("PUT", "/v1/acls" + p + escape + "x", JSON, "{\"acl\":[]}"), 400, "BAD_ARGUMENTS");
            assertJsonError(RawHttp.send("POST", "/v1/sessions/0000000000000001" + escape + "keepalive", Map.of(), (byte[]) null), 400,
                    "BAD_ARGUMENTS");
        }
        assertEquals(0, children(p), "no znode was created under " + p);
        // In a query, an encoded slash is simply part of the value.
        assertEquals(200, RawHttp.send("GET", "/v1/nodes" + p + "?pad=%2F", Map.of(), (byte[]) null).status());
    }

    @Test
    void otherEscapesKeepTheirMeaningOrAreRefusedByThePathRules() {
        String p = uniquePath("escapes");
        create(p);
        RawHttp.Reply percent = RawHttp.send("POST", "/v1/nodes" + p + "/50%25", JSON, "{}");
        assertEquals(201, percent.status(), percent::body);
        assertEquals(p + "/50%", percent.json().getString("path"));
        RawHttp.Reply letter = RawHttp.send("POST", "/v1/nodes" + p + "/%41%c3%a9", JSON, "{}");
        assertEquals(201, letter.status(), letter::body);
        assertEquals(p + "/Aé", letter.json().getString("path"));
        assertJsonError(RawHttp.send("POST", "/v1/nodes" + p + "/a%00b", JSON, "{}"), 400, "BAD_ARGUMENTS");
        JsonPath utf8 = assertJsonError(RawHttp.send("POST", "/v1/nodes" + p + "/a%C3%28", JSON, "{}"), 400, "BAD_ARGUMENTS");
        assertTrue(utf8.getString("message").contains("UTF-8"), utf8::prettify);
        assertJsonError(RawHttp.send("POST", "/v1/nodes" + p + "/%2E%2E/x", JSON, "{}"), 400, "BAD_ARGUMENTS");
        assertEquals(2, children(p));
    }

    @Test
    void openApiDocumentsTheHttpLayersAnswers() {
        JsonPath j = given().queryParam("format", "json").get("/q/openapi").jsonPath();
        Map<String, Object> create = j.getMap("paths.'/v1/nodes{path}'.post.responses");
        assertTrue(create.keySet().containsAll(List.of("400", "403", "411", "413", "414", "415", "431", "503")), create::toString);
        Map<String, Object> read = j.getMap("paths.'/v1/nodes{path}'.get.responses");
        assertTrue(read.keySet().containsAll(List.of("400", "414", "431", "503")), read::toString);
        assertNull(read.get("413"), "a read has no body");
        Map<String, Object> close = j.getMap("paths.'/v1/sessions/{id}'.delete.responses");
        assertTrue(close.containsKey("403"), close::toString);
    }
}
