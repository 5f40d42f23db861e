package dev.corral.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.RestAssured;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Shared helpers of the client's tests against the in-process node: its URL, unique znode paths, raw REST requests
 * that bypass the client, recorders of watch events and session states, and waiting for a condition with a deadline
 * (never a fixed sleep).
 */
final class ClientTests {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private ClientTests() {}

    /** The node under test, by IPv4 loopback. */
    static String url() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    static int port() {
        return RestAssured.port;
    }

    /** A client of the node under test with a 30 s session. */
    static CorralClient client() {
        return CorralClient.builder().servers(url()).sessionTimeout(Duration.ofSeconds(30)).build();
    }

    /** Waits until the node is ready (a leader elected, log replayed), as writes before that get 503. */
    static void awaitReady() {
        await("the node to become ready", Duration.ofSeconds(60), () -> raw("GET", "/q/health/ready", null, null).status() == 200);
    }

    /** A znode path no other test (or run of this test) uses. */
    static String uniquePath(String name) {
        return "/client-" + name + "-" + Long.toString(System.nanoTime(), 36) + "-" + COUNTER.incrementAndGet();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A port nothing listens on (bound, then closed). */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A raw answer: status and body. */
    record Raw(int status, String body) {}

    /** A request sent around the client, acting as a session when {@code secret} is not null. */
    static Raw raw(String method, String pathAndQuery, String jsonBody, String secret) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (secret != null) b.header("Corral-Session-Secret", secret);
        if (jsonBody != null) b.header("Content-Type", "application/json");
        b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Raw(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} until it holds, failing after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
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

    /** A watcher that queues its events for the test to take, each within a deadline. */
    static final class Events implements Watcher {
        private final BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();

        @Override
        public void process(WatchedEvent event) {
            events.add(event);
        }

        /** The next event, failing if none comes within the deadline. */
        WatchedEvent next() {
            try {
                WatchedEvent e = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) fail("no watch event within " + DEADLINE.toMillis() + " ms");
                return e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The next event, which must be {@code type} on {@code path}; returns it. */
        WatchedEvent next(EventType type, String path) {
            WatchedEvent e = next();
            assertEquals(type, e.type(), () -> "type of " + e);
            assertEquals(path, e.path(), () -> "path of " + e);
            return e;
        }

        /** As {@link #next(EventType, String)}, also checking the zxid of the change. */
        WatchedEvent next(EventType type, String path, long zxid) {
            WatchedEvent e = next(type, path);
            assertEquals(zxid, e.zxid(), () -> "zxid of " + e);
            return e;
        }

        /** Events queued and not taken (for a check that nothing more came, once a later event proved delivery). */
        int pending() {
            return events.size();
        }
    }

    /** A session listener that queues the states it hears. */
    static final class States implements SessionListener {
        private final BlockingQueue<SessionState> states = new LinkedBlockingQueue<>();

        @Override
        public void stateChanged(SessionState state) {
            states.add(state);
        }

        /** Waits for {@code expected} to be heard, failing if another state comes first or none within the deadline. */
        void next(SessionState expected) {
            try {
                SessionState s = states.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                if (s == null) fail("no session state within " + DEADLINE.toMillis() + " ms; expected " + expected);
                assertEquals(expected, s, "session state");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
