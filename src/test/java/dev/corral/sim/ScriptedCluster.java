package dev.corral.sim;

import dev.corral.consensus.HardState;
import dev.corral.consensus.Message;
import dev.corral.consensus.RaftConfig;
import dev.corral.consensus.Ready;
import dev.corral.consensus.Role;
import dev.corral.replica.Outcome;
import dev.corral.replica.Replica;
import dev.corral.tree.AclTable;
import dev.corral.tree.DigestMismatch;
import dev.corral.tree.Apply;
import dev.corral.tree.Prep;
import dev.corral.tree.TreeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * A hand-driven cluster for scripted scenarios: the test decides when each node ticks, processes, and which
 * messages arrive. Writes are durable as soon as a node processes (the simulator covers lost writes); messages
 * wait in a list until the script delivers or drops them. Each node's durable state (term, vote, log) is kept, so
 * that a node can be restarted from it, or restarted with its log wiped. Every entry a node applies is checked
 * against what any node applied at that index before (state machine safety).
 */
final class ScriptedCluster {
    final Map<Integer, Replica<String>> replicas = new HashMap<>();
    final List<Message> inFlight = new ArrayList<>();
    final Map<String, Outcome> outcomes = new HashMap<>();
    /** Every entry any node applied, by index. */
    final Map<Long, dev.corral.consensus.Entry> applied = new HashMap<>();
    private final Map<Integer, HardState> durableHardState = new HashMap<>();
    private final Map<Integer, List<dev.corral.consensus.Entry>> durableLog = new HashMap<>();
    private final Map<Integer, RaftConfig> configs = new HashMap<>();
    /** The digest mismatches each node reported, in order. */
    final Map<Integer, List<DigestMismatch>> mismatches = new HashMap<>();
    private final SplittableRandom rng;
    private final int digestEveryEntries;
    private final BiFunction<Integer, AclTable, Apply> applies;
    private long nowMs = 1_000;

    ScriptedCluster(int size) {
        this(size, 64);
    }

    ScriptedCluster(int size, int maxEntriesPerAppend) {
        this(size, 0, maxEntriesPerAppend, Replica.DIGEST_EVERY_ENTRIES_DEFAULT, (id, acls) -> new Apply(acls));
    }

    /** {@code applies} makes each node's {@link Apply} from its ACL table: a test may give one node a broken one. */
    ScriptedCluster(int size, int digestEveryEntries, BiFunction<Integer, AclTable, Apply> applies) {
        this(size, 0, 64, digestEveryEntries, applies);
    }

    /** Voters 1..{@code size}, then observers {@code size+1}..{@code size+observers}. */
    static ScriptedCluster withObservers(int size, int observerCount) {
        return new ScriptedCluster(size, observerCount, 64, Replica.DIGEST_EVERY_ENTRIES_DEFAULT, (id, acls) -> new Apply(acls));
    }

    private ScriptedCluster(int size, int observerCount, int maxEntriesPerAppend, int digestEveryEntries,
            BiFunction<Integer, AclTable, Apply> applies) {
        this.digestEveryEntries = digestEveryEntries;
        this.applies = applies;
        Set<Integer> voters = new java.util.TreeSet<>();
        for (int i = 1; i <= size; i++) voters.add(i);
        Set<Integer> observers = new java.util.TreeSet<>();
        for (int i = size + 1; i <= size + observerCount; i++) observers.add(i);
        rng = new SplittableRandom(size);
        for (int i = 1; i <= size + observerCount; i++) {
            configs.put(i, new RaftConfig(i, voters, 10, 1, maxEntriesPerAppend, 1 << 20, 64L << 20, RaftConfig.APPLIED_LOG_BYTES_DEFAULT,
                    observers));
            durableHardState.put(i, HardState.EMPTY);
            durableLog.put(i, new ArrayList<>());
            mismatches.put(i, new ArrayList<>());
            start(i);
        }
    }

    private void start(int i) {
        AclTable acls = new AclTable();
        Apply apply = applies.apply(i, acls);
        SplittableRandom ids = rng.split();
        Prep prep = new Prep(new Prep.Limits(1 << 20, 200, 10_000), apply, ids::nextLong,
                () -> new dev.corral.txn.SessionSecret(ids.nextLong() | 1, ids.nextLong()));
        replicas.put(i, new Replica<>(configs.get(i), rng.split(), prep, apply, new Replica.Settings(prep.limits(), 10, Replica.PENDING_REQUESTS_DEFAULT, digestEveryEntries),
                TreeState.initial(), 0, durableHardState.get(i), List.copyOf(durableLog.get(i))));
    }

    /** Crashes {@code id} and starts it again from its durable state; messages to and from it in flight are lost. */
    void restart(int id) {
        drop(m -> m.from() == id || m.to() == id);
        start(id);
    }

    /**
     * Crashes {@code id} and starts it with its log gone and its term restored to {@code term} (no vote); if
     * {@code tellIt}, the node is told that it lost entries acknowledged up to term {@code term - 1}.
     */
    void wipe(int id, long term, boolean tellIt) {
        durableHardState.put(id, new HardState(term, 0, 0));
        durableLog.get(id).clear();
        restart(id);
        if (tellIt) node(id).markStorageLost(term - 1);
    }

    Replica<String> node(int id) {
        return replicas.get(id);
    }

    /** Processes {@code id}: persists at once, queues its messages, records completions. */
    void process(int id) {
        Replica<String> r = node(id);
        for (int round = 0; round < 100; round++) {
            Replica.Output<String> out = r.process();
            mismatches.get(id).addAll(out.digestMismatches());
            if (out.isEmpty()) return;
            Ready ready = out.ready();
            if (ready != null) {
                if (ready.hardState() != null) durableHardState.put(id, ready.hardState());
                List<dev.corral.consensus.Entry> log = durableLog.get(id);
                if (!ready.entries().isEmpty()) {
                    long first = ready.entries().getFirst().index();
                    while (log.size() >= first) log.removeLast();
                    log.addAll(ready.entries());
                }
                inFlight.addAll(ready.messages());
                if (!ready.entries().isEmpty()) r.persisted(ready.lastEntryIndex(), ready.lastEntryTerm());
                for (dev.corral.consensus.Entry e : ready.committed()) {
                    dev.corral.consensus.Entry known = applied.putIfAbsent(e.index(), e);
                    if (known != null && (known.term() != e.term() || !java.util.Arrays.equals(known.data(), e.data()))) {
                        throw new AssertionError("state machine safety: node " + id + " applied entry " + e.index() + " of term " + e.term()
                                + " but entry " + e.index() + " of term " + known.term() + " was applied before");
                    }
                }
            }
            for (Replica.Completion<String> c : out.completions()) outcomes.put(c.token(), c.outcome());
        }
    }

    /** Ticks {@code id} once and processes it. */
    void tick(int id) {
        nowMs += 10;
        node(id).tick(nowMs);
        process(id);
    }

    /** Ticks {@code id} until it reaches {@code role}, processing after each tick; fails after a bound. */
    void tickUntil(int id, Role role) {
        for (int i = 0; i < 100; i++) {
            if (node(id).softState().role() == role) return;
            nowMs += 10;
            node(id).tick(nowMs);
            process(id);
        }
        throw new AssertionError("node " + id + " never became " + role);
    }

    /** Ticks {@code id} {@code ticks} times, processing after each, and drops what it sends. */
    void tickQuietly(int id, int ticks) {
        for (int i = 0; i < ticks; i++) {
            nowMs += 10;
            node(id).tick(nowMs);
            process(id);
        }
        drop(from(id));
    }

    /** Delivers, in order, the queued messages that match, without processing the receivers. */
    List<Integer> deliver(Predicate<Message> which) {
        List<Integer> touched = new ArrayList<>();
        List<Message> now = new ArrayList<>();
        for (var it = inFlight.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (which.test(m)) {
                now.add(m);
                it.remove();
            }
        }
        for (Message m : now) {
            node(m.to()).step(m);
            if (!touched.contains(m.to())) touched.add(m.to());
        }
        return touched;
    }

    /** Delivers matching messages and processes their receivers, until none match. */
    void exchange(Predicate<Message> which) {
        for (int round = 0; round < 100; round++) {
            List<Integer> touched = deliver(which);
            if (touched.isEmpty()) return;
            for (int id : touched) process(id);
        }
    }

    void drop(Predicate<Message> which) {
        inFlight.removeIf(which);
    }

    long now() {
        return nowMs;
    }

    static Predicate<Message> between(Set<Integer> group) {
        return m -> group.contains(m.from()) && group.contains(m.to());
    }

    static Predicate<Message> from(int id) {
        return m -> m.from() == id;
    }

    static Predicate<Message> to(int id) {
        return m -> m.to() == id;
    }
}
