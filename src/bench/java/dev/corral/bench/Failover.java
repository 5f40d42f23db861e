package dev.corral.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One failover measurement: several clients write in a closed loop (each its own connection or session, to the
 * servers that will survive), the leader is killed, and the time from the kill to the next acknowledged write
 * is taken. Only writes <em>sent after</em> the killed process is gone count, so that a write the old leader
 * committed just before dying is not mistaken for the new leader's; a client that was waiting on a write when
 * the leader died sends its next write once that one is answered or fails, as a real client would.
 */
final class Failover {
    /** One writing client, used by one thread. */
    interface Writer extends AutoCloseable {
        /** One write; returns once it is acknowledged, throws if it failed. */
        void write() throws Exception;

        @Override
        void close();
    }

    interface Kill {
        void run() throws Exception;
    }

    /**
     * @param firstMs     kill to the first acknowledged write sent after it, in ms (NaN if none in time)
     * @param everyMs     kill to the moment every client had such a write acknowledged (NaN if not all in time)
     * @param errors      failed writes after the kill
     * @param firstError  the first of them, or null
     * @param ackedBefore writes acknowledged before the kill (the loop was running)
     */
    record Result(double firstMs, double everyMs, long errors, String firstError, long ackedBefore) {}

    private Failover() {}

    /**
     * Starts a thread per writer, waits until each has had {@code warmAcks} writes acknowledged, runs
     * {@code kill} (which must return once the process is gone), and waits up to {@code timeoutSeconds} until
     * every writer has had a write acknowledged that it sent after the kill. Closes the writers.
     */
    static Result measure(List<Writer> writers, Kill kill, int warmAcks, int timeoutSeconds) throws Exception {
        int n = writers.size();
        AtomicLongArray acks = new AtomicLongArray(n);
        AtomicLongArray firstAfter = new AtomicLongArray(n);
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicReference<String> warmError = new AtomicReference<>();
        boolean[] stop = {false};
        long[] killed = {0};
        Object lock = new Object();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int w = i;
            Writer writer = writers.get(i);
            threads.add(Thread.ofPlatform().daemon().name("failover-writer-" + i).start(() -> {
                while (true) {
                    boolean after;
                    synchronized (lock) {
                        if (stop[0]) return;
                        after = killed[0] != 0;
                    }
                    try {
                        writer.write();
                        long t1 = System.nanoTime();
                        acks.incrementAndGet(w);
                        if (after) firstAfter.compareAndSet(w, 0, t1);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        if (after) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                        } else {
                            warmError.compareAndSet(null, e.toString());
                        }
                        // A refusing server answers at once; don't spin on it.
                        LockSupport.parkNanos(1_000_000);
                    }
                }
            }));
        }
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!allAtLeast(acks, warmAcks)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the writers did not get " + warmAcks + " writes each acknowledged within 60 s before the kill"
                            + " (acknowledged: " + acks + "; first error: " + warmError.get() + ")");
                }
                Thread.sleep(10);
            }
            long ackedBefore = 0;
            for (int i = 0; i < n; i++) ackedBefore += acks.get(i);
            long killAt = System.nanoTime();
            kill.run();
            synchronized (lock) {
                killed[0] = killAt;
            }
            deadline = killAt + timeoutSeconds * 1_000_000_000L;
            while (!allSet(firstAfter) && System.nanoTime() - deadline < 0) Thread.sleep(5);
            long first = Long.MAX_VALUE;
            long every = 0;
            boolean all = true;
            for (int i = 0; i < n; i++) {
                long t = firstAfter.get(i);
                if (t == 0) {
                    all = false;
                    continue;
                }
                first = Math.min(first, t - killAt);
                every = Math.max(every, t - killAt);
            }
            return new Result(first == Long.MAX_VALUE ? Double.NaN : first / 1e6, all ? every / 1e6 : Double.NaN, errors.get(),
                    firstError.get(), ackedBefore);
        } finally {
            synchronized (lock) {
                stop[0] = true;
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            for (Thread t : threads) t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            // Closing unblocks a writer still stuck on a dead connection.
            for (Writer w : writers) w.close();
            for (Thread t : threads) t.join(30_000);
        }
    }

    private static boolean allAtLeast(AtomicLongArray a, long min) {
        for (int i = 0; i < a.length(); i++) if (a.get(i) < min) return false;
        return true;
    }

    private static boolean allSet(AtomicLongArray a) {
        for (int i = 0; i < a.length(); i++) if (a.get(i) == 0) return false;
        return true;
    }
}
