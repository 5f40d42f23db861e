package dev.corral.api;

import static dev.corral.api.RestSupport.as;
import static dev.corral.api.RestSupport.b64;
import static dev.corral.api.RestSupport.basic;
import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.json;
import static dev.corral.api.RestSupport.openSession;
import static dev.corral.api.RestSupport.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches over REST never reveal what an ACL hides (the class of ZooKeeper's CVE-2024-23944): an anonymous session
 * watching everything learns nothing about znodes under an ACL only alice passes, live or replayed, while alice's
 * own session, with the same watches, sees every change.
 */
@QuarkusTest
class RestWatchAclTest {
    private static final String ALICE = basic("alice", "wonderland");

    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    private static void watch(String session, String authorization, String path, String mode) {
        var spec = as(session, Map.of("path", path, "mode", mode));
        if (authorization != null) spec = spec.header("Authorization", authorization);
        Response r = spec.post("/v1/sessions/" + session + "/watches");
        assertEquals(201, r.statusCode(), r::asString);
    }

    private static void aliceWrites(String method, String path, Map<String, ?> body) {
        var spec = json(body).header("Authorization", ALICE);
        Response r = switch (method) {
            case "POST" -> spec.post("/v1/nodes" + path);
            case "PUT" -> spec.put("/v1/nodes" + path);
            default -> spec.delete("/v1/nodes" + path);
        };
        assertEquals(method.equals("POST") ? 201 : method.equals("PUT") ? 200 : 204, r.statusCode(), r::asString);
    }

    @Test
    void anAnonymousWatcherLearnsNothingOfAnAuthOnlyZnodeLiveOrOnReplay() {
        String parent = uniquePath("hidden");
        long before = create(parent).getLong("stat.czxid");
        String secret = parent + "/secret";
        String anonymous = openSession(30_000);
        String alice = openSession(30_000);
        for (String session : List.of(anonymous, alice)) {
            String auth = session.equals(alice) ? ALICE : null;
            watch(session, auth, "/", "persistent_recursive");
            watch(session, auth, secret, "persistent");
            // One-shot watches, left by reads that need no permission.
            var exists = as(session).queryParam("exists", true).queryParam("watch", true).queryParam("session", session);
            if (auth != null) exists = exists.header("Authorization", auth);
            assertEquals(200, exists.get("/v1/nodes" + secret).statusCode());
        }
        String sentinel = parent + "/sentinel";
        try (SseClient anon = SseClient.open(anonymous); SseClient owner = SseClient.open(alice)) {
            aliceWrites("POST", secret, Map.of("data", b64("s1"), "acl", List.of(Map.of("scheme", "auth", "id", "", "perms", "cdrwa"))));
            aliceWrites("PUT", secret, Map.of("data", b64("s2")));
            aliceWrites("POST", secret + "/inner", Map.of("acl", List.of(Map.of("scheme", "auth", "id", "", "perms", "cdrwa"))));
            aliceWrites("DELETE", secret + "/inner", Map.of());
            aliceWrites("DELETE", secret, Map.of());
            create(sentinel);

            // Events arrive in zxid order, so the first event the anonymous stream gets after all that is the sentinel's.
            SseClient.Event first = anon.nextWatch("NodeCreated", sentinel);
            List<String> ownerSaw = new ArrayList<>();
            while (true) {
                SseClient.Event e = owner.next();
                ownerSaw.add(e.json().getString("type") + " " + e.json().getString("path"));
                if (e.json().getString("path").equals(sentinel)) break;
            }
            assertEquals(List.of("NodeCreated " + secret, "NodeDataChanged " + secret, "NodeCreated " + secret + "/inner",
                    "NodeChildrenChanged " + secret, "NodeDeleted " + secret + "/inner", "NodeChildrenChanged " + secret,
                    "NodeDeleted " + secret, "NodeCreated " + sentinel), ownerSaw);

            // The journal a resumed stream replays from holds nothing hidden either.
            anon.close();
            try (SseClient replay = SseClient.open(anonymous, Long.toString(before))) {
                assertEquals(first.id(), replay.nextWatch("NodeCreated", sentinel).id());
            }
        }
        RestSupport.closeSession(anonymous);
        RestSupport.closeSession(alice);
    }
}
