package dev.corral.client.recipes;

import dev.corral.client.CorralClient;
import dev.corral.client.SessionListener;
import dev.corral.client.SessionState;
import dev.corral.client.WatchedEvent;
import dev.corral.client.Watcher;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a thread that waits in a blocking recipe call (lock, barrier, queue) for a watch to fire. Every event of the
 * watches it was given wakes it, and so does every change of its client's session: a watch set before the session
 * ended will never fire, and one set before a move may have fired while the client was away. A wake-up only means
 * "look again": the waiter re-reads and decides, so a spare wake-up (from a watch of an earlier round) is harmless.
 */
final class Wakeup implements Watcher, SessionListener, AutoCloseable {
    private static final long CENTURY_NANOS = Duration.ofDays(36_525).toNanos();
    private final CorralClient client;
    private final Semaphore signals = new Semaphore(0);

    /** Listens to {@code client}'s session until {@link #close}. */
    Wakeup(CorralClient client) {
        this.client = client;
        client.addSessionListener(this);
    }

    @Override
    public void process(WatchedEvent event) {
        signals.release();
    }

    @Override
    public void stateChanged(SessionState state) {
        signals.release();
    }

    /**
     * Waits for a wake-up until {@code deadlineNanos} (a {@link System#nanoTime} value; {@link Long#MAX_VALUE}: no
     * deadline). Wake-ups that came meanwhile count, and are all used up by this call.
     *
     * @return true if woken, false at the deadline
     */
    boolean await(long deadlineNanos) throws InterruptedException {
        boolean woken;
        if (deadlineNanos == Long.MAX_VALUE) {
            signals.acquire();
            woken = true;
        } else {
            woken = signals.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        signals.drainPermits();
        return woken;
    }

    @Override
    public void close() {
        client.removeSessionListener(this);
    }

    /** The {@link System#nanoTime} deadline {@code timeout} from now (a timeout beyond a century counts as a century). */
    static long deadline(Duration timeout) {
        long nanos;
        try {
            nanos = Math.max(0, timeout.toNanos());
        } catch (ArithmeticException e) {
            nanos = CENTURY_NANOS;
        }
        long d = System.nanoTime() + Math.min(nanos, CENTURY_NANOS);
        return d == Long.MAX_VALUE ? d - 1 : d;
    }

    /** Whether {@code deadlineNanos} has passed. */
    static boolean passed(long deadlineNanos) {
        return deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0;
    }
}
