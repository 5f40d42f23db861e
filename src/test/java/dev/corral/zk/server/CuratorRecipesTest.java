package dev.corral.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.framework.recipes.barriers.DistributedDoubleBarrier;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.framework.recipes.shared.VersionedValue;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Apache Curator's recipes, unchanged, against Corral's ZooKeeper client port, each under contention from several
 * clients (own sessions and connections): what users bring a coordination service for.
 */
@QuarkusTest
class CuratorRecipesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int CLIENTS = 4;

    @Inject
    ZkServer server;

    private final List<CuratorFramework> clients = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        pool.shutdownNow();
        for (CuratorFramework c : clients) c.close();
        clients.clear();
    }

    private CuratorFramework client() throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.newClient("127.0.0.1:" + server.port(), 10_000, 10_000,
                new ExponentialBackoffRetry(50, 10));
        clients.add(c);
        c.start();
        assertTrue(c.blockUntilConnected((int) DEADLINE.toSeconds(), TimeUnit.SECONDS), "Curator did not connect");
        return c;
    }

    private static String unique(String name) {
        return "/curator/" + name + "-" + Long.toString(System.nanoTime(), 36);
    }

    private <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> t : tasks) futures.add(pool.submit(t));
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) out.add(f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        return out;
    }

    @Test
    void aMutexAdmitsOneHolderAtATimeAndNoIncrementIsLost() throws Exception {
        String lock = unique("mutex");
        String counter = unique("counter");
        CuratorFramework setup = client();
        setup.create().creatingParentsIfNeeded().forPath(counter, ByteBuffer.allocate(4).putInt(0).array());
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            CuratorFramework c = client();
            tasks.add(() -> {
                InterProcessMutex mutex = new InterProcessMutex(c, lock);
                for (int k = 0; k < 15; k++) {
                    assertTrue(mutex.acquire(DEADLINE.toSeconds(), TimeUnit.SECONDS));
                    try {
                        if (holders.incrementAndGet() > 1) overlaps.incrementAndGet();
                        // Read, then write without a version: only the lock keeps increments from being lost.
                        int v = ByteBuffer.wrap(c.getData().forPath(counter)).getInt();
                        c.setData().forPath(counter, ByteBuffer.allocate(4).putInt(v + 1).array());
                        holders.decrementAndGet();
                    } finally {
                        mutex.release();
                    }
                }
                return null;
            });
        }
        all(tasks);
        assertEquals(0, overlaps.get(), "two clients held the lock at once");
        assertEquals(CLIENTS * 15, ByteBuffer.wrap(setup.getData().forPath(counter)).getInt());
        assertEquals(List.of(), setup.getChildren().forPath(lock), "every lock node is gone after release");
    }

    @Test
    void aReadWriteLockKeepsWritersExclusive() throws Exception {
        String lock = unique("rw");
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            CuratorFramework c = client();
            boolean writer = i % 2 == 0;
            tasks.add(() -> {
                InterProcessReadWriteLock rw = new InterProcessReadWriteLock(c, lock);
                for (int k = 0; k < 10; k++) {
                    InterProcessMutex m = writer ? rw.writeLock() : rw.readLock();
                    assertTrue(m.acquire(DEADLINE.toSeconds(), TimeUnit.SECONDS));
                    try {
                        if (writer) {
                            if (writers.incrementAndGet() > 1 || readers.get() > 0) violations.incrementAndGet();
                            writers.decrementAndGet();
                        } else {
                            readers.incrementAndGet();
                            if (writers.get() > 0) violations.incrementAndGet();
                            readers.decrementAndGet();
                        }
                    } finally {
                        m.release();
                    }
                }
                return null;
            });
        }
        all(tasks);
        assertEquals(0, violations.get());
    }

    @Test
    void exactlyOneLeaderLatchLeadsAndAnotherTakesOverWhenItCloses() throws Exception {
        String path = unique("latch");
        List<LeaderLatch> latches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LeaderLatch l = new LeaderLatch(client(), path, "p" + i);
            l.start();
            latches.add(l);
        }
        LeaderLatch leader = awaitSingleLeader(latches);
        leader.close();
        List<LeaderLatch> rest = new ArrayList<>(latches);
        rest.remove(leader);
        LeaderLatch next = awaitSingleLeader(rest);
        assertTrue(next != leader);
        for (LeaderLatch l : rest) l.close();
    }

    private static LeaderLatch awaitSingleLeader(List<LeaderLatch> latches) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            List<LeaderLatch> leading = latches.stream().filter(LeaderLatch::hasLeadership).toList();
            assertTrue(leading.size() <= 1, "two leaders at once");
            if (leading.size() == 1) return leading.getFirst();
            Thread.sleep(20);
        }
        throw new AssertionError("no leader within " + DEADLINE.toSeconds() + " s");
    }

    @Test
    void aDistributedAtomicLongCountsEveryIncrement() throws Exception {
        String path = unique("atomic");
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            CuratorFramework c = client();
            tasks.add(() -> {
                DistributedAtomicLong n = new DistributedAtomicLong(c, path, new RetryNTimes(1_000, 1));
                int ok = 0;
                for (int k = 0; k < 25; k++) {
                    AtomicValue<Long> v = n.increment();
                    if (v.succeeded()) ok++;
                }
                return ok;
            });
        }
        int succeeded = all(tasks).stream().mapToInt(Integer::intValue).sum();
        assertEquals(CLIENTS * 25, succeeded, "every increment succeeded (optimistic, with retries)");
        assertEquals(CLIENTS * 25L, new DistributedAtomicLong(client(), path, new RetryNTimes(3, 10)).get().postValue());
    }

    @Test
    void aDoubleBarrierLetsNobodyInBeforeAllArriveOrOutBeforeAllLeave() throws Exception {
        String path = unique("barrier");
        AtomicInteger entered = new AtomicInteger();
        List<Integer> seenOnEntry = Collections.synchronizedList(new ArrayList<>());
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CuratorFramework c = client();
            tasks.add(() -> {
                DistributedDoubleBarrier b = new DistributedDoubleBarrier(c, path, 3);
                entered.incrementAndGet();
                assertTrue(b.enter(DEADLINE.toSeconds(), TimeUnit.SECONDS));
                seenOnEntry.add(entered.get());
                assertTrue(b.leave(DEADLINE.toSeconds(), TimeUnit.SECONDS));
                return null;
            });
        }
        all(tasks);
        assertEquals(List.of(3, 3, 3), List.copyOf(seenOnEntry), "someone passed the barrier before all three arrived");
    }

    @Test
    void aCuratorCacheFollowsCreatesChangesAndDeletes() throws Exception {
        String path = unique("cache");
        CuratorFramework watcher = client();
        CuratorFramework writer = client();
        writer.create().creatingParentsIfNeeded().forPath(path);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (CuratorCache cache = CuratorCache.build(watcher, path)) {
            cache.listenable().addListener(CuratorCacheListener.builder()
                    .forCreates(n -> events.add("created " + n.getPath()))
                    .forChanges((before, after) -> events.add("changed " + after.getPath() + " " + new String(after.getData())))
                    .forDeletes(n -> events.add("deleted " + n.getPath()))
                    .build());
            cache.start();
            assertEquals("created " + path, events.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            writer.create().forPath(path + "/a", "1".getBytes());
            assertEquals("created " + path + "/a", events.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            writer.setData().forPath(path + "/a", "2".getBytes());
            assertEquals("changed " + path + "/a 2", events.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            writer.delete().forPath(path + "/a");
            assertEquals("deleted " + path + "/a", events.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void leaderSelectorsTakeTurnsAndNeverLeadTogether() throws Exception {
        String path = unique("selector");
        AtomicInteger leading = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<String> turns = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch allLed = new CountDownLatch(2 * 3);
        List<LeaderSelector> selectors = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "s" + i;
            LeaderSelector s = new LeaderSelector(client(), path, new LeaderSelectorListenerAdapter() {
                @Override
                public void takeLeadership(CuratorFramework c) {
                    if (leading.incrementAndGet() > 1) overlaps.incrementAndGet();
                    turns.add(id);
                    leading.decrementAndGet();
                    allLed.countDown();
                    // Returning gives leadership up; autoRequeue queues this selector again.
                }
            });
            s.setId(id);
            s.autoRequeue();
            selectors.add(s);
        }
        for (LeaderSelector s : selectors) s.start();
        assertTrue(allLed.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "only these turns were taken: " + turns);
        for (LeaderSelector s : selectors) s.close();
        assertEquals(0, overlaps.get(), "two selectors led at once");
        for (int i = 0; i < 3; i++) {
            String id = "s" + i;
            assertTrue(turns.stream().filter(id::equals).count() >= 1, id + " never led: " + turns);
        }
    }

    @Test
    void aSharedCountLosesNoCompareAndSetIncrement() throws Exception {
        String path = unique("shared-count");
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            SharedCount count = new SharedCount(client(), path, 0);
            count.start();
            tasks.add(() -> {
                int conflicts = 0;
                for (int k = 0; k < 20; k++) {
                    while (true) {
                        VersionedValue<Integer> v = count.getVersionedValue();
                        if (count.trySetCount(v, v.getValue() + 1)) break;
                        conflicts++;
                    }
                }
                count.close();
                return conflicts;
            });
        }
        all(tasks);
        SharedCount check = new SharedCount(client(), path, 0);
        check.start();
        assertEquals(CLIENTS * 20, check.getCount());
        check.close();
    }

    @Test
    void serviceDiscoveryFindsRegisteredInstancesAndForgetsThoseThatLeave() throws Exception {
        String base = unique("services");
        List<ServiceDiscovery<Void>> registries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ServiceInstance<Void> instance = ServiceInstance.<Void>builder().name("billing").id("billing-" + i)
                    .address("10.0.0." + (i + 1)).port(8000 + i).build();
            ServiceDiscovery<Void> d = ServiceDiscoveryBuilder.builder(Void.class).client(client()).basePath(base)
                    .thisInstance(instance).build();
            d.start();
            registries.add(d);
        }
        ServiceDiscovery<Void> reader = ServiceDiscoveryBuilder.builder(Void.class).client(client()).basePath(base).build();
        reader.start();
        assertEquals(List.of("billing"), new ArrayList<>(reader.queryForNames()));
        List<String> ids = reader.queryForInstances("billing").stream().map(ServiceInstance::getId).sorted().toList();
        assertEquals(List.of("billing-0", "billing-1", "billing-2"), ids);
        ServiceInstance<Void> one = reader.queryForInstance("billing", "billing-1");
        assertEquals("10.0.0.2", one.getAddress());
        assertEquals(8001, one.getPort());

        // An instance's registration is an ephemeral znode: closing its client's session removes it.
        registries.get(1).close();
        CuratorFramework owner = clients.get(1);
        owner.close();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<String> left;
        do {
            left = reader.queryForInstances("billing").stream().map(ServiceInstance::getId).sorted().toList();
        } while (!left.equals(List.of("billing-0", "billing-2")) && System.nanoTime() < deadline && pause());
        assertEquals(List.of("billing-0", "billing-2"), left);
        reader.close();
        registries.get(0).close();
        registries.get(2).close();
    }

    /** The interval between two polls of a condition; it orders nothing, the condition does. */
    private static boolean pause() throws InterruptedException {
        Thread.sleep(20);
        return true;
    }
}
