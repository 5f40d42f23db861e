package dev.corral.lin;

import java.util.Objects;

/**
 * One operation of the register workload on one key (a znode), as the client that issued it saw it.
 *
 * <p>Times are {@link System#nanoTime()} readings from one clock shared by all client threads of the test JVM:
 * {@code invokeNanos} is read before the request is sent, {@code completeNanos} after the answer arrived (or
 * when the client gave up, for {@link Outcome#UNKNOWN}). Two operations are ordered in real time only if one
 * completed strictly before the other was invoked.
 *
 * @param id unique within a history
 * @param process the client thread that issued it; a process issues one operation at a time
 * @param key the register (znode path)
 * @param kind what was asked
 * @param value the data written by {@link Kind#WRITE}, {@link Kind#CAS} and {@link Kind#CREATE}; null for a read
 * @param expectedVersion the version a {@link Kind#CAS} requires (at least 0); -1 for every other kind
 * @param linearizable for a read, whether it was a linearizable read (only those are checked by default); always
 *     true for the other kinds
 * @param outcome what the client learnt
 * @param completeNanos when the answer arrived; for {@link Outcome#UNKNOWN} when the client gave up (the checker
 *     treats an unknown operation as open forever), and {@link Long#MAX_VALUE} if it never did
 * @param result only for {@link Outcome#OK}: the register a read saw ({@link Register#ABSENT} for "no node"),
 *     or for the other kinds the value written with the new version the server reported
 * @param error only for {@link Outcome#FAIL}: the error code, e.g. {@code BAD_VERSION}; may be null
 */
public record Op(long id, int process, String key, Kind kind, String value, int expectedVersion, boolean linearizable,
        long invokeNanos, Outcome outcome, long completeNanos, Register result, String error) {

    /** What the client asked. */
    public enum Kind {
        /** Read the data and version; reads of a missing znode see {@link Register#ABSENT}. */
        READ,
        /** Unconditional set (ZooKeeper's setData with version -1): the version goes up by one. Fails on a missing znode. */
        WRITE,
        /** Set with a version check: succeeds only if the version equals {@code expectedVersion}. */
        CAS,
        /** Create the znode with version 0; fails if it exists. */
        CREATE
    }

    /** What the client learnt about its operation. */
    public enum Outcome {
        /** It took effect, once, between invoke and completion, with the recorded result. */
        OK,
        /** It definitely had no effect (e.g. BAD_VERSION, NO_NODE, any 4xx). */
        FAIL,
        /**
         * The client does not know (timeout, connection reset, 5xx "outcome unknown"): it may have taken effect,
         * once, at any time after invoke (even after the client gave up), or never.
         */
        UNKNOWN
    }

    public Op {
        if (key == null || kind == null || outcome == null) throw new IllegalArgumentException("key, kind and outcome are required");
        if (kind == Kind.READ && value != null) throw new IllegalArgumentException("a read writes no value: " + value);
        if (kind == Kind.CAS ? expectedVersion < 0 : expectedVersion != -1) {
            throw new IllegalArgumentException(kind + " with expectedVersion " + expectedVersion);
        }
        if (kind != Kind.READ && !linearizable) throw new IllegalArgumentException(kind + " is always checked; only reads may be non-linearizable");
        if (completeNanos < invokeNanos) {
            throw new IllegalArgumentException("op " + id + " completes at " + completeNanos + ", before its invoke at " + invokeNanos);
        }
        if ((outcome == Outcome.OK) != (result != null)) throw new IllegalArgumentException("a result exactly when OK: " + outcome + " " + result);
        if (outcome != Outcome.FAIL && error != null) throw new IllegalArgumentException("an error only on FAIL: " + error);
        if (result != null && kind != Kind.READ && (result.absent() || !Objects.equals(result.value(), value))) {
            throw new IllegalArgumentException(kind + " of " + quote(value) + " reported " + result + "; expected the value written and its new version");
        }
    }

    /** One line for reports, with times relative to {@code baseNanos}. */
    public String describe(long baseNanos) {
        String what = switch (kind) {
            case READ -> (linearizable ? "read" : "sequential read");
            case WRITE -> "write(" + quote(value) + ")";
            case CAS -> "cas(v" + expectedVersion + " -> " + quote(value) + ")";
            case CREATE -> "create(" + quote(value) + ")";
        };
        String got = switch (outcome) {
            case OK -> kind == Kind.READ ? "OK " + result : "OK v" + result.version();
            case FAIL -> "FAIL" + (error == null ? "" : " " + error);
            case UNKNOWN -> "UNKNOWN";
        };
        String end = outcome == Outcome.UNKNOWN || completeNanos == Long.MAX_VALUE ? "open" : "+" + (completeNanos - baseNanos) + "ns";
        return "#" + id + " p" + process + " " + key + " " + what + " " + got + " [+" + (invokeNanos - baseNanos) + "ns, " + end + "]";
    }

    private static String quote(String s) {
        return s == null ? "null" : '"' + s + '"';
    }
}
