package dev.corral.lin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Clients of a register workload against one atomic register per key, simulated from a seed: the histories it
 * records are linearizable by construction, whatever the seed. Each operation is invoked, takes effect atomically
 * at a later step, and completes at a later step still; the steps of all clients interleave at random. Some
 * operations end {@link Op.Outcome#UNKNOWN}: either the answer is lost after the effect, or the client gives up
 * first and the effect happens at some later step or never. Sequential (non-linearizable) reads return one of the
 * last few states, possibly stale, as a follower would.
 *
 * <p>Values are unique ({@code k<key>-p<process>-<n>}), and versions never go down (there is no delete), which is
 * what the mutations in {@link RandomHistoriesTest} rely on to make a history certainly not linearizable.
 */
final class RegisterSimulation {
    /** The shape of a run. */
    record Settings(int processes, int keys, int opsPerProcess, double unknownRate, boolean keysStartAbsent) {
        static Settings random(SplittableRandom rng) {
            return new Settings(2 + rng.nextInt(5), 1 + rng.nextInt(3), 10 + rng.nextInt(51), rng.nextDouble(0.15),
                    rng.nextInt(3) == 0);
        }
    }

    private enum Fate { ANSWERED, LOST_BEFORE_EFFECT, LOST_AFTER_EFFECT }

    private enum Phase { IDLE, INVOKED, EFFECTED }

    private static final class Client {
        final int id;
        int started;
        Phase phase = Phase.IDLE;
        History.Pending pending;
        Op.Kind kind;
        String key;
        String value;
        int expectedVersion;
        boolean linearizable;
        Fate fate;
        /** What the effect step decided: the register read or written, or the error. */
        Register result;
        String error;

        Client(int id) {
            this.id = id;
        }
    }

    /** An effect still to happen, or not, after its client gave up. */
    private record Ghost(Op.Kind kind, String key, String value, int expectedVersion) {}

    private final SplittableRandom rng;
    private final Settings settings;
    private long now = 1_000;
    private final History history = new History(() -> now);
    private final Map<String, List<Register>> states = new HashMap<>();
    private final List<Ghost> ghosts = new ArrayList<>();

    private RegisterSimulation(long seed, Settings settings) {
        this.rng = new SplittableRandom(seed);
        this.settings = settings;
    }

    /** A run with settings drawn from the seed. */
    static History run(long seed) {
        return run(seed, Settings.random(new SplittableRandom(seed ^ 0x5deece66dL)));
    }

    static History run(long seed, Settings settings) {
        return new RegisterSimulation(seed, settings).simulate();
    }

    private History simulate() {
        for (int k = 0; k < settings.keys(); k++) {
            Register start = settings.keysStartAbsent() ? Register.ABSENT : new Register("init-" + k, 0);
            states.put(key(k), new ArrayList<>(List.of(start)));
            if (!start.absent()) history.initial(key(k), start);
        }
        List<Client> clients = new ArrayList<>();
        for (int p = 0; p < settings.processes(); p++) clients.add(new Client(p));
        List<Client> active = new ArrayList<>(clients);
        while (!active.isEmpty()) {
            now += 1 + rng.nextInt(3);
            if (!ghosts.isEmpty() && rng.nextInt(20) == 0) {
                Ghost g = ghosts.remove(rng.nextInt(ghosts.size()));
                if (rng.nextBoolean()) apply(g.kind(), g.key(), g.value(), g.expectedVersion());
                continue;
            }
            Client c = active.get(rng.nextInt(active.size()));
            switch (c.phase) {
                case IDLE -> invoke(c);
                case INVOKED -> effect(c);
                case EFFECTED -> complete(c);
            }
            if (c.phase == Phase.IDLE && c.started == settings.opsPerProcess()) active.remove(c);
        }
        return history;
    }

    private void invoke(Client c) {
        c.key = key(rng.nextInt(settings.keys()));
        c.value = c.key.substring(1) + "-p" + c.id + "-" + c.started;
        c.expectedVersion = -1;
        c.linearizable = rng.nextInt(5) != 0;
        int roll = rng.nextInt(100);
        c.kind = roll < 40 ? Op.Kind.READ : roll < 65 ? Op.Kind.WRITE : roll < 92 ? Op.Kind.CAS : Op.Kind.CREATE;
        // Clients create a missing znode more often than not, so that runs starting absent get going.
        if (c.kind != Op.Kind.READ && current(c.key).absent() && rng.nextBoolean()) c.kind = Op.Kind.CREATE;
        double lost = rng.nextDouble();
        c.fate = lost >= settings.unknownRate() ? Fate.ANSWERED : rng.nextBoolean() ? Fate.LOST_BEFORE_EFFECT : Fate.LOST_AFTER_EFFECT;
        c.started++;
        c.pending = switch (c.kind) {
            case READ -> history.invokeRead(c.id, c.key, c.linearizable);
            case WRITE -> history.invokeWrite(c.id, c.key, c.value);
            case CAS -> {
                // Usually the version the register has now; by its effect another client may have moved it on.
                int current = Math.max(0, current(c.key).version());
                c.expectedVersion = rng.nextInt(4) == 0 ? Math.max(0, current + rng.nextInt(3) - 1) : current;
                yield history.invokeCas(c.id, c.key, c.expectedVersion, c.value);
            }
            case CREATE -> history.invokeCreate(c.id, c.key, c.value);
        };
        c.value = c.kind == Op.Kind.READ ? null : c.value;
        c.phase = Phase.INVOKED;
    }

    private void effect(Client c) {
        if (c.fate == Fate.LOST_BEFORE_EFFECT) {
            c.pending.unknown();
            if (c.kind != Op.Kind.READ) ghosts.add(new Ghost(c.kind, c.key, c.value, c.expectedVersion));
            c.phase = Phase.IDLE;
            return;
        }
        c.error = null;
        c.result = null;
        if (c.kind == Op.Kind.READ) {
            List<Register> past = states.get(c.key);
            c.result = c.linearizable ? current(c.key) : past.get(Math.max(0, past.size() - 1 - rng.nextInt(3)));
        } else {
            c.error = apply(c.kind, c.key, c.value, c.expectedVersion);
            if (c.error == null) c.result = current(c.key);
        }
        c.phase = Phase.EFFECTED;
    }

    private void complete(Client c) {
        if (c.fate == Fate.LOST_AFTER_EFFECT) c.pending.unknown();
        else if (c.error != null) c.pending.fail(c.error);
        else if (c.kind != Op.Kind.READ) c.pending.ok(c.result.version());
        else if (c.result.absent()) c.pending.okAbsent();
        else c.pending.okRead(c.result.value(), c.result.version());
        c.phase = Phase.IDLE;
    }

    /** Applies a write-like operation atomically; returns the error code, or null if it took effect. */
    private String apply(Op.Kind kind, String key, String value, int expectedVersion) {
        Register r = current(key);
        Register next = switch (kind) {
            case CREATE -> r.absent() ? new Register(value, 0) : null;
            case WRITE -> r.absent() ? null : new Register(value, r.version() + 1);
            case CAS -> r.absent() || r.version() != expectedVersion ? null : new Register(value, r.version() + 1);
            case READ -> throw new IllegalArgumentException("a read writes nothing");
        };
        if (next == null) return kind == Op.Kind.CREATE ? "NODE_EXISTS" : r.absent() ? "NO_NODE" : "BAD_VERSION";
        states.get(key).add(next);
        return null;
    }

    private Register current(String key) {
        List<Register> past = states.get(key);
        return past.get(past.size() - 1);
    }

    private static String key(int k) {
        return "/k" + k;
    }
}
