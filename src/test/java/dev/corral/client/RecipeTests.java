package dev.corral.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Helpers of the recipe tests, beside {@link ClientTests}: ending a session around its client, and running contenders. */
final class RecipeTests {
    private RecipeTests() {}

    /** Ends {@code client}'s session at the cluster, as an expiry does, by a request around the client. */
    static void killSession(CorralClient client) {
        Session s = client.session();
        assertEquals(204, ClientTests.raw("DELETE", "/v1/sessions/" + s.id(), null, s.secret()).status(), "session ended");
    }

    /** Runs each task on a thread of its own and returns their results in order; a failure of any fails the test. */
    static <T> List<T> runAll(List<Callable<T>> tasks) {
        // Threads of their own, not the common pool (see inThread).
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) futures.add(pool.submit(t));
            List<T> out = new ArrayList<>();
            long deadline = System.nanoTime() + ClientTests.DEADLINE.multipliedBy(2).toNanos();
            for (Future<T> f : futures) out.add(get(f, deadline));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The future's result, failing the test if it fails or is not done by {@code deadlineNanos}. */
    static <T> T get(Future<T> f, long deadlineNanos) {
        try {
            return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) throw a;
            throw new AssertionError("a contender failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            return fail("a contender did not finish in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code task} on a new thread of its own. Never on the common fork-join pool: the JDK's HTTP client needs that
     * pool to complete requests, and with 2 cores it has one thread, so a contender blocked there stalls every client in
     * the JVM (heartbeats too, until sessions expire).
     */
    static <T> Future<T> inThread(Callable<T> task) {
        FutureTask<T> f = new FutureTask<>(task);
        Thread t = new Thread(f, "recipe-test-contender");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** The future's result within the usual deadline. */
    static <T> T get(Future<T> f) {
        return get(f, System.nanoTime() + ClientTests.DEADLINE.toNanos());
    }
}
