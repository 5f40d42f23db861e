package dev.corral.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Shared helpers of the REST tests: unique znode paths, JSON error assertions, raw HTTP for requests that
 * RestAssured would rewrite, and waiting for a condition with a deadline (never a fixed sleep).
 */
final class RestSupport {
    static final String ZXID = "Corral-Zxid";
    static final String SECRET_HEADER = "Corral-Session-Secret";
    private static final Map<String, String> SECRETS = new java.util.concurrent.ConcurrentHashMap<>();
    /** How long a test waits for the node to elect itself and become ready. */
    static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private RestSupport() {}

    /** Waits until the node is ready (a leader elected, log replayed), as writes before that get 503. */
    static void awaitReady() {
        await("the node to become ready", READY_DEADLINE, () -> given().get("/q/health/ready").statusCode() == 200);
    }

    /** A znode path no other test (or run of this test) uses. */
    static String uniquePath(String name) {
        return "/" + name + "-" + Long.toString(System.nanoTime(), 36) + "-" + COUNTER.incrementAndGet();
    }

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    static RequestSpecification json() {
        return given().contentType(ContentType.JSON);
    }

    static RequestSpecification json(Object body) {
        return given().contentType(ContentType.JSON).body(body);
    }

    /**
     * Creates a znode (persistent unless {@code body} says otherwise) and returns the 201 response's JSON. A body
     * that names a session acts as it.
     */
    static JsonPath create(String path, Map<String, ?> body) {
        Object session = body.get("session");
        Response r = (session instanceof String s ? as(s, body) : json(body)).post("/v1/nodes" + path);
        assertEquals(201, r.statusCode(), () -> "create " + path + ": " + r.asString());
        return r.jsonPath();
    }

    static JsonPath create(String path) {
        return create(path, Map.of());
    }

    static JsonPath createWithData(String path, String data) {
        return create(path, Map.of("data", b64(data)));
    }

    /** Opens a session and returns its id; its secret is kept for {@link #as}. */
    static String openSession(int timeoutMs) {
        Response r = json(Map.of("timeoutMs", timeoutMs)).post("/v1/sessions");
        assertEquals(201, r.statusCode(), r::asString);
        String id = r.jsonPath().getString("id");
        SECRETS.put(id.toLowerCase(java.util.Locale.ROOT), r.jsonPath().getString("secret"));
        return id;
    }

    /** Remembers the secret of a session opened without {@link #openSession}. */
    static void rememberSecret(String session, String secret) {
        SECRETS.put(session.toLowerCase(java.util.Locale.ROOT), secret);
    }

    /** The secret of a session this test run opened; for any other id, a well-formed secret that is not its own. */
    static String secretOf(String session) {
        return SECRETS.getOrDefault(session.toLowerCase(java.util.Locale.ROOT), "0123456789abcdef0123456789abcdef");
    }

    /** A request that acts as {@code session}: it carries the session's secret. */
    static RequestSpecification as(String session) {
        return given().header(SECRET_HEADER, secretOf(session));
    }

    /** A JSON request that acts as {@code session}. */
    static RequestSpecification as(String session, Object body) {
        return as(session).contentType(ContentType.JSON).body(body);
    }

    static void closeSession(String id) {
        Response r = as(id).delete("/v1/sessions/" + id);
        assertEquals(204, r.statusCode(), r::asString);
    }

    /** The session id as ZooKeeper's Stat carries it in ephemeralOwner. */
    static long sessionNumber(String id) {
        return Long.parseUnsignedLong(id, 16);
    }

    static long zxidOf(Response r) {
        String h = r.header(ZXID);
        assertNotNull(h, () -> "no " + ZXID + " header on " + r.statusCode() + " " + r.asString());
        return Long.parseLong(h);
    }

    static int status(String path) {
        return given().get("/v1/nodes" + path).statusCode();
    }

    /**
     * Asserts the contract's error shape: the status, JSON {@code {"code","message","path"}} with the
     * ZooKeeper error name, a message for a person, and the znode path (or null where none applies).
     */
    static JsonPath assertError(Response r, int status, String code, String path) {
        String body = r.asString();
        assertEquals(status, r.statusCode(), () -> "status of " + body);
        assertTrue(r.contentType() != null && r.contentType().startsWith("application/json"),
                () -> "content type " + r.contentType() + " of " + body);
        JsonPath j = r.jsonPath();
        assertEquals(code, j.getString("code"), () -> "code of " + body);
        String message = j.getString("message");
        assertTrue(message != null && !message.isBlank(), () -> "message of " + body);
        Map<String, Object> fields = j.getMap("$");
        assertTrue(fields.containsKey("path"), () -> "path field of " + body);
        assertEquals(path, j.getString("path"), () -> "path of " + body);
        return j;
    }

    /** As {@link #assertError} for a bad-input error, whatever the path field says. */
    static JsonPath assertBadArguments(Response r) {
        String body = r.asString();
        assertEquals(400, r.statusCode(), () -> "status of " + body);
        assertTrue(r.contentType() != null && r.contentType().startsWith("application/json"), () -> "content type of " + body);
        assertEquals("BAD_ARGUMENTS", r.jsonPath().getString("code"), () -> "code of " + body);
        assertFalse(r.jsonPath().getString("message").isBlank(), () -> "message of " + body);
        return r.jsonPath();
    }

    /** ZooKeeper's digest id for {@code user:password}: {@code user:base64(sha1(user:password))}. */
    static String digestId(String user, String password) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-1").digest((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return user + ":" + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + b64(user + ":" + password);
    }

    /** The base URL of the application under test, as RestAssured is set up for it. */
    static String baseUrl() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    /** The same application, addressed by IPv4 loopback (for the {@code ip} ACL scheme). */
    static String loopbackUrl() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    static HttpClient http() {
        return HTTP;
    }

    /** A response to a request sent exactly as written, path included (no normalization of "." or "//"). */
    record Raw(int status, String contentType, String body) {
        JsonPath json() {
            return new JsonPath(body);
        }
    }

    static Raw raw(String method, String pathAndQuery, String body) {
        return raw(method, pathAndQuery, body, null);
    }

    /** As {@link #raw(String, String, String)}, acting as {@code session} if it is not null. */
    static Raw raw(String method, String pathAndQuery, String body, String session) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (session != null) b.header(SECRET_HEADER, secretOf(session));
        b
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Raw(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} until it holds, failing after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        awaitValue(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** Polls {@code probe} until it returns non-null, failing after {@code timeout}; returns that value. */
    static <T> T awaitValue(String what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) return value;
            if (System.nanoTime() - deadline > 0) fail("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            pause();
        }
    }

    /** The interval between two polls of a condition; it orders nothing, the condition does. */
    static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
