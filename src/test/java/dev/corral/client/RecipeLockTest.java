package dev.corral.client;

import static dev.corral.client.ClientTests.bytes;
import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.client.recipes.DistributedLock;
import dev.corral.client.recipes.LockLostException;
import dev.corral.client.recipes.LockState;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The distributed lock against the in-process node: several clients in contention never hold it together and lose no
 * guarded increment, fencing tokens grow from holder to holder, a timed attempt gives up its place, a holder whose
 * session ends is told it lost the lock while the next waiter gets it, a holder cut off is suspended and then holds it
 * again, a create whose answer is lost is found again rather than queued twice, and each waiter watches only the znode
 * before its own.
 */
@QuarkusTest
class RecipeLockTest {
    private static final int CLIENTS = 4;
    private static final int INCREMENTS = 6;
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
    void contendingClientsNeverOverlapLoseNoIncrementAndSeeGrowingFencingTokens() {
        String base = uniquePath("lock");
        String counter = base + "-counter";
        CorralClient setup = client();
        setup.create(counter, bytes("0"));
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger mostHolders = new AtomicInteger();
        List<Long> tokens = new ArrayList<>();
        List<Callable<Void>> contenders = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            CorralClient c = client();
            DistributedLock lock = new DistributedLock(c, base);
            contenders.add(() -> {
                for (int n = 0; n < INCREMENTS; n++) {
                    lock.lock();
                    try {
                        mostHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                        synchronized (tokens) {
                            tokens.add(lock.fencingToken());
                        }
                        // An unguarded read-modify-write: overlapping holders would lose increments.
                        int value = Integer.parseInt(c.getData(counter).text());
                        c.setData(counter, bytes(Integer.toString(value + 1)));
                        holders.decrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                }
                return null;
            });
        }
        RecipeTests.runAll(contenders);
        assertEquals(1, mostHolders.get(), "holders at once");
        assertEquals(Integer.toString(CLIENTS * INCREMENTS), setup.getData(counter).text(), "increments kept");
        assertEquals(CLIENTS * INCREMENTS, tokens.size());
        for (int i = 1; i < tokens.size(); i++) {
            assertTrue(tokens.get(i) > tokens.get(i - 1), "fencing tokens grow from holder to holder: " + tokens);
        }
        assertEquals(List.of(), setup.getChildren(base).names(), "every queue znode is gone");
    }

    @Test
    void tryLockGivesUpItsPlaceWhenTheTimeoutPassesAndIsNotReentrant() throws Exception {
        String base = uniquePath("trylock");
        DistributedLock holder = new DistributedLock(client(), base);
        CorralClient other = client();
        DistributedLock waiter = new DistributedLock(other, base);
        holder.lock();
        assertThrows(IllegalStateException.class, holder::lock, "not re-entrant");
        assertThrows(IllegalStateException.class, waiter::unlock, "not held");
        assertFalse(waiter.tryLock(Duration.ofMillis(300)), "held by another");
        assertEquals(1, other.getChildren(base).names().size(), "the waiter left the queue");
        holder.unlock();
        assertTrue(waiter.tryLock(Duration.ofSeconds(20)));
        assertTrue(waiter.isHeld());
        waiter.unlock();
        assertFalse(waiter.isHeld());
    }

    @Test
    void whenTheHoldersSessionEndsTheNextWaiterGetsTheLockAndTheHolderIsToldItLostIt() throws Exception {
        String base = uniquePath("expiry");
        CorralClient first = client();
        BlockingQueue<LockState> states = new LinkedBlockingQueue<>();
        DistributedLock holder = new DistributedLock(() -> first, base, states::add);
        DistributedLock waiter = new DistributedLock(client(), base);
        holder.lock();
        long lost = holder.fencingToken();
        Future<Long> next = RecipeTests.inThread(() -> {
            waiter.lock();
            return waiter.fencingToken();
        });
        ClientTests.await("the waiter to queue", ClientTests.DEADLINE, () -> first.getChildren(base).names().size() == 2);
        assertFalse(next.isDone(), "the waiter waits while the lock is held");

        RecipeTests.killSession(first);
        assertTrue(RecipeTests.get(next) > lost, "the next holder's token is greater");
        assertEquals(LockState.LOST, states.poll(ClientTests.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(holder.isHeld());
        assertThrows(LockLostException.class, holder::fencingToken);
        assertThrows(LockLostException.class, holder::unlock);
        assertThrows(CorralException.SessionExpiredException.class, holder::lock, "a fixed client cannot lock again");
        waiter.unlock();
    }

    @Test
    void aCreateWhoseAnswerIsLostFindsItsOwnZnodeInsteadOfQueueingTwice() throws Exception {
        String base = uniquePath("unknown");
        CorralClient observer = client();
        observer.create(base, null);
        try (TcpProxy proxy = TcpProxy.start(ClientTests.port());
                CorralClient c = CorralClient.builder().servers(proxy.url()).sessionTimeout(Duration.ofSeconds(30)).build()) {
            c.session();
            DistributedLock lock = new DistributedLock(c, base);
            proxy.breakNextAnswerTo("POST /v1/nodes" + base + "/lock-");
            lock.lock();
            assertEquals(1, proxy.countSent("POST /v1/nodes" + base + "/lock-"), "created once; found, not created again");
            assertEquals(1, observer.getChildren(base).names().size(), "one queue znode");
            ClientTests.await("the lock to be held again once the client is back", ClientTests.DEADLINE, lock::isHeld);
            lock.unlock();
        }
        assertEquals(List.of(), observer.getChildren(base).names());
    }

    @Test
    void aHolderCutOffFromTheClusterIsSuspendedAndHoldsAgainOnceBackWithItsSession() throws Exception {
        String base = uniquePath("cut");
        BlockingQueue<LockState> states = new LinkedBlockingQueue<>();
        try (TcpProxy proxy = TcpProxy.start(ClientTests.port());
                CorralClient c = CorralClient.builder().servers(proxy.url()).sessionTimeout(Duration.ofSeconds(30)).build()) {
            DistributedLock lock = new DistributedLock(() -> c, base, states::add);
            lock.lock();
            long token = lock.fencingToken();
            proxy.stop();
            assertEquals(LockState.SUSPENDED, states.poll(ClientTests.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            assertFalse(lock.isHeld(), "not held while it may have been lost");
            assertEquals(token, lock.fencingToken(), "the token is kept while suspended");
            proxy.restart();
            assertEquals(LockState.HELD, states.poll(ClientTests.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(lock.isHeld());
            lock.unlock();
        }
        assertEquals(List.of(), client().getChildren(base).names());
    }

    @Test
    void eachWaiterWatchesOnlyTheZnodeJustBeforeItsOwn() throws Exception {
        String base = uniquePath("herd");
        CorralClient observer = client();
        DistributedLock holder = new DistributedLock(client(), base);
        holder.lock();
        List<TcpProxy> proxies = new ArrayList<>();
        List<CorralClient> behindProxies = new ArrayList<>();
        List<DistributedLock> waiters = new ArrayList<>();
        List<Future<Void>> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                // Each waiter talks through a proxy of its own, which records the watches it sets.
                TcpProxy proxy = TcpProxy.start(ClientTests.port());
                proxies.add(proxy);
                CorralClient c = CorralClient.builder().servers(proxy.url()).sessionTimeout(Duration.ofSeconds(30)).build();
                behindProxies.add(c);
                DistributedLock waiter = new DistributedLock(c, base);
                waiters.add(waiter);
                waiting.add(RecipeTests.inThread(() -> {
                    waiter.lock();
                    return null;
                }));
                int queued = i + 2;
                ClientTests.await("waiter " + i + " to queue", ClientTests.DEADLINE, () -> observer.getChildren(base).names().size() == queued);
            }
            List<String> queue = observer.getChildren(base).names().stream()
                    .sorted(Comparator.comparing(n -> n.substring(n.length() - 10))).toList();
            holder.unlock();
            for (int i = 0; i < 3; i++) {
                RecipeTests.get(waiting.get(i));
                waiters.get(i).unlock();
            }
            for (int i = 0; i < 3; i++) {
                String own = base + "/" + queue.get(i + 1);
                Matcher m = Pattern.compile("GET /v1/nodes(/[^? ]+)\\?exists=true&watch=true")
                        .matcher(proxies.get(i).sent());
                Set<String> watched = new TreeSet<>();
                while (m.find()) {
                    if (!m.group(1).equals(own)) watched.add(m.group(1));
                }
                assertEquals(Set.of(base + "/" + queue.get(i)), watched, "waiter " + i + " watched only its predecessor");
            }
        } finally {
            behindProxies.forEach(CorralClient::close);
            proxies.forEach(TcpProxy::close);
        }
    }
}
