package dev.corral.client;

import static dev.corral.client.ClientTests.bytes;
import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.client.recipes.DistributedQueue;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The distributed queue: FIFO for one producer, every element taken exactly once by consumers in contention, a
 * waiting consumer woken by an offer, and a take whose delete's answer is lost still returns its element, once.
 */
@QuarkusTest
class RecipeQueueTest {
    private static final int PRODUCERS = 3;
    private static final int CONSUMERS = 3;
    private static final int PER_PRODUCER = 12;
    private final List<CorralClient> clients = new ArrayList<>();

    @BeforeEach
    void ready() {
        ClientTests.awaitReady();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(CorralClient::close);
    }

    private DistributedQueue queue(String path) {
        CorralClient c = ClientTests.client();
        clients.add(c);
        return new DistributedQueue(c, path);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void oneProducersElementsComeOutInOrderAndAnEmptyQueueGivesNothing() throws Exception {
        String path = uniquePath("fifo");
        DistributedQueue q = queue(path);
        assertNull(q.poll(), "no queue yet");
        assertNull(q.take(Duration.ofMillis(200)), "nothing comes");
        for (int i = 0; i < 10; i++) q.offer(bytes("e" + i));
        assertEquals(10, q.size());
        DistributedQueue consumer = queue(path);
        for (int i = 0; i < 10; i++) assertEquals("e" + i, text(consumer.poll()));
        assertNull(consumer.poll());
        assertEquals(0, q.size());
    }

    @Test
    void severalProducersAndConsumersInContentionTakeEveryElementExactlyOnce() {
        String path = uniquePath("contention");
        AtomicInteger taken = new AtomicInteger();
        List<Callable<List<String>>> tasks = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            DistributedQueue q = queue(path);
            String producer = "p" + p;
            tasks.add(() -> {
                for (int i = 0; i < PER_PRODUCER; i++) q.offer(bytes(producer + "-" + i));
                return List.of();
            });
        }
        int total = PRODUCERS * PER_PRODUCER;
        for (int c = 0; c < CONSUMERS; c++) {
            DistributedQueue q = queue(path);
            tasks.add(() -> {
                List<String> got = new ArrayList<>();
                while (taken.get() < total) {
                    byte[] e = q.take(Duration.ofMillis(500));
                    if (e == null) continue;
                    taken.incrementAndGet();
                    got.add(text(e));
                }
                return got;
            });
        }
        List<String> all = new ArrayList<>();
        List<List<String>> results = RecipeTests.runAll(tasks);
        for (List<String> got : results) {
            all.addAll(got);
            // A consumer takes the first element it sees: one producer's elements reach it in that producer's order.
            Map<String, Integer> lastOf = new HashMap<>();
            for (String e : got) {
                String producer = e.substring(0, e.indexOf('-'));
                int n = Integer.parseInt(e.substring(e.indexOf('-') + 1));
                assertTrue(lastOf.getOrDefault(producer, -1) < n, "out of order for one consumer: " + got);
                lastOf.put(producer, n);
            }
        }
        Set<String> distinct = new HashSet<>(all);
        assertEquals(total, all.size(), "elements taken: " + all);
        assertEquals(total, distinct.size(), "an element was taken twice: " + all);
        for (int p = 0; p < PRODUCERS; p++) {
            for (int i = 0; i < PER_PRODUCER; i++) assertTrue(distinct.contains("p" + p + "-" + i));
        }
        assertEquals(0, queue(path).size());
    }

    @Test
    void aWaitingConsumerIsWokenByAnOffer() throws Exception {
        String path = uniquePath("wake");
        DistributedQueue consumer = queue(path);
        Future<byte[]> waiting = RecipeTests.inThread(() -> consumer.take(ClientTests.DEADLINE));
        ClientTests.await("the queue to exist", ClientTests.DEADLINE, () -> clients.get(0).exists(path) != null);
        queue(path).offer(bytes("wake up"));
        assertArrayEquals(bytes("wake up"), RecipeTests.get(waiting));
    }

    @Test
    void aTakeWhoseDeleteAnswerIsLostReturnsItsElementOnceAndLeavesNothingBehind() {
        String path = uniquePath("unknown");
        DistributedQueue producer = queue(path);
        producer.offer(bytes("only"));
        producer.offer(bytes("second"));
        try (TcpProxy proxy = TcpProxy.start(ClientTests.port());
                CorralClient c = CorralClient.builder().servers(proxy.url()).sessionTimeout(Duration.ofSeconds(30)).build()) {
            DistributedQueue consumer = new DistributedQueue(c, path);
            c.session();
            proxy.breakNextAnswerTo("POST /v1/multi");
            assertEquals("only", text(consumer.poll()), "the element whose take had an unknown outcome");
            assertEquals(1, proxy.countSent("POST /v1/multi"), "taken by the first multi, not a second");
            assertEquals("second", text(consumer.poll()));
            assertNull(consumer.poll());
        }
        ClientTests.await("receipts gone with the session", ClientTests.DEADLINE,
                () -> clients.get(0).getChildren(path).names().isEmpty());
    }
}
