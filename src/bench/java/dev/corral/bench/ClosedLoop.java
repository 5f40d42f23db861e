package dev.corral.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives N clients in a closed loop: each client has one request outstanding and sends the next as soon as
 * the previous one is answered. After a warm-up, operations that complete inside a fixed measured window are
 * counted and timed (from just before sending to just after the answer, on the client's thread).
 */
final class ClosedLoop {
    /** The measured window, {start, end} in System.nanoTime; null during the warm-up. */
    private volatile long[] window;
    private volatile boolean stop;

    private ClosedLoop() {}

    /**
     * Runs {@code op} on every client of {@code clients} for {@code warmupSeconds + seconds}. Creates go to
     * fresh paths under {@code createParent}; setData and reads spread over {@code dataPaths}.
     */
    static Stats run(List<Target.Client> clients, Target.Op op, String createParent, String[] dataPaths, byte[] data,
            double warmupSeconds, double seconds) throws InterruptedException {
        return new ClosedLoop().measure(clients, op, createParent, dataPaths, data, warmupSeconds, seconds);
    }

    private Stats measure(List<Target.Client> clients, Target.Op op, String createParent, String[] dataPaths, byte[] data,
            double warmupSeconds, double seconds) throws InterruptedException {
        int n = clients.size();
        long[][] latencies = new long[n][];
        int[] counts = new int[n];
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int worker = i;
            Target.Client client = clients.get(i);
            threads.add(Thread.ofPlatform().name("bench-client-" + i).start(() -> {
                long[] mine = new long[4096];
                int count = 0;
                long seq = 0;
                while (!stop) {
                    long t0 = System.nanoTime();
                    boolean ok = true;
                    try {
                        switch (op) {
                            case CREATE -> client.create(createParent + "/w" + worker + "-" + seq, data);
                            case SET -> client.setData(dataPaths[(int) ((worker * 7919L + seq) % dataPaths.length)], data);
                            case GET -> client.getData(dataPaths[(int) ((worker * 7919L + seq) % dataPaths.length)]);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        ok = false;
                        firstError.compareAndSet(null, e.toString());
                    }
                    long t1 = System.nanoTime();
                    seq++;
                    long[] w = window;
                    boolean inWindow = w != null && t1 - w[0] >= 0 && t1 - w[1] < 0;
                    if (!ok) {
                        if (inWindow) errors.incrementAndGet();
                        // A failing server answers fast; don't let a client spin on it.
                        LockSupport.parkNanos(1_000_000);
                    } else if (inWindow) {
                        if (count == mine.length) mine = Arrays.copyOf(mine, count * 2);
                        mine[count++] = t1 - t0;
                    }
                }
                latencies[worker] = mine;
                counts[worker] = count;
            }));
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        window = new long[] {start, end};
        Thread.sleep((long) (seconds * 1000));
        while (System.nanoTime() - end < 0) Thread.sleep(1);
        stop = true;
        for (Thread t : threads) t.join();
        int total = 0;
        for (int c : counts) total += c;
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            if (latencies[i] == null) continue;
            System.arraycopy(latencies[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        return Stats.of(all, total, seconds, errors.get(), firstError.get());
    }
}
