package dev.corral.sim;

import dev.corral.consensus.HardState;
import dev.corral.consensus.Message;
import dev.corral.consensus.RaftConfig;
import dev.corral.consensus.Ready;
import dev.corral.consensus.Role;
import dev.corral.replica.Outcome;
import dev.corral.replica.Replica;
import dev.corral.tree.AclTable;
import dev.corral.tree.Apply;
import dev.corral.tree.DigestMismatch;
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
 * wait in a list until the script delivers or drops them.
 */
final class ScriptedCluster {
    final Map<Integer, Replica<String>> replicas = new HashMap<>();
    final List<Message> inFlight = new ArrayList<>();
    final Map<String, Outcome> outcomes = new HashMap<>();
    /** The digest mismatches each node reported, in order. */
    final Map<Integer, List<DigestMismatch>> mismatches = new HashMap<>();
    private long nowMs = 1_000;

    ScriptedCluster(int size) {
        this(size, 0);
    }

    /** Voters 1..{@code size}, then observers {@code size+1}..{@code size+observers}. */
    ScriptedCluster(int size, int observerCount) {
        this(size, observerCount, Replica.DIGEST_EVERY_ENTRIES_DEFAULT, (id, acls) -> new Apply(acls));
    }

    /** {@code applies} makes each node's {@link Apply} from its ACL table: a test may give one node a broken one. */
    ScriptedCluster(int size, int digestEveryEntries, BiFunction<Integer, AclTable, Apply> applies) {
        this(size, 0, digestEveryEntries, applies);
    }

    private ScriptedCluster(int size, int observerCount, int digestEveryEntries, BiFunction<Integer, AclTable, Apply> applies) {
        Set<Integer> voters = new java.util.TreeSet<>();
        for (int i = 1; i <= size; i++) voters.add(i);
        Set<Integer> observers = new java.util.TreeSet<>();
        for (int i = size + 1; i <= size + observerCount; i++) observers.add(i);
        SplittableRandom rng = new SplittableRandom(size);
        for (int i = 1; i <= size + observerCount; i++) {
            AclTable acls = new AclTable();
            Apply apply = applies.apply(i, acls);
            mismatches.put(i, new ArrayList<>());
            SplittableRandom ids = rng.split();
            Prep prep = new Prep(new Prep.Limits(1 << 20, 200, 10_000), apply, ids::nextLong,
                    () -> new dev.corral.txn.SessionSecret(ids.nextLong() | 1, ids.nextLong()));
            RaftConfig config = new RaftConfig(i, voters, 10, 1, 64, 1 << 20, 64L << 20, RaftConfig.APPLIED_LOG_BYTES_DEFAULT, observers);
            replicas.put(i, new Replica<>(config, rng.split(), prep, apply, new Replica.Settings(prep.limits(), 10, Replica.PENDING_REQUESTS_DEFAULT, digestEveryEntries),
                    TreeState.initial(), 0, HardState.EMPTY, List.of()));
        }
    }

    Replica<String> node(int id) {
        return replicas.get(id);
    }

    /** Processes {@code id}: persists at once, queues its messages, records completions. */
    void process(int id) {
        Replica<String> r = node(id);
        for (int round = 0; round < 100; round++) {
            Replica.Output<String> out = r.process();
            if (out.isEmpty()) return;
            Ready ready = out.ready();
            if (ready != null) {
                inFlight.addAll(ready.messages());
                if (!ready.entries().isEmpty()) r.persisted(ready.lastEntryIndex(), ready.lastEntryTerm());
            }
            for (Replica.Completion<String> c : out.completions()) outcomes.put(c.token(), c.outcome());
            mismatches.get(id).addAll(out.digestMismatches());
        }
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
