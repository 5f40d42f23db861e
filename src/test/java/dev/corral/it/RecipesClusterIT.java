package dev.corral.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.client.CorralClient;
import dev.corral.client.CorralException;
import dev.corral.client.recipes.DistributedLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corral's own Java client and its lock recipe on a three-node cluster: clients that start on different nodes take
 * turns at a lock-guarded read-modify-write while the leader is killed. Nobody holds the lock together with another,
 * and no increment is lost; the clients move to the surviving nodes with their sessions.
 */
class RecipesClusterIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private Cluster cluster;
    private final List<CorralClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (CorralClient c : clients) c.close();
        if (cluster != null) cluster.close();
    }

    private CorralClient client(List<String> servers) {
        CorralClient c = CorralClient.builder().servers(servers).sessionTimeout(Duration.ofSeconds(20)).build();
        clients.add(c);
        return c;
    }

    private static byte[] number(int n) {
        return Integer.toString(n).getBytes(StandardCharsets.UTF_8);
    }

    private static int number(byte[] data) {
        return Integer.parseInt(new String(data, StandardCharsets.UTF_8));
    }

    @Test
    void theClientsLockKeepsHoldersApartAndLosesNoIncrementWhileTheLeaderIsKilled() throws Exception {
        cluster = Cluster.start(work, "recipes", 3, Map.of());
        int leader = cluster.awaitLeader();
        List<String> urls = new ArrayList<>();
        for (int id = 1; id <= 3; id++) urls.add(cluster.url(id));
        String counter = "/counter";
        client(urls).create(counter, number(0));
        int workers = 3;
        int rounds = 10;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch someDone = new CountDownLatch(workers * rounds / 3);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                // Each client starts on another node, and may move to any other.
                List<String> order = new ArrayList<>(urls);
                Collections.rotate(order, i);
                CorralClient c = client(order);
                runs.add(pool.submit(() -> {
                    DistributedLock lock = new DistributedLock(c, "/locks/counter");
                    for (int k = 0; k < rounds; k++) {
                        lock.lock();
                        try {
                            if (holders.incrementAndGet() > 1) overlaps.incrementAndGet();
                            increment(c, counter);
                            holders.decrementAndGet();
                        } finally {
                            lock.unlock();
                        }
                        someDone.countDown();
                    }
                    return null;
                }));
            }
            assertTrue(someDone.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the clients made no progress");
            cluster.kill9(leader);
            for (Future<?> f : runs) f.get(3 * DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, overlaps.get(), "two clients held the lock at once");
        assertEquals(workers * rounds, number(clients.getFirst().getData(counter).data()), "an increment was lost");
    }

    /**
     * Reads and writes back one more, as the lock's holder. A write of unknown outcome (its node died) is written again
     * with the same value: under the lock nobody else writes, so the value decides whether it landed.
     */
    private static void increment(CorralClient c, String counter) {
        int next = number(c.getData(counter).data()) + 1;
        while (true) {
            try {
                c.setData(counter, number(next));
                return;
            } catch (CorralException.ConnectionLossException | CorralException.OperationTimeoutException e) {
                if (number(c.getData(counter).data()) == next) return;
            }
        }
    }
}
