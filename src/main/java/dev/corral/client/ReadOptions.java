package dev.corral.client;

import java.util.Objects;

/**
 * How a read is answered: its {@link Consistency}, and a zxid the node must have applied first (0: none beyond the
 * highest zxid this client has seen, which it always sends).
 *
 * @param consistency sequential (the default) or linearizable
 * @param minZxid answer only once the node has applied this zxid (for one seen by another client, say); 0 for none
 */
public record ReadOptions(Consistency consistency, long minZxid) {
    /** Sequential, no extra zxid. */
    public static final ReadOptions DEFAULT = new ReadOptions(Consistency.SEQUENTIAL, 0);

    /** Checks the fields. */
    public ReadOptions {
        Objects.requireNonNull(consistency, "consistency");
        if (minZxid < 0) throw new IllegalArgumentException("minZxid must not be negative, was " + minZxid);
    }

    /** A linearizable read. */
    public static ReadOptions linearizable() {
        return new ReadOptions(Consistency.LINEARIZABLE, 0);
    }

    /** A sequential read answered only once the node has applied {@code zxid}. */
    public static ReadOptions atLeast(long zxid) {
        return new ReadOptions(Consistency.SEQUENTIAL, zxid);
    }

    /** These options with {@code minZxid}. */
    public ReadOptions withMinZxid(long minZxid) {
        return new ReadOptions(consistency, minZxid);
    }
}
