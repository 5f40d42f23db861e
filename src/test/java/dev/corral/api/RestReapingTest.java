package dev.corral.api;

import static dev.corral.api.RestSupport.create;
import static dev.corral.api.RestSupport.uniquePath;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader removes TTL znodes once their TTL has passed without a change and they have no children, and
 * containers once their last child is gone (but never one that never had a child). The test profile reaps
 * every 100 ms.
 */
@QuarkusTest
class RestReapingTest {
    private static final Duration GONE_DEADLINE = Duration.ofSeconds(10);

    @BeforeEach
    void ready() {
        RestSupport.awaitReady();
    }

    /** Long enough for the reaper to have run several times. */
    private static Duration severalReapIntervals() {
        Duration interval = ConfigProvider.getConfig().getOptionalValue("corral.raft.reap-interval", Duration.class)
                .orElse(Duration.ofSeconds(1));
        return interval.multipliedBy(8);
    }

    /** Asserts that the znode stays for {@code window}: a bounded observation, not a synchronisation. */
    private static void assertStays(String path, Duration window) {
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() - end < 0) {
            assertEquals(200, RestSupport.status(path), () -> path + " was removed too early");
            RestSupport.pause();
        }
    }

    private static void awaitGone(String path) {
        RestSupport.await(path + " to be removed", GONE_DEADLINE, () -> RestSupport.status(path) == 404);
    }

    @Test
    void ttlZnodeDisappearsAfterItsTtlOnceItHasNoChildren() {
        long ttlMs = 300;
        String path = uniquePath("ttl");
        long created = System.nanoTime();
        create(path, Map.of("mode", "persistent_ttl", "ttl", ttlMs));
        create(path + "/child");
        // Past its TTL, the child keeps it.
        assertStays(path, Duration.ofMillis(ttlMs).plus(severalReapIntervals()));
        assertEquals(204, given().delete("/v1/nodes" + path + "/child").statusCode());
        awaitGone(path);
        assertTrue(System.nanoTime() - created >= Duration.ofMillis(ttlMs).toNanos(), "removed before its TTL");
    }

    @Test
    void sequentialTtlZnodeDisappearsToo() {
        String parent = uniquePath("seqttl");
        create(parent);
        String path = create(parent + "/t-", Map.of("mode", "persistent_sequential_ttl", "ttl", 200)).getString("path");
        awaitGone(path);
        assertEquals(200, RestSupport.status(parent), "only the TTL znode goes");
    }

    @Test
    void containerDisappearsAfterItsLastChildIsDeletedButNotBeforeItHadOne() {
        String path = uniquePath("container");
        create(path, Map.of("mode", "container"));
        assertStays(path, severalReapIntervals());
        create(path + "/a");
        create(path + "/b");
        assertEquals(204, given().delete("/v1/nodes" + path + "/a").statusCode());
        assertStays(path, severalReapIntervals());
        assertEquals(204, given().delete("/v1/nodes" + path + "/b").statusCode());
        awaitGone(path);
    }
}
