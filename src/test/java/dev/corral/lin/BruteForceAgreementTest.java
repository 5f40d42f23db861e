package dev.corral.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The checker's reductions (unread values as one, interchangeable unknown operations in invoke order, pinned
 * versions, dead unknown operations, domination) must not change any verdict. Here it is compared with the
 * definition, searched by brute force: every order of the operations that respects real time, each unknown one
 * placed anywhere after its invoke or left out. The histories are small, on one key, with values from a pool of
 * two so that values repeat; half are linearizable by construction, half have one field changed at random.
 */
class BruteForceAgreementTest {
    private static final int HISTORIES = 4_000;

    @Test
    void checkerAgreesWithBruteForceOnSmallRandomHistories() {
        int linearizable = 0;
        for (long seed = 1; seed <= HISTORIES; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            Register initial = rng.nextBoolean() ? Register.ABSENT : new Register("a", 0);
            List<Op> ops = generate(rng, initial);
            var options = LinearizabilityChecker.Options.defaults().withBadVersionIsRead(rng.nextBoolean()).withCheckAllReads(rng.nextBoolean());
            boolean expected = bruteForce(ops, initial, options);
            CheckResult r = new LinearizabilityChecker(options).check(ops, Map.of("k", initial));
            long s = seed;
            assertEquals(expected, r.isLinearizable(), () -> "seed " + s + ", options " + options + ", initial " + initial + "\n"
                    + String.join("\n", ops.stream().map(o -> o.describe(0)).toList()) + "\n" + r.describe());
            if (expected) linearizable++;
        }
        // Both verdicts must be well represented (about 89% and 11% with these seeds).
        assertTrue(linearizable > 300 && HISTORIES - linearizable > 300, "a poor mix: " + linearizable + " linearizable of " + HISTORIES);
    }

    /** Runs up to eight operations against an atomic register at random points, then maybe changes one. */
    private static List<Op> generate(SplittableRandom rng, Register initial) {
        int n = 2 + rng.nextInt(7);
        Register register = initial;
        long[] effectAt = new long[n];
        for (int i = 0; i < n; i++) effectAt[i] = rng.nextLong(100);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Long.compare(effectAt[a], effectAt[b]));
        Op[] ops = new Op[n];
        for (int i : order) {
            Op.Kind kind = Op.Kind.values()[rng.nextInt(4)];
            String value = kind == Op.Kind.READ ? null : rng.nextBoolean() ? "a" : "b";
            int expected = kind == Op.Kind.CAS ? rng.nextInt(3) : -1;
            long invoke = effectAt[i] - rng.nextLong(12);
            long complete = effectAt[i] + rng.nextLong(12);
            boolean lost = rng.nextInt(4) == 0;
            boolean happened = !lost || rng.nextBoolean();
            Register before = register;
            Register after = switch (kind) {
                case READ -> before;
                case WRITE -> before.absent() ? null : new Register(value, before.version() + 1);
                case CAS -> before.absent() || before.version() != expected ? null : new Register(value, before.version() + 1);
                case CREATE -> before.absent() ? new Register(value, 0) : null;
            };
            if (happened && after != null) register = after;
            Op.Outcome outcome = lost ? Op.Outcome.UNKNOWN : after == null ? Op.Outcome.FAIL : Op.Outcome.OK;
            String error = outcome != Op.Outcome.FAIL ? null : kind == Op.Kind.CAS && !before.absent() ? "BAD_VERSION" : "OTHER";
            Register result = outcome != Op.Outcome.OK ? null : kind == Op.Kind.READ ? before : after;
            boolean linearizable = kind != Op.Kind.READ || rng.nextInt(4) != 0;
            ops[i] = new Op(i, i, "k", kind, value, expected, linearizable, invoke, outcome, lost ? Long.MAX_VALUE : complete, result, error);
        }
        List<Op> list = new ArrayList<>(List.of(ops));
        if (rng.nextBoolean()) {
            // Mostly an acknowledged result, which is what breaks linearizability most often.
            List<Integer> acknowledged = new ArrayList<>();
            for (int i = 0; i < n; i++) if (list.get(i).outcome() == Op.Outcome.OK) acknowledged.add(i);
            int i = acknowledged.isEmpty() || rng.nextInt(4) == 0 ? rng.nextInt(n) : acknowledged.get(rng.nextInt(acknowledged.size()));
            list.set(i, perturb(list.get(i), rng));
        }
        return list;
    }

    private static Op perturb(Op op, SplittableRandom rng) {
        Register result = op.result();
        long invoke = op.invokeNanos();
        long complete = op.completeNanos();
        switch (rng.nextInt(4)) {
            case 0 -> {
                if (op.outcome() == Op.Outcome.OK && op.kind() == Op.Kind.READ) {
                    result = rng.nextInt(4) == 0 ? Register.ABSENT : new Register(rng.nextBoolean() ? "a" : "b", rng.nextInt(4));
                } else if (op.outcome() == Op.Outcome.OK) {
                    result = new Register(op.value(), Math.max(0, result.version() + (rng.nextBoolean() ? 1 : -1)));
                }
            }
            case 1 -> invoke = invoke + rng.nextLong(40);
            case 2 -> {
                if (op.outcome() == Op.Outcome.OK && op.kind() == Op.Kind.READ) result = new Register(rng.nextBoolean() ? "a" : "b", result.absent() ? 0 : result.version());
            }
            default -> complete = complete == Long.MAX_VALUE ? complete : complete - rng.nextLong(40);
        }
        complete = Math.max(invoke, complete);
        return new Op(op.id(), op.process(), op.key(), op.kind(), op.value(), op.expectedVersion(), op.linearizable(), invoke, op.outcome(),
                complete, result, op.error());
    }

    /** The definition, searched exhaustively. */
    static boolean bruteForce(List<Op> all, Register initial, LinearizabilityChecker.Options options) {
        List<Op> ops = new ArrayList<>();
        List<Boolean> required = new ArrayList<>();
        for (Op op : all) {
            boolean read = op.kind() == Op.Kind.READ;
            switch (op.outcome()) {
                case OK -> {
                    if (!read || op.linearizable() || options.checkAllReads()) {
                        ops.add(op);
                        required.add(true);
                    }
                }
                case FAIL -> {
                    if (options.badVersionIsRead() && op.kind() == Op.Kind.CAS && "BAD_VERSION".equals(op.error())) {
                        ops.add(op);
                        required.add(true);
                    }
                }
                case UNKNOWN -> {
                    if (!read) {
                        ops.add(op);
                        required.add(false);
                    }
                }
            }
        }
        return search(ops, required, new boolean[ops.size()], initial);
    }

    private static boolean search(List<Op> ops, List<Boolean> required, boolean[] done, Register state) {
        boolean allRequiredDone = true;
        for (int i = 0; i < ops.size(); i++) allRequiredDone &= done[i] || !required.get(i);
        if (allRequiredDone) return true;
        for (int i = 0; i < ops.size(); i++) {
            if (done[i] || !isMinimal(ops, required, done, i)) continue;
            Register after = apply(ops.get(i), required.get(i), state);
            if (after == null) continue;
            done[i] = true;
            boolean found = search(ops, required, done, after);
            done[i] = false;
            if (found) return true;
        }
        return false;
    }

    /** No required operation still to place completed before this one was invoked (unknown ones never complete). */
    private static boolean isMinimal(List<Op> ops, List<Boolean> required, boolean[] done, int i) {
        for (int j = 0; j < ops.size(); j++) {
            if (!done[j] && required.get(j) && ops.get(j).completeNanos() < ops.get(i).invokeNanos()) return false;
        }
        return true;
    }

    private static Register apply(Op op, boolean required, Register s) {
        boolean badVersionRead = op.outcome() == Op.Outcome.FAIL;
        Register after = switch (op.kind()) {
            case READ -> Objects.equals(op.result(), s) ? s : null;
            case WRITE -> s.absent() ? null : new Register(op.value(), s.version() + 1);
            case CAS -> {
                if (badVersionRead) yield !s.absent() && s.version() != op.expectedVersion() ? s : null;
                yield !s.absent() && s.version() == op.expectedVersion() ? new Register(op.value(), s.version() + 1) : null;
            }
            case CREATE -> s.absent() ? new Register(op.value(), 0) : null;
        };
        if (after == null || !required || op.kind() == Op.Kind.READ || badVersionRead) return after;
        return after.equals(op.result()) ? after : null;
    }
}
