package dev.corral.lin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Records what the clients of a register workload asked and were told, for {@link LinearizabilityChecker}.
 *
 * <p>Thread-safe: any number of client threads call {@code invoke*}, each gets a {@link Pending} handle, and
 * completes it exactly once with {@code ok*}, {@link Pending#fail} or {@link Pending#unknown}. The clock is read
 * inside those calls, so invoke before sending the request and complete after reading the answer. The default
 * clock is {@link System#nanoTime()}, which is one monotonic clock for all threads of a JVM.
 *
 * <p>{@link #ops()} may be called at any time; an operation not completed by then counts as
 * {@link Op.Outcome#UNKNOWN} (a client stuck in a request does not know its outcome either).
 *
 * <p>JSON format ({@link #toJson}, {@link #fromJson}), version 1:
 * <pre>{@code
 * {"format": "corral-lin-history/1",
 *  "initial": {"/reg/0": {"value": "init", "version": 0}},      // keys not listed start absent
 *  "ops": [{"id": 0, "process": 2, "key": "/reg/0", "kind": "CAS", "value": "p2-17", "expectedVersion": 4,
 *           "linearizable": true, "invokeNanos": 1000, "outcome": "OK", "completeNanos": 2000,
 *           "result": {"value": "p2-17", "version": 5}, "error": null}, ...]}
 * }</pre>
 * Fields are those of {@link Op} and {@link Register}; ops are sorted by invoke time, then id.
 */
public final class History {
    /** The {@code format} field of the JSON form; a reader refuses any other. */
    public static final String FORMAT = "corral-lin-history/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final LongSupplier clock;
    private final AtomicLong nextId = new AtomicLong();
    private final Object lock = new Object();
    /** Operations invoked and not completed; guarded by {@code lock}. */
    private final Map<Long, Pending> open = new HashMap<>();
    /** Completed operations; guarded by {@code lock}. */
    private final List<Op> done = new ArrayList<>();
    private final Map<String, Register> initial = new ConcurrentHashMap<>();

    /** A recorder on {@link System#nanoTime()}. */
    public History() {
        this(System::nanoTime);
    }

    /** A recorder on the given clock, which must be monotonic across the threads that record. */
    public History(LongSupplier clock) {
        this.clock = clock;
    }

    /** A finished history of the given operations (ids must be unique), e.g. one built by hand or read back. */
    public static History of(Collection<Op> ops, Map<String, Register> initial) {
        History h = new History();
        long maxId = -1;
        Set<Long> ids = new HashSet<>();
        for (Op op : ops) {
            if (!ids.add(op.id())) throw new IllegalArgumentException("op id " + op.id() + " appears twice");
            maxId = Math.max(maxId, op.id());
        }
        synchronized (h.lock) {
            h.done.addAll(ops);
        }
        h.initial.putAll(initial);
        h.nextId.set(maxId + 1);
        return h;
    }

    /**
     * Declares the state {@code key} is in before any operation of the history (as the test set it up);
     * keys never declared start {@link Register#ABSENT}.
     */
    public void initial(String key, Register register) {
        initial.put(key, register);
    }

    /** The declared initial states. */
    public Map<String, Register> initial() {
        return Map.copyOf(initial);
    }

    /** A read is about to be sent; {@code linearizable} says whether it asked for a linearizable read. */
    public Pending invokeRead(int process, String key, boolean linearizable) {
        return invoke(process, key, Op.Kind.READ, null, -1, linearizable);
    }

    /** An unconditional set (version -1) of {@code value} is about to be sent. */
    public Pending invokeWrite(int process, String key, String value) {
        return invoke(process, key, Op.Kind.WRITE, value, -1, true);
    }

    /** A set of {@code value} that requires version {@code expectedVersion} is about to be sent. */
    public Pending invokeCas(int process, String key, int expectedVersion, String value) {
        return invoke(process, key, Op.Kind.CAS, value, expectedVersion, true);
    }

    /** A create of {@code key} with {@code value} is about to be sent. */
    public Pending invokeCreate(int process, String key, String value) {
        return invoke(process, key, Op.Kind.CREATE, value, -1, true);
    }

    private Pending invoke(int process, String key, Op.Kind kind, String value, int expectedVersion, boolean linearizable) {
        if (kind == Op.Kind.CAS && expectedVersion < 0) throw new IllegalArgumentException("a cas needs a version >= 0, got " + expectedVersion);
        Pending p = new Pending(nextId.getAndIncrement(), process, key, kind, value, expectedVersion, linearizable, clock.getAsLong());
        synchronized (lock) {
            open.put(p.id, p);
        }
        return p;
    }

    /**
     * Every operation so far, sorted by invoke time then id; those still open are {@link Op.Outcome#UNKNOWN} with
     * {@code completeNanos} {@link Long#MAX_VALUE}.
     */
    public List<Op> ops() {
        List<Op> all;
        synchronized (lock) {
            all = new ArrayList<>(done);
            for (Pending p : open.values()) all.add(p.op(Op.Outcome.UNKNOWN, Long.MAX_VALUE, null, null));
        }
        all.sort(Comparator.comparingLong(Op::invokeNanos).thenComparingLong(Op::id));
        return all;
    }

    /** The history as JSON (see the class comment for the format). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(new Dump(FORMAT, new TreeMap<>(initial), ops()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads what {@link #toJson} wrote. */
    public static History fromJson(String json) {
        Dump d;
        try {
            d = JSON.readValue(json, Dump.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        if (!FORMAT.equals(d.format())) throw new IllegalArgumentException("not a " + FORMAT + " history: format " + d.format());
        return of(d.ops() == null ? List.of() : d.ops(), d.initial() == null ? Map.of() : d.initial());
    }

    /** Writes {@link #toJson} to {@code file}, e.g. to keep a failing history for {@link #readJson}. */
    public void writeJson(Path file) throws IOException {
        Files.writeString(file, toJson());
    }

    public static History readJson(Path file) throws IOException {
        return fromJson(Files.readString(file));
    }

    private record Dump(String format, Map<String, Register> initial, List<Op> ops) {}

    /** An operation sent and not yet answered. Complete it exactly once, from any thread. */
    public final class Pending {
        private final long id;
        private final int process;
        private final String key;
        private final Op.Kind kind;
        private final String value;
        private final int expectedVersion;
        private final boolean linearizable;
        private final long invokeNanos;
        /** Guarded by {@code lock}. */
        private boolean completed;

        private Pending(long id, int process, String key, Op.Kind kind, String value, int expectedVersion, boolean linearizable,
                long invokeNanos) {
            this.id = id;
            this.process = process;
            this.key = key;
            this.kind = kind;
            this.value = value;
            this.expectedVersion = expectedVersion;
            this.linearizable = linearizable;
            this.invokeNanos = invokeNanos;
        }

        /** The id of the operation in the history. */
        public long id() {
            return id;
        }

        /** A read saw {@code value} at {@code version}. */
        public Op okRead(String value, int version) {
            requireKind(kind == Op.Kind.READ);
            return complete(Op.Outcome.OK, new Register(value, version), null);
        }

        /** A read found no znode. */
        public Op okAbsent() {
            requireKind(kind == Op.Kind.READ);
            return complete(Op.Outcome.OK, Register.ABSENT, null);
        }

        /** A write, cas or create took effect and the znode's version is now {@code newVersion}. */
        public Op ok(int newVersion) {
            requireKind(kind != Op.Kind.READ);
            return complete(Op.Outcome.OK, new Register(value, newVersion), null);
        }

        /** It definitely had no effect; {@code error} is the code (e.g. {@code BAD_VERSION}), or null. */
        public Op fail(String error) {
            return complete(Op.Outcome.FAIL, null, error);
        }

        public Op fail() {
            return fail(null);
        }

        /** The client will not learn whether it took effect (timeout, reset connection, 5xx "outcome unknown"). */
        public Op unknown() {
            return complete(Op.Outcome.UNKNOWN, null, null);
        }

        private Op complete(Op.Outcome outcome, Register result, String error) {
            long now = clock.getAsLong();
            Op op = op(outcome, now, result, error);
            // One lock for completing and for ops(), so that a snapshot sees every operation exactly once.
            synchronized (lock) {
                if (completed) throw new IllegalStateException("op " + id + " was already completed");
                completed = true;
                done.add(op);
                open.remove(id);
            }
            return op;
        }

        private Op op(Op.Outcome outcome, long completeNanos, Register result, String error) {
            return new Op(id, process, key, kind, value, expectedVersion, linearizable, invokeNanos, outcome, completeNanos, result, error);
        }

        private void requireKind(boolean ok) {
            if (!ok) throw new IllegalStateException("that completion does not fit a " + kind);
        }
    }
}
