package dev.corral.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests that used to take a node down, sent to the packaged node: an ACL too large for the log's codec (which
 * was committed and then stopped the node at every start), a multi-read of 10,000 copies of a 1 MiB znode (out of
 * memory), the children of a 100,000-child directory, a 1,000,000-character name and a 5,000-deep multi. Each is
 * refused with a 4xx JSON error or answered within its bound, the node keeps serving, and it restarts on its data.
 */
class HostileRequestsIT {
    @TempDir
    Path dir;

    private static final int RESPONSE_BYTES = 1 << 20;

    @Test
    void requestsThatUsedToStopTheNodeAreRefusedAndTheNodeServesAndRestarts() throws Exception {
        Map<String, String> env = NodeProcess.env("CORRAL_LIMITS_RESPONSE_BYTES", Integer.toString(RESPONSE_BYTES));
        long childrenBefore;
        try (NodeProcess node = NodeProcess.startReady(dir.resolve("data"), CrashRecoveryIT.logFile("HostileRequestsIT.log"), env)) {
            expect(201, node.post("/v1/nodes/hostile", "{}"));

            // 65,537 distinct ip entries plus world:anyone: once accepted, committed and unreadable by the codec.
            StringJoiner acl = new StringJoiner(",", "[", "]");
            for (int i = 0; i < 65_537; i++) acl.add("{\"scheme\":\"ip\",\"id\":\"10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255) + "\",\"perms\":1}");
            acl.add("{\"scheme\":\"world\",\"id\":\"anyone\",\"perms\":31}");
            refused(node.post("/v1/nodes/hostile/poison", "{\"acl\":" + acl + "}"), "create with a 65,538-entry ACL");
            refused(node.put("/v1/acls/hostile", "{\"acl\":" + acl + "}"), "setACL with a 65,538-entry ACL");

            // 10,000 reads of a 1 MiB znode: an answer of 14 GB, refused before it is built.
            byte[] mib = new byte[1 << 20];
            expect(201, node.post("/v1/nodes/hostile/big", "{\"data\":\"" + Base64.getEncoder().encodeToString(mib) + "\"}"));
            StringJoiner reads = new StringJoiner(",", "{\"ops\":[", "]}");
            for (int i = 0; i < 10_000; i++) reads.add("{\"op\":\"get\",\"path\":\"/hostile/big\"}");
            refused(node.post("/v1/multi-read", reads.toString()), "multi-read of 10,000 x 1 MiB");

            // 100,000 children: the whole listing is larger than the node's bound, so it is refused; pages work.
            expect(201, node.post("/v1/nodes/hostile/dir", "{}"));
            for (int batch = 0; batch < 10; batch++) {
                StringJoiner creates = new StringJoiner(",", "{\"ops\":[", "]}");
                for (int i = 0; i < 10_000; i++) creates.add("{\"op\":\"create\",\"path\":\"/hostile/dir/child-" + (batch * 10_000 + i) + "\"}");
                expect(200, node.post("/v1/multi", creates.toString()));
            }
            refused(node.get("/v1/nodes/hostile/dir?children=true"), "listing 100,000 children in one answer");
            int listed = 0;
            String after = null;
            while (true) {
                NodeProcess.Reply page = expect(200, node.get("/v1/nodes/hostile/dir?children=true&limit=25000"
                        + (after == null ? "" : "&after=" + after)));
                listed += page.json().path("children").size();
                if (!page.json().has("next")) break;
                after = page.json().path("next").asText();
            }
            assertEquals(100_000, listed, "paging lists every child once");

            // A 1,000,000-character name, in the URL (too long a request line) and in a multi's body.
            String million = "n".repeat(1_000_000);
            // Far beyond the request-line limit, the HTTP parser itself refuses: a bare 414 or a closed connection (it stops
            // reading before there is a request to answer); the point is that the node refuses it and goes on.
            // Sent on a connection of its own, so that the client's pooled connections are not the one the node closes.
            String answer = rawStatusLine(node.httpPort, "POST /v1/nodes/hostile/" + million + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            assertTrue(answer.isEmpty() || answer.matches("HTTP/1\\.[01] 414 .*"), "a 1,000,000-character name in the URL: " + answer);
            refused(node.post("/v1/multi", "{\"ops\":[{\"op\":\"create\",\"path\":\"/hostile/" + million + "\"}]}"),
                    "a 1,000,000-character name in a multi");

            // A 5,000-deep multi: a chain of creates, refused at the first one past the depth limit, nothing applied.
            List<String> ops = new ArrayList<>();
            StringBuilder path = new StringBuilder("/hostile");
            for (int i = 0; i < 5_000; i++) ops.add("{\"op\":\"create\",\"path\":\"" + path.append("/d") + "\"}");
            NodeProcess.Reply deep = node.post("/v1/multi", "{\"ops\":[" + String.join(",", ops.subList(0, 1_001)) + "]}");
            refused(deep, "a multi building a chain deeper than the limit");
            assertEquals(999, deep.json().path("failedOp").asInt(), deep.body());
            refused(node.post("/v1/multi", "{\"ops\":[" + String.join(",", ops) + "]}"), "a 5,000-deep multi");
            assertEquals(404, node.get("/v1/nodes/hostile/d").status(), "a refused multi changed nothing");

            // Still serving.
            expect(201, node.post("/v1/nodes/hostile/after", "{\"data\":\"b2s=\"}"));
            childrenBefore = expect(200, node.get("/v1/nodes/hostile")).json().path("stat").path("numChildren").asLong();
            node.stop();
        }
        // And restartable: nothing unreadable was committed.
        try (NodeProcess node = NodeProcess.startReady(dir.resolve("data"), CrashRecoveryIT.logFile("HostileRequestsIT-restart.log"), env)) {
            assertEquals("b2s=", expect(200, node.get("/v1/nodes/hostile/after")).json().path("data").asText());
            assertEquals(childrenBefore, expect(200, node.get("/v1/nodes/hostile")).json().path("stat").path("numChildren").asLong());
            assertEquals(100_000, expect(200, node.get("/v1/nodes/hostile/dir")).json().path("stat").path("numChildren").asLong());
            assertEquals(1 << 20, expect(200, node.get("/v1/nodes/hostile/big")).json().path("stat").path("dataLength").asInt());
            assertEquals(404, node.get("/v1/nodes/hostile/poison").status());
        }
    }

    /** Sends {@code request} on a new connection; returns the answer's status line, or "" if the node closed it without one. */
    private static String rawStatusLine(int port, String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            try {
                socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (java.io.IOException closedWhileSending) {
                // The node may close the connection before the client has sent everything.
            }
            try {
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                        java.nio.charset.StandardCharsets.US_ASCII));
                String line = in.readLine();
                return line == null ? "" : line;
            } catch (java.net.SocketException reset) {
                return "";
            }
        }
    }

    private static NodeProcess.Reply expect(int status, NodeProcess.Reply r) {
        assertEquals(status, r.status(), r::body);
        return r;
    }

    /** A refusal is a 4xx with the contract's JSON error body, never a 5xx, a timeout or a dropped connection. */
    private static void refused(NodeProcess.Reply r, String what) {
        assertTrue(r.status() >= 400 && r.status() < 500, what + ": " + r.status() + " " + r.body().substring(0, Math.min(300, r.body().length())));
        assertTrue(!r.json().path("code").asText().isEmpty() && !r.json().path("message").asText().isEmpty(), what + ": " + r.body());
    }
}
