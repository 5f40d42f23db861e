package dev.corral.client;

import static dev.corral.client.ClientTests.bytes;
import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The client never needs the JVM's common pool: an application that blocks it (a blocking task in
 * {@code CompletableFuture.supplyAsync}, say) must not stall the client's requests, heartbeats or watch events. The
 * JDK's {@code HttpClient.sendAsync} completes on that pool whatever executor it is given.
 */
@QuarkusTest
class CorralClientCommonPoolTest {
    @Test
    void requestsAndWatchEventsGoOnWhileTheCommonPoolIsBlocked() throws Exception {
        ClientTests.awaitReady();
        String path = uniquePath("common-pool");
        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> blockers = new ArrayList<>();
        try (CorralClient client = ClientTests.client(); CorralClient other = ClientTests.client()) {
            client.create(path, bytes("v1"));
            int threads = ForkJoinPool.getCommonPoolParallelism();
            CountDownLatch blocked = new CountDownLatch(threads);
            for (int i = 0; i < threads; i++) {
                blockers.add(ForkJoinPool.commonPool().submit(() -> {
                    blocked.countDown();
                    release.await();
                    return null;
                }));
            }
            blocked.await(10, TimeUnit.SECONDS);
            // Run the client's calls on a thread of our own, so that a stall fails the test instead of hanging it.
            CompletableFuture<String> calls = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                try {
                    CompletableFuture<WatchedEvent> changed = new CompletableFuture<>();
                    client.getData(path, changed::complete);
                    other.setData(path, bytes("v2"));
                    WatchedEvent e = changed.get(10, TimeUnit.SECONDS);
                    calls.complete(e.type() + " " + client.getData(path).text());
                } catch (Throwable x) {
                    calls.completeExceptionally(x);
                }
            });
            assertEquals(EventType.NODE_DATA_CHANGED + " v2", calls.get(15, TimeUnit.SECONDS),
                    "the client stalled while the common pool was blocked");
            t.join(1_000);
        } finally {
            release.countDown();
            for (Future<?> f : blockers) f.get(10, TimeUnit.SECONDS);
        }
    }
}
