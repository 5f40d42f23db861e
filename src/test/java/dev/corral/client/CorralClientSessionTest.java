package dev.corral.client;

import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's session: opened on first need, kept alive by heartbeats past its timeout, ended by the cluster
 * (EXPIRED, and SessionExpiredException for calls that need it) or by the client (CLOSED, its ephemerals gone).
 */
@QuarkusTest
class CorralClientSessionTest {
    /** The cluster's minimum session timeout (corral.session.min-timeout). */
    private static final Duration MIN_TIMEOUT = Duration.ofSeconds(4);
    private CorralClient observer;

    @BeforeEach
    void connect() {
        ClientTests.awaitReady();
        observer = ClientTests.client();
    }

    @AfterEach
    void disconnect() {
        observer.close();
    }

    @Test
    void heartbeatsKeepAnEphemeralAliveWellPastTheSessionTimeout() {
        ClientTests.States states = new ClientTests.States();
        try (CorralClient client = CorralClient.builder().servers(ClientTests.url()).sessionTimeout(Duration.ofSeconds(1))
                .sessionListener(states).build()) {
            assertNull(client.sessionState(), "no session before one is needed");
            String path = client.create(uniquePath("alive"), null, CreateMode.EPHEMERAL).path();
            states.next(SessionState.CONNECTED);
            Session session = client.session();
            assertEquals(MIN_TIMEOUT, session.timeout(), "the cluster raised the timeout asked for to its minimum");
            assertTrue(session.id().matches("[0-9a-f]{16}"), session.id());
            assertTrue(session.toString().indexOf(session.secret()) < 0, "the secret stays out of toString");
            // Without heartbeats the session would expire after 4 s, and the ephemeral with it.
            long until = System.nanoTime() + MIN_TIMEOUT.multipliedBy(5).dividedBy(2).toNanos();
            while (System.nanoTime() - until < 0) {
                Stat stat = observer.exists(path);
                assertNotNull(stat, "the ephemeral of a heartbeating session disappeared");
                assertEquals(session.idNumber(), stat.ephemeralOwner());
                ClientTests.pause();
            }
            assertEquals(SessionState.CONNECTED, client.sessionState());
        }
        states.next(SessionState.CLOSED);
    }

    @Test
    void closingTheClientClosesTheSessionAndItsEphemeralsGoAtOnce() {
        ClientTests.States states = new ClientTests.States();
        String path;
        CorralClient client = CorralClient.builder().servers(ClientTests.url()).sessionListener(states).build();
        try (client) {
            path = client.create(uniquePath("closing"), null, CreateMode.EPHEMERAL_SEQUENTIAL).path();
            assertNotNull(observer.exists(path));
        }
        states.next(SessionState.CONNECTED);
        states.next(SessionState.CLOSED);
        assertEquals(SessionState.CLOSED, client.sessionState());
        assertNull(observer.exists(path), "closing the session deleted its ephemeral");
        assertThrows(CorralException.class, () -> client.getData("/"));
    }

    @Test
    void aSessionEndedElsewhereExpiresHereAndCallsThatNeedItFailWithSessionExpired() {
        ClientTests.States states = new ClientTests.States();
        try (CorralClient client = CorralClient.builder().servers(ClientTests.url()).sessionListener(states).build()) {
            String parent = uniquePath("expired");
            client.create(parent, null);
            Session session = client.session();
            String eph = client.create(parent + "/eph", null, CreateMode.EPHEMERAL).path();
            states.next(SessionState.CONNECTED);
            // Someone holding the secret ends the session, as the cluster does when heartbeats stop.
            assertEquals(204, ClientTests.raw("DELETE", "/v1/sessions/" + session.id(), null, session.secret()).status());
            states.next(SessionState.EXPIRED);
            assertEquals(SessionState.EXPIRED, client.sessionState());
            assertNull(observer.exists(eph));
            CorralException.SessionExpiredException e = assertThrows(CorralException.SessionExpiredException.class,
                    () -> client.create(parent + "/again", null, CreateMode.EPHEMERAL));
            assertEquals(ErrorCode.SESSION_EXPIRED, e.code());
            assertThrows(CorralException.SessionExpiredException.class, () -> client.getData(parent, event -> { }));
            assertThrows(CorralException.SessionExpiredException.class, client::session);
            // What needs no session goes on working.
            assertNotNull(client.exists(parent));
            client.delete(parent);
        }
    }

    @Test
    void theServerSaysExpiredWhenTheClientHasNotHeardYet() {
        try (CorralClient client = ClientTests.client()) {
            Session session = client.session();
            assertSame(session, client.session(), "one session per client");
            String path = uniquePath("told");
            client.create(path, null);
            // Closed around the client, and the client asked before its event stream told it.
            assertEquals(204, ClientTests.raw("DELETE", "/v1/sessions/" + session.id(), null, session.secret()).status());
            assertThrows(CorralException.SessionExpiredException.class, () -> client.addWatch(path, WatchMode.PERSISTENT, event -> { }));
            ClientTests.await("the client to take the session as expired", ClientTests.DEADLINE,
                    () -> client.sessionState() == SessionState.EXPIRED);
        }
    }
}
