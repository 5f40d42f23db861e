package dev.corral.api;

import static dev.corral.api.RestSupport.as;
import static dev.corral.api.RestSupport.b64;
import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.json;
import static dev.corral.api.RestSupport.openSession;
import static dev.corral.api.RestSupport.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one client can make the node hold is bounded: watched paths per session, sessions per client address, and
 * the bytes waiting to be written to an event stream that never reads. The node runs with small limits here.
 */
@QuarkusTest
@TestProfile(RestClientLimitsTest.SmallLimits.class)
class RestClientLimitsTest {
    static final int PATHS_PER_SESSION = 3;
    static final int SESSIONS_PER_ADDRESS = 32;
    static final int STREAM_BUFFER_BYTES = 16_384;

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A small kernel send buffer, so that what a stream cannot write waits in the process, where the test
            // can see it, instead of in the kernel's autotuned socket buffers (megabytes per connection).
            return Map.of("corral.limits.watched-paths-per-session", Integer.toString(PATHS_PER_SESSION),
                    "corral.limits.sessions-per-address", Integer.toString(SESSIONS_PER_ADDRESS),
                    "corral.limits.stream-buffer-bytes", Integer.toString(STREAM_BUFFER_BYTES),
                    "corral-test.send-buffer-bytes", "8192");
        }
    }

    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    @Test
    void aSessionWatchesAtMostItsQuotaOfPathsAndGetsRoomBackWhenItRemovesOne() {
        String session = openSession(30_000);
        String base = uniquePath("quota");
        create(base);
        for (int i = 0; i < PATHS_PER_SESSION; i++) {
            Response r = as(session, Map.of("path", base + "/w" + i)).post("/v1/sessions/" + session + "/watches");
            assertEquals(201, r.statusCode(), r::asString);
        }
        // Another kind of watch on a path already watched costs nothing more.
        Response again = as(session).queryParam("watch", true).queryParam("session", session).get("/v1/nodes" + base + "/w0");
        assertTrue(again.statusCode() == 404, again::asString);
        RestSupport.assertBadArguments(as(session, Map.of("path", base + "/one-too-many")).post("/v1/sessions/" + session + "/watches"));
        RestSupport.assertBadArguments(as(session).queryParam("watch", true).queryParam("session", session).queryParam("exists", true)
                .get("/v1/nodes" + base + "/one-too-many"));
        assertEquals(204, as(session).queryParam("path", base + "/w1").delete("/v1/sessions/" + session + "/watches").statusCode());
        assertEquals(201, as(session, Map.of("path", base + "/now-there-is-room")).post("/v1/sessions/" + session + "/watches").statusCode());
        RestSupport.closeSession(session);
    }

    @Test
    void oneAddressHoldsAtMostItsQuotaOfOpenSessions() {
        List<String> sessions = new ArrayList<>();
        try {
            while (sessions.size() < SESSIONS_PER_ADDRESS + 1) {
                Response r = fromLoopback().body(Map.of("timeoutMs", 40_000)).post("/v1/sessions");
                if (r.statusCode() == 429) {
                    assertEquals("THROTTLED_OP", r.jsonPath().getString("code"), r::asString);
                    break;
                }
                assertEquals(201, r.statusCode(), r::asString);
                sessions.add(r.jsonPath().getString("id"));
                RestSupport.rememberSecret(r.jsonPath().getString("id"), r.jsonPath().getString("secret"));
            }
            assertEquals(SESSIONS_PER_ADDRESS, sessions.size(), "sessions opened before the refusal");
            RestSupport.closeSession(sessions.removeFirst());
            Response after = fromLoopback().body(Map.of("timeoutMs", 40_000)).post("/v1/sessions");
            assertEquals(201, after.statusCode(), "a closed session's slot is free again: " + after.asString());
            RestSupport.rememberSecret(after.jsonPath().getString("id"), after.jsonPath().getString("secret"));
            sessions.add(after.jsonPath().getString("id"));
        } finally {
            sessions.forEach(RestClientLimitsTest::closeIfOpen);
        }
    }

    /**
     * Thirty event streams that never read, while their sessions are flooded with events: the node disconnects them
     * rather than buffering, and the heap left after a full GC, with the network buffers, stays within a fixed bound
     * throughout. Before streams were bounded in bytes, each could queue 10,000 unwritten events.
     */
    @Test
    void streamsThatNeverReadAreDisconnectedAndHeapStaysBounded() throws Exception {
        int streams = 30;
        String base = uniquePath("flood");
        create(base);
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 10; i++) targets.add(create(base + "/n" + i).getString("path"));
        List<String> sessions = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try {
            for (int i = 0; i < streams; i++) {
                String s = openSession(40_000);
                sessions.add(s);
                assertEquals(201, as(s, Map.of("path", base, "mode", "persistent_recursive")).post("/v1/sessions/" + s + "/watches").statusCode());
                sockets.add(neverReadingStream(s));
                // Setting up thirty streams can outlast a session timeout on a slow machine.
                for (String alive : sessions) as(alive).post("/v1/sessions/" + alive + "/keepalive");
            }
            long baseline = heapAfterGc(memory);
            long peak = 0;
            for (int round = 0; round < 25; round++) {
                List<Map<String, Object>> ops = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    ops.add(Map.of("op", "set", "path", targets.get(i % targets.size()), "data", b64("round " + round + " op " + i)));
                }
                Response r = json(Map.of("ops", ops)).post("/v1/multi");
                assertEquals(200, r.statusCode(), r::asString);
                peak = Math.max(peak, heapAfterGc(memory) - baseline);
                // The streams do not read, so the sessions need heartbeats of their own on a slow machine.
                for (String s : sessions) as(s).post("/v1/sessions/" + s + "/keepalive");
            }
            System.out.printf("RestClientLimitsTest: heap after GC and network buffers grew by at most %.1f MiB with %d streams not reading%n", peak / 1048576.0, streams);
            // 30 streams of 16 KiB each, plus the sessions' journals (1,000 events each): a few MiB. Unbounded
            // buffering of 25,000 events per stream would be hundreds.
            long bound = 48L << 20;
            assertTrue(peak < bound, "memory held after GC grew by " + (peak >> 20) + " MiB while streams did not read (bound " + (bound >> 20) + " MiB)");
            for (int i = 0; i < sockets.size(); i++) {
                // Kept alive, so that what closes the stream is the node cutting off a slow reader, not the session expiring.
                as(sessions.get(i)).post("/v1/sessions/" + sessions.get(i) + "/keepalive");
                long[] drained = new long[1];
                boolean closed = closedByServer(sockets.get(i), drained);
                assertTrue(closed, "stream " + i + " of " + sockets.size() + ", which never read, was not disconnected; " + drained[0]
                        + " bytes were waiting for it");
            }
            // The sessions are intact: a slow reader loses its connection, not its events or its session.
            for (String s : sessions) assertEquals(200, as(s).get("/v1/sessions/" + s).statusCode());
        } finally {
            for (Socket socket : sockets) socket.close();
            sessions.forEach(RestClientLimitsTest::closeIfOpen);
        }
    }

    /** Requests from one address: "localhost" may reach the node from ::1 or 127.0.0.1, which count separately. */
    private static io.restassured.specification.RequestSpecification fromLoopback() {
        return json().baseUri("http://127.0.0.1");
    }

    /** Cleanup that must not hide a test's own failure: a session may already have expired on a slow machine. */
    private static void closeIfOpen(String session) {
        as(session).delete("/v1/sessions/" + session);
    }

    /**
     * Heap after a full GC plus the direct memory of the network layer's pooled buffers, where bytes queued for a
     * connection wait (they never show on the heap).
     */
    private static long heapAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed() + io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory()
                + io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().usedHeapMemory();
    }

    /**
     * Opens the session's event stream on a raw socket with a small receive buffer, reads the answer's headers (it must
     * be a stream, not an error), and never reads again.
     */
    private static Socket neverReadingStream(String session) throws IOException {
        Socket socket = new Socket();
        // Not smaller: a receive window far below the loopback MSS (64 KiB) makes the sender wait for its persist timer,
        // which backs off to minutes, and the data and the close the node sends would arrive only after the test gave
        // up. What the streams are sent (megabytes each) still far exceeds the kernel buffers on both sides.
        socket.setReceiveBufferSize(256 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v1/sessions/" + session + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + RestSupport.SECRET_HEADER + ": " + RestSupport.secretOf(session) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) break;
            head.append((char) c);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 200"), "the event stream of " + session + " answered: " + head);
        return socket;
    }

    /** Drains what the socket holds and reports whether the server closed the connection (within a deadline). */
    private static boolean closedByServer(Socket socket, long[] drained) throws IOException {
        socket.setSoTimeout(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[1 << 16];
        while (System.nanoTime() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) return true;
                drained[0] += n;
            } catch (SocketTimeoutException e) {
                // Nothing more yet; the connection is still open. Keep draining until the deadline.
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }
}
