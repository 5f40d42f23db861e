package dev.corral.sim;

import dev.corral.replica.Outcome;
import dev.corral.tree.Caller;
import dev.corral.tree.CreateMode;
import dev.corral.tree.Op;
import dev.corral.tree.OpResult;
import dev.corral.txn.Acl;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Simulated clients: what they ask, which node they ask, and what they were told. Clients address the node
 * they believe leads and follow not-leader hints. Paths come from a small namespace so that requests collide:
 * creates meet existing nodes, deletes meet children, versions go stale. Clients open sessions, create
 * ephemeral and sequential znodes in them, send heartbeats for some and let others expire.
 */
final class Workload {
    /**
     * One request; it is also the completion token handed to the replica. {@code submitMs} is the node's clock
     * when it was submitted, {@code simMs} the simulated time. {@code barrierIndex} and {@code barrierTerm} are the
     * node's last log entry then: a refusal (or a sync) completes once that entry is applied, and must agree with
     * the committed state there. {@code linearizable}: a linearizable read barrier (a sync too), which must complete
     * at an index of at least {@code mustSee}, the highest index any client had been told of when it was sent.
     */
    record Request(long id, int client, Op op, Caller caller, long submitMs, int node, long barrierIndex, long barrierTerm,
            boolean sync, long simMs, boolean linearizable, long mustSee) {}

    /** A request to send again: its answer was "try again", or it never came. */
    record Retry(Op op, Caller caller) {}

    /** An acknowledged request: the client was told it happened at {@code done.zxid()}. */
    record Ack(Request request, Outcome.Done done) {}

    static final class Client {
        final int id;
        int leaderGuess;
        final List<Long> sessions = new ArrayList<>();
        final List<Long> heartbeating = new ArrayList<>();
        final java.util.ArrayDeque<Retry> retries = new java.util.ArrayDeque<>();
        /** Outstanding requests the client stopped waiting for (they stay checked if they ever complete). */
        final java.util.Set<Long> gaveUp = new java.util.TreeSet<>();

        Client(int id, int leaderGuess) {
            this.id = id;
            this.leaderGuess = leaderGuess;
        }
    }

    private static final String[] TOP = {"/n0", "/n1", "/n2", "/n3"};
    private static final String[] NAMES = {"a", "b", "c", "d", "e"};

    /** How many top-level znodes and child names this run uses; a narrow namespace makes requests collide. */
    private final int tops;
    private final int names;

    private final RandomGenerator rng;
    private final SimOptions options;
    final List<Client> clients = new ArrayList<>();
    final TreeMap<Long, Request> outstanding = new TreeMap<>();
    final List<Ack> acks = new ArrayList<>();
    private long nextId = 1;
    long submitted;
    long done;
    long refused;
    long unavailable;
    long lost;
    long unknown;
    /** The highest zxid a client was told a write (or a linearizable read) happened at. */
    private long highestToldZxid;

    Workload(RandomGenerator rng, SimOptions options) {
        this.rng = rng;
        this.options = options;
        boolean narrow = rng.nextInt(3) == 0;
        this.tops = narrow ? 1 : TOP.length;
        this.names = narrow ? 2 : NAMES.length;
        for (int i = 0; i < options.clients(); i++) clients.add(new Client(i, 1 + rng.nextInt(options.nodes())));
    }

    Request newRequest(Client c, Op op, Caller caller, long submitMs, int node, long barrierIndex, long barrierTerm, boolean sync,
            long simMs) {
        Request r = new Request(nextId++, c.id, op, caller, submitMs, node, barrierIndex, barrierTerm, sync, simMs, false, 0);
        outstanding.put(r.id(), r);
        submitted++;
        return r;
    }

    /** A linearizable read barrier: it must see every index a client had been told of before now. */
    Request newLinearizableRead(Client c, long submitMs, int node, long simMs) {
        Request r = new Request(nextId++, c.id, null, Caller.ANONYMOUS, submitMs, node, 0, 0, true, simMs, true, highestToldZxid);
        outstanding.put(r.id(), r);
        submitted++;
        return r;
    }

    /** Records an outcome; returns false if the request was no longer outstanding (a duplicate completion). */
    boolean complete(Request r, Outcome o) {
        if (outstanding.remove(r.id()) == null) return false;
        Client c = clients.get(r.client());
        switch (o) {
            case Outcome.Done d -> {
                done++;
                acks.add(new Ack(r, d));
                if (!r.sync() || r.linearizable()) highestToldZxid = Math.max(highestToldZxid, d.zxid());
                if (d.result() instanceof OpResult.SessionOpened so) {
                    c.sessions.add(so.sessionId());
                    if (rng.nextInt(4) != 0) c.heartbeating.add(so.sessionId());
                }
                if (d.result() instanceof OpResult.SessionClosed sc) {
                    c.sessions.remove(sc.sessionId());
                    c.heartbeating.remove(sc.sessionId());
                }
            }
            case Outcome.Refused x -> refused++;
            case Outcome.Unavailable u -> {
                unavailable++;
                c.leaderGuess = u.leaderId() != 0 ? u.leaderId() : 1 + rng.nextInt(options.nodes());
                maybeRetry(c, r);
            }
            case Outcome.Lost x -> {
                lost++;
                maybeRetry(c, r);
            }
            case Outcome.Unknown x -> throw new AssertionError("a replica never answers unknown, only a driver whose storage failed: " + x);
        }
        return true;
    }

    private void maybeRetry(Client c, Request r) {
        if (r.op() != null && c.retries.size() < 8 && rng.nextInt(4) != 0) c.retries.addLast(new Retry(r.op(), r.caller()));
    }

    /**
     * The client stops waiting for requests older than {@code timeoutMs} and may send them again, to this or
     * another node, as clients do after a leader change.
     */
    void timeOut(Client c, long nowMs, long timeoutMs) {
        for (Request r : outstanding.values()) {
            if (r.client() == c.id && nowMs - r.simMs() > timeoutMs && c.gaveUp.add(r.id())) {
                if (rng.nextBoolean()) c.leaderGuess = 1 + rng.nextInt(options.nodes());
                maybeRetry(c, r);
            }
        }
    }

    /** Forgets requests whose outcome will never be known: their node crashed, or they waited too long. */
    void abandon(java.util.function.Predicate<Request> which) {
        var it = outstanding.values().iterator();
        while (it.hasNext()) {
            if (which.test(it.next())) {
                it.remove();
                unknown++;
            }
        }
    }

    int outstandingOf(Client c) {
        int n = 0;
        for (Request r : outstanding.values()) if (r.client() == c.id && !c.gaveUp.contains(r.id())) n++;
        return n;
    }

    /** The next request to retry, if the client chooses to retry now. */
    Retry nextRetry(Client c) {
        return !c.retries.isEmpty() && rng.nextInt(3) != 0 ? c.retries.pollFirst() : null;
    }

    /** A request as text, without array identity hashes, so that failure messages replay exactly. */
    static String describe(Op op) {
        return switch (op) {
            case null -> "sync";
            case Op.Create c -> "create " + c.path() + " " + c.mode() + " (" + (c.data() == null ? 0 : c.data().length) + " bytes)";
            case Op.Delete d -> "delete " + d.path() + " version " + d.version();
            case Op.SetData d -> "setData " + d.path() + " version " + d.version() + " (" + d.data().length + " bytes)";
            case Op.SetAcl a -> "setAcl " + a.path() + " aversion " + a.aversion();
            case Op.Check c -> "check " + c.path() + " version " + c.version();
            case Op.Multi m -> "multi " + m.ops().stream().map(Workload::describe).toList();
            case Op.CreateSession cs -> "createSession " + cs.requestedTimeoutMs() + " ms";
            case Op.CloseSession cs -> "closeSession " + Long.toHexString(cs.sessionId());
            case Op.Reap r -> "reap " + r.path();
        };
    }

    // ---- request generation ----

    /** Null means a sync (ZooKeeper's barrier) rather than a write. */
    Op nextOp(Client c) {
        int roll = rng.nextInt(100);
        if (roll < 30) return create(c, false);
        if (roll < 50) return setData();
        if (roll < 60) return new Op.Delete(anyPath(), version());
        if (roll < 70) return multi(c);
        if (roll < 76) return create(c, true);
        if (roll < 80) return new Op.CreateSession(200 + rng.nextInt(2_500));
        if (roll < 83 && !c.sessions.isEmpty()) return new Op.CloseSession(c.sessions.get(rng.nextInt(c.sessions.size())));
        if (roll < 85) return new Op.SetAcl(anyPath(), Acl.OPEN, version());
        if (roll < 87) return new Op.Check(anyPath(), version());
        if (roll < 90) return new Op.CloseSession(1 + rng.nextLong(1L << 40));
        if (roll < 93) return null;
        return create(c, false);
    }

    /** The caller for {@code op}: in one of the client's sessions (sometimes an expired one) or anonymous. */
    Caller callerFor(Client c, Op op) {
        boolean ephemeral = op instanceof Op.Create cr && cr.mode().ephemeral;
        if ((ephemeral || rng.nextInt(3) == 0) && !c.sessions.isEmpty()) {
            return Caller.ANONYMOUS.withSession(c.sessions.get(rng.nextInt(c.sessions.size())));
        }
        return Caller.ANONYMOUS;
    }

    private Op create(Client c, boolean special) {
        String path = rng.nextInt(4) == 0 ? TOP[rng.nextInt(tops)] : childPath();
        CreateMode mode = CreateMode.PERSISTENT;
        long ttl = -1;
        if (special) {
            mode = switch (rng.nextInt(6)) {
                case 0, 1 -> CreateMode.PERSISTENT_SEQUENTIAL;
                case 2 -> c.sessions.isEmpty() ? CreateMode.PERSISTENT : CreateMode.EPHEMERAL;
                case 3 -> c.sessions.isEmpty() ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.EPHEMERAL_SEQUENTIAL;
                case 4 -> CreateMode.CONTAINER;
                default -> CreateMode.PERSISTENT_TTL;
            };
            if (mode.isTtl()) ttl = 100 + rng.nextInt(3_000);
        }
        return new Op.Create(path, data(), Acl.OPEN, mode, ttl);
    }

    private Op setData() {
        return new Op.SetData(anyPath(), data(), version());
    }

    private Op multi(Client c) {
        int n = 1 + rng.nextInt(4);
        List<Op> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ops.add(switch (rng.nextInt(4)) {
                case 0 -> create(c, rng.nextInt(4) == 0);
                case 1 -> setData();
                case 2 -> new Op.Delete(anyPath(), version());
                default -> new Op.Check(anyPath(), version());
            });
        }
        return new Op.Multi(ops);
    }

    private String anyPath() {
        int roll = rng.nextInt(10);
        if (roll < 3) return TOP[rng.nextInt(tops)];
        if (roll < 9) return childPath();
        return childPath() + "/" + NAMES[rng.nextInt(2)];
    }

    private String childPath() {
        return TOP[rng.nextInt(tops)] + "/" + NAMES[rng.nextInt(names)];
    }

    private int version() {
        return rng.nextInt(3) == 0 ? rng.nextInt(3) : -1;
    }

    private byte[] data() {
        int len = rng.nextInt(20) == 0 ? 100 + rng.nextInt(400) : rng.nextInt(24);
        byte[] b = new byte[len];
        rng.nextBytes(b);
        return b;
    }
}
