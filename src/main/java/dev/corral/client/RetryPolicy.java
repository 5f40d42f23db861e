package dev.corral.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often, and after how long, a request is tried again when a node cannot be reached or cannot serve it.
 *
 * <p>What is retried: any request that never reached a node (the connection was refused), any read, and any write
 * the node answered without taking it (no leader, overloaded). A write whose outcome is unknown (the connection broke
 * after it was sent, or the node says it may or may not have happened) is never retried: it fails with
 * {@link CorralException.ConnectionLossException}, as ZooKeeper's client does, and the caller decides (read first).
 *
 * <p>A request that cannot connect moves to the next node at once, without counting against {@code maxRetries}, until
 * it has tried every node once. After that, retry {@code n} (from 0) waits {@code baseDelay × 2^n}, at most
 * {@code maxDelay}, less a random part of up to half of it, so that many clients do not retry in step.
 *
 * @param maxRetries retries after the first attempt, at most (0: none)
 * @param baseDelay the wait before the first retry
 * @param maxDelay the longest wait between two attempts
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay) {
    /** 10 retries from 50 ms, doubling up to 2 s: about 10 s in all. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(10, Duration.ofMillis(50), Duration.ofSeconds(2));

    /** Checks the fields. */
    public RetryPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must not be negative");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay");
        }
    }

    /** No retries (a refused connection still moves on to the other nodes once). */
    public static RetryPolicy none() {
        return new RetryPolicy(0, Duration.ZERO, Duration.ZERO);
    }

    /** Up to {@code maxRetries} retries waiting from {@code baseDelay}, doubling up to {@code maxDelay}. */
    public static RetryPolicy exponential(int maxRetries, Duration baseDelay, Duration maxDelay) {
        return new RetryPolicy(maxRetries, baseDelay, maxDelay);
    }

    /** The wait before retry {@code n} (from 0), in milliseconds, with jitter. */
    long delayMillis(int n) {
        long base = Math.max(0, baseDelay.toMillis());
        long full = Math.min(maxDelay.toMillis(), n >= 30 ? Long.MAX_VALUE : base << n);
        if (full <= 1) return full;
        return full - ThreadLocalRandom.current().nextLong(full / 2 + 1);
    }
}
