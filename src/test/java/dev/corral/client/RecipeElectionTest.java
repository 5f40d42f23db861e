package dev.corral.client;

import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.client.recipes.LeaderElection;
import dev.corral.client.recipes.LeadershipListener;
import dev.corral.client.recipes.RenewingClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leader election: exactly one of several candidates leads, the listener hears it, and the next takes over when the
 * leader resigns or its session is killed; the old leader is told, and with a renewing client it stands again.
 */
@QuarkusTest
class RecipeElectionTest {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void ready() {
        ClientTests.awaitReady();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    /** Counts what a candidate's listener heard, and checks that becoming and losing alternate. */
    static class Role implements LeadershipListener {
        final AtomicInteger became = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        final AtomicInteger outOfOrder = new AtomicInteger();

        @Override
        public void becameLeader() {
            if (became.incrementAndGet() != lost.get() + 1) outOfOrder.incrementAndGet();
        }

        @Override
        public void lostLeadership() {
            if (lost.incrementAndGet() != became.get()) outOfOrder.incrementAndGet();
        }

        boolean leads() {
            return became.get() == lost.get() + 1;
        }
    }

    private CorralClient client() {
        CorralClient c = ClientTests.client();
        closing.add(c);
        return c;
    }

    private static List<LeaderElection> leaders(List<LeaderElection> candidates) {
        return candidates.stream().filter(LeaderElection::isLeader).toList();
    }

    @Test
    void exactlyOneLeadsAndTheNextTakesOverEachTimeTheLeaderResigns() {
        String base = uniquePath("election");
        List<LeaderElection> candidates = new ArrayList<>();
        List<Role> roles = new ArrayList<>();
        AtomicInteger leadingNow = new AtomicInteger();
        AtomicInteger mostLeading = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            Role role = new Role() {
                @Override
                public void becameLeader() {
                    mostLeading.accumulateAndGet(leadingNow.incrementAndGet(), Math::max);
                    super.becameLeader();
                }

                @Override
                public void lostLeadership() {
                    leadingNow.decrementAndGet();
                    super.lostLeadership();
                }
            };
            LeaderElection e = new LeaderElection(client(), base, "candidate-" + i, role);
            closing.add(e);
            candidates.add(e);
            roles.add(role);
            e.start();
        }
        CorralClient observer = client();
        List<String> resigned = new ArrayList<>();
        for (int round = 0; round < candidates.size(); round++) {
            ClientTests.await("one leader", ClientTests.DEADLINE, () -> leaders(candidates).size() == 1
                    && roles.stream().filter(Role::leads).count() == 1);
            LeaderElection leader = leaders(candidates).getFirst();
            Role role = roles.get(candidates.indexOf(leader));
            assertEquals(Optional.of(leader.candidateId()), leader.currentLeader(), "the leader is the first candidate");
            assertFalse(resigned.contains(leader.candidateId()));
            leader.close();
            resigned.add(leader.candidateId());
            assertFalse(leader.isLeader());
            ClientTests.await("the resigned leader to hear it", ClientTests.DEADLINE, () -> !role.leads());
            assertEquals(candidates.size() - round - 1, observer.getChildren(base).names().size(), "its znode is gone");
        }
        assertEquals(List.of(), observer.getChildren(base).names(), "no candidate left");
        assertEquals(1, mostLeading.get(), "candidates that believed they led at once, as their listeners heard");
        for (Role r : roles) {
            assertEquals(1, r.became.get(), "each led once");
            assertEquals(0, r.outOfOrder.get());
        }
    }

    @Test
    void whenTheLeadersSessionIsKilledItIsToldAndTheNextLeadsAndItStandsAgainWithAFreshSession() {
        String base = uniquePath("election-expiry");
        RenewingClient renewing = new RenewingClient(ClientTests::client);
        closing.add(renewing);
        Role firstRole = new Role();
        LeaderElection first = new LeaderElection(renewing, base, "first", firstRole);
        closing.add(first);
        first.start();
        ClientTests.await("the first to lead", ClientTests.DEADLINE, first::isLeader);
        Role secondRole = new Role();
        LeaderElection second = new LeaderElection(client(), base, "second", secondRole);
        closing.add(second);
        second.start();
        ClientTests.await("the second to stand", ClientTests.DEADLINE, () -> client().getChildren(base).names().size() == 2);
        assertFalse(second.isLeader());

        CorralClient before = renewing.get();
        RecipeTests.killSession(before);
        ClientTests.await("the second to lead", ClientTests.DEADLINE, () -> second.isLeader() && secondRole.leads());
        ClientTests.await("the first to hear it lost", ClientTests.DEADLINE, () -> !firstRole.leads());
        assertFalse(first.isLeader());
        ClientTests.await("the first to stand again with a new session", ClientTests.DEADLINE,
                () -> renewing.clientsCreated() == 2 && client().getChildren(base).names().size() == 2);
        assertEquals(Optional.of("second"), first.currentLeader());
        assertFalse(first.isLeader(), "standing again, behind the second");

        second.close();
        ClientTests.await("the first to lead again", ClientTests.DEADLINE, () -> first.isLeader() && firstRole.leads());
        assertEquals(2, firstRole.became.get());
        assertEquals(0, firstRole.outOfOrder.get() + secondRole.outOfOrder.get());
        assertTrue(before != renewing.get());
    }

    @Test
    void aLeaderCutOffFromTheClusterStopsLeadingAtOnceAndLeadsAgainOnceBackWithItsSession() {
        String base = uniquePath("election-cut");
        try (TcpProxy proxy = TcpProxy.start(ClientTests.port())) {
            // Retries for minutes: leadership must be dropped when the client loses touch, not when a request gives up.
            CorralClient c = CorralClient.builder().servers(proxy.url()).sessionTimeout(Duration.ofSeconds(30))
                    .retryPolicy(RetryPolicy.exponential(1000, Duration.ofMillis(100), Duration.ofMillis(500))).build();
            closing.add(c);
            Role role = new Role();
            LeaderElection leader = new LeaderElection(c, base, "cut", role);
            closing.add(leader);
            leader.start();
            ClientTests.await("it to lead", ClientTests.DEADLINE, () -> leader.isLeader() && role.leads());

            long cut = System.nanoTime();
            proxy.stop();
            ClientTests.await("it to stop leading", ClientTests.DEADLINE, () -> !leader.isLeader() && !role.leads());
            assertTrue(System.nanoTime() - cut < Duration.ofSeconds(10).toNanos(), "told well before its 30 s session could expire");
            assertEquals(Optional.of("cut"), new LeaderElection(client(), base, "observer", role).currentLeader(),
                    "its znode is still first: nobody else may lead while its session may live");

            proxy.restart();
            ClientTests.await("it to lead again", ClientTests.DEADLINE, () -> leader.isLeader() && role.leads());
            assertEquals(2, role.became.get());
            assertEquals(0, role.outOfOrder.get());
            leader.close();
            c.close();
        }
    }
}
