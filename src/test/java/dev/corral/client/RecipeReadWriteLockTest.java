package dev.corral.client;

import static dev.corral.client.ClientTests.uniquePath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.client.recipes.ReadWriteLock;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read-write lock: readers hold it together, a writer holds it alone, and a reader that comes after a waiting
 * writer waits behind it; under contention a writer never overlaps anyone.
 */
@QuarkusTest
class RecipeReadWriteLockTest {
    private final List<CorralClient> clients = new ArrayList<>();

    @BeforeEach
    void ready() {
        ClientTests.awaitReady();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(CorralClient::close);
    }

    private ReadWriteLock lock(String base) {
        CorralClient c = ClientTests.client();
        clients.add(c);
        return new ReadWriteLock(c, base);
    }

    @Test
    void readersShareTheLockAWriterWaitsForThemAndLaterReadersWaitForTheWriter() throws Exception {
        String base = uniquePath("rw");
        ReadWriteLock a = lock(base);
        ReadWriteLock b = lock(base);
        ReadWriteLock writer = lock(base);
        ReadWriteLock late = lock(base);
        a.readLock().lock();
        assertTrue(b.readLock().tryLock(Duration.ofSeconds(20)), "a second reader holds it with the first");
        assertTrue(a.readLock().isHeld() && b.readLock().isHeld());
        assertFalse(writer.writeLock().tryLock(Duration.ofMillis(300)), "no writer while readers hold it");

        Future<Void> writing = RecipeTests.inThread(() -> {
            writer.writeLock().lock();
            return null;
        });
        CorralClient observer = clients.get(0);
        ClientTests.await("the writer to queue", ClientTests.DEADLINE, () -> observer.getChildren(base).names().size() == 3);
        assertFalse(late.readLock().tryLock(Duration.ofMillis(300)), "a reader behind a waiting writer waits");
        a.readLock().unlock();
        assertFalse(writing.isDone(), "the writer waits for the last reader");
        b.readLock().unlock();
        RecipeTests.get(writing);
        assertTrue(writer.writeLock().isHeld());
        assertFalse(late.readLock().tryLock(Duration.ofMillis(300)), "no reader while a writer holds it");
        writer.writeLock().unlock();
        assertTrue(late.readLock().tryLock(Duration.ofSeconds(20)));
        late.readLock().unlock();
    }

    @Test
    void underContentionAWriterOverlapsNobody() {
        String base = uniquePath("rw-contention");
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        CorralClient observer = ClientTests.client();
        clients.add(observer);
        AtomicInteger violations = new AtomicInteger();
        List<Callable<Void>> contenders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ReadWriteLock rw = lock(base);
            contenders.add(() -> {
                for (int n = 0; n < 6; n++) {
                    rw.readLock().lock();
                    try {
                        readers.incrementAndGet();
                        if (writers.get() != 0) violations.incrementAndGet();
                        // A round trip to the node while holding it, as a real reader would make.
                        observer.exists(base);
                        if (writers.get() != 0) violations.incrementAndGet();
                        readers.decrementAndGet();
                    } finally {
                        rw.readLock().unlock();
                    }
                }
                return null;
            });
        }
        for (int i = 0; i < 2; i++) {
            ReadWriteLock rw = lock(base);
            contenders.add(() -> {
                for (int n = 0; n < 4; n++) {
                    rw.writeLock().lock();
                    try {
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) violations.incrementAndGet();
                        observer.exists(base);
                        if (writers.get() != 1 || readers.get() != 0) violations.incrementAndGet();
                        writers.decrementAndGet();
                    } finally {
                        rw.writeLock().unlock();
                    }
                }
                return null;
            });
        }
        RecipeTests.runAll(contenders);
        assertEquals(0, violations.get(), "a writer overlapped another holder");
        assertEquals(List.of(), observer.getChildren(base).names(), "every queue znode is gone");
    }
}
