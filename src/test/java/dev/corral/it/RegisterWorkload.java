package dev.corral.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Client threads that treat a few znodes as versioned registers: linearizable reads
 * ({@code GET …?consistency=linearizable} → value and version, or absent), unconditional writes ({@code PUT} without a
 * version) and compare-and-set ({@code PUT} with the version the thread last saw), each request to the node that
 * {@code route} picks. Every operation is recorded with its invoke and complete times ({@link System#nanoTime}, one
 * clock for all threads) and what the client learnt: OK with the result, FAIL (a definite refusal, e.g.
 * {@code BAD_VERSION}), or UNKNOWN (no answer, or a 5xx: it may or may not have taken effect).
 *
 * <p>The recording mirrors {@code dev.corral.lin.Op} and {@code dev.corral.lin.Register} component for component, so
 * that the linearizability checker can take it as it is: see {@link #toLinearizabilityChecker}. Until that checker is
 * merged, {@link #check} checks necessary conditions of linearizability that need no search.
 */
final class RegisterWorkload {
    /** Mirrors {@code dev.corral.lin.Op.Kind} (without CREATE, which this workload does not use). */
    enum Kind {
        READ,
        WRITE,
        CAS
    }

    /** Mirrors {@code dev.corral.lin.Op.Outcome}. */
    enum Outcome {
        OK,
        FAIL,
        UNKNOWN
    }

    /** Mirrors {@code dev.corral.lin.Register}: a znode's data and version, or {@link #ABSENT} (version -1). */
    record Register(String value, int version) {
        static final Register ABSENT = new Register(null, -1);

        @Override
        public String toString() {
            return version == -1 ? "absent" : '"' + value + "\"@v" + version;
        }
    }

    /** Mirrors {@code dev.corral.lin.Op}: one operation as its client saw it. */
    record RegisterOp(long id, int process, String key, Kind kind, String value, int expectedVersion, boolean linearizable,
            long invokeNanos, Outcome outcome, long completeNanos, Register result, String error) {
        String describe(long base) {
            String what = switch (kind) {
                case READ -> "read";
                case WRITE -> "write(" + value + ")";
                case CAS -> "cas(v" + expectedVersion + " -> " + value + ")";
            };
            String got = outcome == Outcome.OK ? (kind == Kind.READ ? "OK " + result : "OK v" + result.version())
                    : outcome == Outcome.FAIL ? "FAIL " + error : "UNKNOWN";
            return "#" + id + " p" + process + " " + key + " " + what + " " + got + " [" + (invokeNanos - base) / 1000 + "us, "
                    + (completeNanos - base) / 1000 + "us]";
        }
    }

    static final String INITIAL = "init";

    final List<String> keys;
    private final int threads;
    private final IntFunction<NodeProcess> route;
    private final SplittableRandom seeds;
    private final AtomicLong nextId = new AtomicLong();
    private final ConcurrentLinkedQueue<RegisterOp> ops = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> anomalies = new ConcurrentLinkedQueue<>();
    final AtomicLong okCount = new AtomicLong();
    private final List<Thread> running = new ArrayList<>();
    private volatile boolean stopping;

    /** {@code route} maps a random int to the node for one request. */
    RegisterWorkload(List<String> keys, int threads, IntFunction<NodeProcess> route, long seed) {
        this.keys = List.copyOf(keys);
        this.threads = threads;
        this.route = route;
        this.seeds = new SplittableRandom(seed);
    }

    /** Creates every key with {@value #INITIAL} at version 0; must be acknowledged before {@link #start}. */
    void createKeys(NodeProcess node) throws IOException {
        for (String key : keys) {
            NodeProcess.Reply r = node.post("/v1/nodes" + key, "{\"data\":\"" + b64(INITIAL) + "\"}");
            if (r.status() != 201) throw new AssertionError("could not create " + key + ": " + r.status() + " " + r.body());
        }
    }

    void start() {
        for (int t = 0; t < threads; t++) {
            int process = t;
            SplittableRandom rnd = seeds.split();
            running.add(Thread.ofPlatform().daemon().name("register-" + t).start(() -> {
                try {
                    runClient(process, rnd);
                } catch (RuntimeException | Error e) {
                    anomalies.add(Thread.currentThread().getName() + " failed: " + e);
                }
            }));
        }
    }

    /** Stops the threads after their current operation and waits for them. */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread t : running) {
            t.join(Cluster.CLIENT_TIMEOUT.toMillis() * 2);
            if (t.isAlive()) throw new AssertionError(t.getName() + " did not stop");
        }
    }

    List<RegisterOp> ops() {
        List<RegisterOp> all = new ArrayList<>(ops);
        all.sort(Comparator.comparingLong(RegisterOp::invokeNanos).thenComparingLong(RegisterOp::id));
        return all;
    }

    Map<Outcome, Long> outcomes() {
        Map<Outcome, Long> m = new HashMap<>();
        for (RegisterOp op : ops) m.merge(op.outcome(), 1L, Long::sum);
        return m;
    }

    private void runClient(int process, SplittableRandom rnd) {
        Map<String, Integer> lastSeen = new HashMap<>();
        for (int seq = 0; !stopping; seq++) {
            String key = keys.get(rnd.nextInt(keys.size()));
            NodeProcess node = route.apply(rnd.nextInt(Integer.MAX_VALUE));
            double r = rnd.nextDouble();
            RegisterOp op;
            if (r < 0.4) {
                op = read(node, process, key);
            } else {
                String value = "p" + process + "-" + seq;
                int expected = r < 0.7 ? -1 : lastSeen.getOrDefault(key, 0);
                op = set(node, process, key, value, expected);
            }
            ops.add(op);
            if (op.outcome() == Outcome.OK) {
                okCount.incrementAndGet();
                if (op.result().version() >= 0) lastSeen.put(key, op.result().version());
            } else {
                // A node that cannot take the request now answers at once; back off a little instead of spinning.
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
        }
    }

    private RegisterOp read(NodeProcess node, int process, String key) {
        long id = nextId.getAndIncrement();
        long invoked = System.nanoTime();
        NodeProcess.Reply r;
        try {
            r = node.get("/v1/nodes" + key + "?consistency=linearizable");
        } catch (IOException e) {
            return new RegisterOp(id, process, key, Kind.READ, null, -1, true, invoked, Outcome.UNKNOWN, System.nanoTime(), null, null);
        }
        long completed = System.nanoTime();
        if (r.status() == 200) {
            JsonNode j = r.json();
            String value = new String(Base64.getDecoder().decode(j.path("data").asText()), StandardCharsets.UTF_8);
            return new RegisterOp(id, process, key, Kind.READ, null, -1, true, invoked, Outcome.OK, completed,
                    new Register(value, j.path("stat").path("version").asInt()), null);
        }
        if (r.status() == 404) {
            return new RegisterOp(id, process, key, Kind.READ, null, -1, true, invoked, Outcome.OK, completed, Register.ABSENT, null);
        }
        if (r.status() < 500) anomalies.add("read of " + key + " answered " + r.status() + " " + r.body());
        return new RegisterOp(id, process, key, Kind.READ, null, -1, true, invoked, Outcome.UNKNOWN, completed, null, null);
    }

    /** {@code expected} -1: an unconditional write; otherwise a compare-and-set. */
    private RegisterOp set(NodeProcess node, int process, String key, String value, int expected) {
        Kind kind = expected < 0 ? Kind.WRITE : Kind.CAS;
        long id = nextId.getAndIncrement();
        String body = "{\"data\":\"" + b64(value) + "\"" + (expected < 0 ? "" : ",\"version\":" + expected) + "}";
        long invoked = System.nanoTime();
        NodeProcess.Reply r;
        try {
            r = node.put("/v1/nodes" + key, body);
        } catch (IOException e) {
            return new RegisterOp(id, process, key, kind, value, expected, true, invoked, Outcome.UNKNOWN, System.nanoTime(), null, null);
        }
        long completed = System.nanoTime();
        if (r.status() == 200) {
            return new RegisterOp(id, process, key, kind, value, expected, true, invoked, Outcome.OK, completed,
                    new Register(value, r.json().path("stat").path("version").asInt()), null);
        }
        if (r.status() >= 500) {
            return new RegisterOp(id, process, key, kind, value, expected, true, invoked, Outcome.UNKNOWN, completed, null, null);
        }
        String code = r.json().path("code").asText();
        if (!(kind == Kind.CAS && r.status() == 412 && code.equals("BAD_VERSION"))) {
            anomalies.add(kind + " of " + key + " refused with " + r.status() + " " + r.body());
        }
        return new RegisterOp(id, process, key, kind, value, expected, true, invoked, Outcome.FAIL, completed, null, code);
    }

    /**
     * The history checked by {@link dev.corral.lin.LinearizabilityChecker} (per key, linearizable reads, writes and
     * compare-and-sets; an UNKNOWN op is open forever). Returns the checker's explanation if it is not linearizable,
     * or if the search hit its bound (then the verdict is unknown, which this test does not accept either).
     */
    List<String> toLinearizabilityChecker() {
        List<dev.corral.lin.Op> lin = ops().stream().map(o -> new dev.corral.lin.Op(o.id(), o.process(), o.key(),
                dev.corral.lin.Op.Kind.valueOf(o.kind().name()), o.value(), o.expectedVersion(), o.linearizable(),
                o.invokeNanos(), dev.corral.lin.Op.Outcome.valueOf(o.outcome().name()), o.completeNanos(),
                o.result() == null ? null : new dev.corral.lin.Register(o.result().value(), o.result().version()),
                o.error())).toList();
        Map<String, dev.corral.lin.Register> initial = new HashMap<>();
        for (String k : keys) initial.put(k, new dev.corral.lin.Register(INITIAL, 0));
        dev.corral.lin.CheckResult result = new dev.corral.lin.LinearizabilityChecker().check(lin, initial);
        return result.isLinearizable() ? List.of() : List.of(result.describe());
    }

    /**
     * Necessary conditions of linearizability for this history, each checkable without search; returns every
     * violation found (and the workload's own anomalies, such as an unexpected 4xx).
     *
     * <ol>
     *   <li>A version names one value: all OK results (reads, writes, compare-and-sets) that report the same key and
     *       version report the same value. So no two compare-and-sets from the same version both succeed, and no two
     *       writes got the same version.</li>
     *   <li>Every value read was written: it is the initial value at version 0, or the value of a write that was
     *       acknowledged or has an unknown outcome and was invoked before the read completed.</li>
     *   <li>Versions never go backwards in real time: if an OK operation completed before another OK operation on the
     *       same key was invoked, the later one reports a version at least as high (strictly higher for a write).</li>
     *   <li>A compare-and-set that succeeded produced version expected + 1.</li>
     * </ol>
     */
    List<String> check() {
        List<String> problems = new ArrayList<>(anomalies);
        List<RegisterOp> all = ops();
        long base = all.isEmpty() ? 0 : all.getFirst().invokeNanos();
        Map<String, RegisterOp> writesByValue = new HashMap<>();
        for (RegisterOp op : all) if (op.kind() != Kind.READ && op.outcome() != Outcome.FAIL) writesByValue.put(op.value(), op);
        Map<String, Map<Integer, RegisterOp>> valueAt = new HashMap<>();
        Map<String, List<RegisterOp>> okByKey = new HashMap<>();
        for (String k : keys) valueAt.computeIfAbsent(k, x -> new HashMap<>());
        for (RegisterOp op : all) {
            if (op.outcome() != Outcome.OK) continue;
            Register res = op.result();
            okByKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            if (res.version() < 0) {
                problems.add("a key never deleted was read as absent: " + op.describe(base));
                continue;
            }
            if (op.kind() == Kind.CAS && res.version() != op.expectedVersion() + 1) {
                problems.add("compare-and-set produced version " + res.version() + ": " + op.describe(base));
            }
            if (op.kind() == Kind.READ && !(res.version() == 0 && INITIAL.equals(res.value()))) {
                RegisterOp w = writesByValue.get(res.value());
                if (w == null || !w.key().equals(op.key())) {
                    problems.add("read a value no acknowledged or in-doubt write wrote: " + op.describe(base));
                } else if (w.invokeNanos() > op.completeNanos()) {
                    problems.add("read a value before its write was invoked: " + op.describe(base) + " / " + w.describe(base));
                }
            }
            Map<Integer, RegisterOp> byVersion = valueAt.computeIfAbsent(op.key(), k -> new HashMap<>());
            if (res.version() == 0) {
                if (!INITIAL.equals(res.value())) problems.add("version 0 with a value other than the initial one: " + op.describe(base));
                continue;
            }
            RegisterOp first = byVersion.putIfAbsent(res.version(), op);
            if (first != null && !first.result().value().equals(res.value())) {
                problems.add("version " + res.version() + " of " + op.key() + " has two values: " + first.describe(base) + " / " + op.describe(base));
            }
        }
        for (List<RegisterOp> list : okByKey.values()) {
            // Sorted by invoke; for each op, every earlier-completed op bounds its version from below.
            List<RegisterOp> byComplete = new ArrayList<>(list);
            byComplete.sort(Comparator.comparingLong(RegisterOp::completeNanos));
            int j = 0;
            RegisterOp maxDone = null;
            List<RegisterOp> byInvoke = new ArrayList<>(list);
            byInvoke.sort(Comparator.comparingLong(RegisterOp::invokeNanos));
            for (RegisterOp op : byInvoke) {
                while (j < byComplete.size() && byComplete.get(j).completeNanos() < op.invokeNanos()) {
                    RegisterOp d = byComplete.get(j++);
                    if (maxDone == null || d.result().version() > maxDone.result().version()) maxDone = d;
                }
                if (maxDone == null) continue;
                int floor = maxDone.result().version();
                int v = op.result().version();
                if (v < floor || op.kind() != Kind.READ && v == floor) {
                    problems.add("version went backwards in real time: " + maxDone.describe(base) + " completed before " + op.describe(base));
                }
            }
        }
        problems.addAll(toLinearizabilityChecker());
        return problems;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
