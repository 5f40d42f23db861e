package dev.corral.client;

import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.client.recipes.Barrier;
import dev.corral.client.recipes.DoubleBarrier;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Barriers: a barrier holds its waiters until it is removed; a double barrier lets nobody in until all participants
 * have entered and nobody out until all have left, and leaves its path clean for another round.
 */
@QuarkusTest
class RecipeBarrierTest {
    private static final int PARTICIPANTS = 3;
    private final List<CorralClient> clients = new ArrayList<>();

    @BeforeEach
    void ready() {
        ClientTests.awaitReady();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(CorralClient::close);
    }

    private CorralClient client() {
        CorralClient c = ClientTests.client();
        clients.add(c);
        return c;
    }

    @Test
    void aBarrierHoldsItsWaitersUntilItIsRemoved() throws Exception {
        String path = uniquePath("barrier");
        Barrier coordinator = new Barrier(client(), path);
        assertTrue(coordinator.await(Duration.ofSeconds(20)), "a barrier never set lets through");
        coordinator.set();
        coordinator.set();
        assertTrue(coordinator.isSet());
        List<Future<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Barrier b = new Barrier(client(), path);
            waiters.add(RecipeTests.inThread(() -> b.await(ClientTests.DEADLINE)));
        }
        assertFalse(new Barrier(client(), path).await(Duration.ofMillis(300)), "held while set");
        for (Future<Boolean> w : waiters) assertFalse(w.isDone());
        coordinator.remove();
        for (Future<Boolean> w : waiters) assertTrue(RecipeTests.get(w), "let through once removed");
        assertFalse(coordinator.isSet());
        coordinator.remove();
    }

    @Test
    void aDoubleBarrierLetsNobodyInBeforeAllEnteredNorOutBeforeAllLeft() throws Exception {
        String path = uniquePath("double");
        CorralClient observer = client();
        assertFalse(new DoubleBarrier(client(), path, "alone", 2).enter(Duration.ofMillis(300)), "one of two cannot enter");
        assertEquals(List.of(), observer.getChildren(path).names(), "a participant that timed out withdrew");

        AtomicInteger entering = new AtomicInteger();
        AtomicInteger leaving = new AtomicInteger();
        AtomicInteger early = new AtomicInteger();
        List<DoubleBarrier> participants = new ArrayList<>();
        for (int i = 0; i < PARTICIPANTS; i++) participants.add(new DoubleBarrier(client(), path, "p" + i, PARTICIPANTS));
        List<Future<Void>> runs = new ArrayList<>();
        for (int i = 0; i < PARTICIPANTS; i++) {
            DoubleBarrier p = participants.get(i);
            boolean last = i == PARTICIPANTS - 1;
            if (last) {
                // The last comes once the others are in and waiting.
                ClientTests.await("the others to enter", ClientTests.DEADLINE,
                        () -> observer.getChildren(path).names().size() == PARTICIPANTS - 1);
            }
            runs.add(RecipeTests.inThread(() -> {
                entering.incrementAndGet();
                assertTrue(p.enter(ClientTests.DEADLINE));
                if (entering.get() != PARTICIPANTS) early.incrementAndGet();
                if (last) {
                    // Leaves last, once the others are waiting to leave.
                    ClientTests.await("the others to leave", ClientTests.DEADLINE, () -> leaving.get() == PARTICIPANTS - 1);
                }
                leaving.incrementAndGet();
                assertTrue(p.leave(ClientTests.DEADLINE));
                if (leaving.get() != PARTICIPANTS) early.incrementAndGet();
                return null;
            }));
        }
        for (Future<Void> r : runs) RecipeTests.get(r);
        assertEquals(0, early.get(), "participants got through before all had entered, or out before all had left");
        assertEquals(List.of(), observer.getChildren(path).names(), "the barrier's path is clean for another round");
    }
}
