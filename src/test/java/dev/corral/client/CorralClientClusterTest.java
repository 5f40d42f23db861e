package dev.corral.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link CorralClient#cluster()} and {@link CorralClient#sessionInfo}, against the in-process node (a cluster of one). */
@QuarkusTest
class CorralClientClusterTest {
    private CorralClient client;

    @BeforeEach
    void connect() {
        ClientTests.awaitReady();
        client = ClientTests.client();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void clusterNamesTheLeaderItsTermAndEachMemberAsItReportsItself() {
        ClusterStatus c = client.cluster();
        assertEquals(1, c.leader());
        assertTrue(c.term() >= 1, c::toString);
        assertTrue(c.appliedZxid() >= 1, c::toString);
        assertEquals(1, c.members().size(), c::toString);
        ClusterStatus.Member m = c.members().getFirst();
        assertEquals(1, m.id());
        assertEquals("leader", m.role());
        assertTrue(m.self() && m.reachable(), m::toString);
        assertEquals(c.term(), m.term());
        assertEquals(Boolean.TRUE, m.ready());
        assertNotNull(m.appliedZxid());
        assertNull(client.sessionState(), "asking about the cluster opens no session");
    }

    @Test
    void sessionInfoDescribesAnySessionGivenItsSecret() {
        Session s;
        try (CorralClient owner = ClientTests.client()) {
            s = owner.session();
            SessionInfo info = client.sessionInfo(s.id(), s.secret());
            assertEquals(new SessionInfo(s.id(), s.timeout()), info);
            assertThrows(CorralException.AuthFailedException.class, () -> client.sessionInfo(s.id(), null));
            assertThrows(CorralException.AuthFailedException.class, () -> client.sessionInfo(s.id(), "0".repeat(32)));
            assertThrows(CorralException.BadArgumentsException.class, () -> client.sessionInfo("not-an-id", s.secret()));
        }
        assertThrows(CorralException.SessionExpiredException.class, () -> client.sessionInfo(s.id(), s.secret()));
        assertNull(client.sessionState(), "asking about a session opens none");
    }
}
