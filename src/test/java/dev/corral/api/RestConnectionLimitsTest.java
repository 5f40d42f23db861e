package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connection limits, with small ones so that raw sockets reach them: per client address (each test uses its
 * own loopback addresses, 127.0.0.x, which Linux routes to the node like 127.0.0.1) and in total.
 * Only raw sockets talk to this application, so that no pooled client connection skews the counts.
 */
@QuarkusTest
@TestProfile(RestConnectionLimitsTest.SmallLimits.class)
class RestConnectionLimitsTest {
    static final int PER_ADDRESS = 3;
    static final int TOTAL = 8;

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("corral.limits.connections-per-address-max", Integer.toString(PER_ADDRESS),
                    "corral.limits.connections-max", Integer.toString(TOTAL));
        }
    }

    /** A read to send on a connection (built once the test knows the node's port). */
    private byte[] cluster;

    @BeforeEach
    void ready() {
        cluster = RawHttp.request("GET", "/v1/cluster", Map.of(), null);
        RestSupport.await("the node to become ready", RestSupport.READY_DEADLINE,
                () -> RawHttp.send("GET", "/q/health/ready", Map.of("Connection", "close"), (byte[]) null).status() == 200);
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreRefusedWithJsonAndClosed() {
        String address = "127.0.0.2";
        List<RawHttp> open = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                RawHttp c = RawHttp.connect(address);
                open.add(c);
                assertEquals(200, c.exchange(cluster).status(), "connection " + (i + 1) + " is within the limit");
            }
            try (RawHttp extra = RawHttp.connect(address)) {
                RawHttp.Reply r = extra.exchange(cluster);
                assertEquals(503, r.status(), r::body);
                assertEquals("THROTTLED_OP", r.json().getString("code"), r::body);
                assertTrue(r.json().getString("message").contains(address), r::body);
                assertEquals("close", r.header("Connection"));
                assertTrue(extra.closedByServer());
            }
            // Other addresses are not affected, and connections within the limit keep working.
            try (RawHttp other = RawHttp.connect("127.0.0.3")) {
                assertEquals(200, other.exchange(cluster).status());
            }
            assertEquals(200, open.get(0).exchange(cluster).status());
            // A closed connection frees its place (the server learns of the close a moment later).
            open.remove(0).close();
            RestSupport.await("a place for " + address + " after a close", RestSupport.READY_DEADLINE, () -> {
                try (RawHttp again = RawHttp.connect(address)) {
                    return again.exchange(cluster).status() == 200;
                }
            });
        } finally {
            open.forEach(RawHttp::close);
        }
    }

    @Test
    void connectionsBeyondTheTotalAreClosedBeforeAnyRequest() {
        List<RawHttp> open = new ArrayList<>();
        try {
            int served = 0;
            RawHttp.Reply refused = null;
            // Each from its own address, so that only the total can stop them.
            for (int i = 0; i < TOTAL + 2 && refused == null; i++) {
                RawHttp c = RawHttp.connect("127.0.1." + (i + 1));
                open.add(c);
                RawHttp.Reply r = c.exchange(cluster);
                if (r.status() == 200) served++;
                else refused = r;
            }
            int servedBefore = served;
            assertTrue(refused != null, () -> "all " + servedBefore + " connections were served; the total is " + TOTAL);
            assertEquals(-1, refused.status(), "the connection is closed without an answer");
            // Connections of the readiness probe may still be counted for a moment: at least half are this test's.
            assertTrue(served <= TOTAL && served >= TOTAL / 2, "served " + served + " of at most " + TOTAL);
            open.remove(open.size() - 1).close();
            open.remove(0).close();
            RestSupport.await("a place after a close", RestSupport.READY_DEADLINE, () -> {
                try (RawHttp again = RawHttp.connect("127.0.2.1")) {
                    return again.exchange(cluster).status() == 200;
                }
            });
        } finally {
            open.forEach(RawHttp::close);
        }
    }
}
