package dev.corral.node;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One storage outage of a node, from the failed write (or failed open) until a write succeeds on reopened
 * storage: what failed, since when, how many reopen attempts have been made and when the next one is due.
 * Owned by the driver's core thread.
 *
 * <p>Reopen attempts back off exponentially from {@link #FIRST_BACKOFF_MS} to {@link #MAX_BACKOFF_MS}. Opening
 * often succeeds while the cause persists (a full disk can still be read), and the outage only ends when a
 * write succeeds, so the attempt count, and with it the backoff, carries over when a reopened storage fails
 * again on its first write.
 */
final class StorageOutage {
    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 5000;

    private final long sinceNanos;
    private final long sinceWallMs;
    /** Whether the served tree held every acknowledged write when the outage began; reads go on only then. */
    final boolean treeComplete;
    private String cause;
    private int attempts;
    private long nextAttemptNanos;
    /** True once storage has been reopened and a replica rebuilt on it; the outage ends at the first durable write. */
    boolean reopened;

    StorageOutage(long nowNanos, long wallMs, boolean treeComplete, String cause) {
        this.sinceNanos = nowNanos;
        this.sinceWallMs = wallMs;
        this.treeComplete = treeComplete;
        this.cause = cause;
        scheduleNext(nowNanos);
    }

    /** The storage failed again (a reopen attempt, or a write on reopened storage): back off further. */
    void failedAgain(long nowNanos, String newCause) {
        cause = newCause;
        reopened = false;
        scheduleNext(nowNanos);
    }

    private void scheduleNext(long nowNanos) {
        long backoffMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempts, 20));
        nextAttemptNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(backoffMs);
    }

    boolean attemptDue(long nowNanos) {
        return !reopened && nowNanos - nextAttemptNanos >= 0;
    }

    /** Counts an attempt to reopen; returns its number (1 for the first). */
    int attempt() {
        return ++attempts;
    }

    int attempts() {
        return attempts;
    }

    long nanosUntilAttempt(long nowNanos) {
        return reopened ? Long.MAX_VALUE : Math.max(0, nextAttemptNanos - nowNanos);
    }

    long millisSince(long nowNanos) {
        return TimeUnit.NANOSECONDS.toMillis(nowNanos - sinceNanos);
    }

    String cause() {
        return cause;
    }

    /** Why the node cannot write, for health checks and error messages. */
    String describe() {
        return "storage unavailable since " + Instant.ofEpochMilli(sinceWallMs) + ": " + cause + "; " + attempts
                + " reopen attempt(s) so far" + (reopened ? ", reopened and waiting for a first durable write" : "");
    }
}
