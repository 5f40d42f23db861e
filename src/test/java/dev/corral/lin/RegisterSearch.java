package dev.corral.lin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The search for one key: Lowe's variant of the Wing–Gong algorithm with memoised configurations (see
 * {@link LinearizabilityChecker} for the algorithm and {@link Configurations} for the memo). Single use.
 *
 * <p>The register state is packed into a long: the version in the high 32 bits and a value id in the low 32.
 * Absent is version -1 with value id -1, that is {@code -1L}; versions never reach {@link Integer#MIN_VALUE}, so
 * {@link #INVALID} is no state.
 *
 * <p>Two reductions keep unknown operations from multiplying the configurations; both are exact:
 * <ul>
 *   <li><b>Unread values are one value.</b> Only reads look at a value, and only to compare it with what they
 *       saw. A value that no checked read saw therefore behaves like any other such value, and all of them get
 *       the id {@link #UNREAD}. States that differ only in which unread value they hold become one.</li>
 *   <li><b>Interchangeable unknown operations go in invoke order.</b> Unknown operations of the same kind and
 *       expected version that write unread values have the same effect, and none has a return entry. If a
 *       linearization uses some of them, another uses the earliest-invoked ones instead, in invoke order: the
 *       j-th one used is available wherever the j-th use is, since j of them were. So one of them may be
 *       linearized only after every earlier-invoked one, and which ones are linearized is just how many.</li>
 *   <li><b>Versions never go down</b> (there is no delete): a configuration whose version is past the version some
 *       required operation still to be placed needs ({@link PinnedVersions}) is a dead end and is not entered.
 *       Without this a failing search would try every count of pending unknown writes at every point. For the
 *       same reason an unknown CAS expecting an older version, or an unknown create of a present znode, can never
 *       take effect any more, and configurations are compared as if it had not ({@link #live}).</li>
 * </ul>
 * Without these, unknown writes that never took effect stand in for one another wherever a write nobody read
 * happened, and a failing search enumerates the combinations.
 */
final class RegisterSearch {
    private static final long ABSENT = -1L;
    private static final long INVALID = Long.MIN_VALUE;
    private static final int END = -1;
    /** The value id of every value that no checked read saw. */
    private static final int UNREAD = 0;

    private final String key;
    /** The operations taking part, sorted by invoke time then id. */
    private final Op[] ops;
    /** True for an operation that must be linearized (OK, or a checked failure); false for an unknown one. */
    private final boolean[] required;
    /** A failed CAS with BAD_VERSION checked as a read: the znode existed at a version other than expected. */
    private final boolean[] versionDiffers;
    /** Index of each operation in the required or the optional bitset. */
    private final int[] bit;
    private final int requiredCount;
    private final int optionalCount;
    /**
     * For an optional operation interchangeable with earlier-invoked ones (see the class comment), the latest of
     * those; it must be linearized first. -1 for every other operation.
     */
    private final int[] previousOfClass;
    private final Register initialRegister;
    private final long initial;
    private final long[] writtenState;
    private final long[] readState;
    private final Map<String, Integer> valueIds = new HashMap<>();

    /** Entries are numbered in time order; {@link #head} is the list's sentinel and {@link #END} its end. */
    private final int head;
    private final int[] next;
    private final int[] prev;
    private final int[] entryOp;
    private final boolean[] isCall;
    private final int[] callEntry;
    /** The return entry of a required operation; -1 for an optional one, which stays open forever. */
    private final int[] returnEntry;

    private final long statesMax;

    // The search's current configuration and its stack. The stack holds, per depth, the operation linearized there
    // and what to restore when it is taken back.
    private final long[] requiredBits;
    private final long[] optionalBits;
    private final int[] stackOp;
    private final long[] stackState;
    private final int[] stackPrefix;
    private final int[] stackHighest;
    private final long[] stackHash;
    /** Whether the operation at each depth was found in the optional pass, which the walk resumes after it. */
    private final boolean[] stackOptionalPhase;
    private int depth;
    private long state;
    /** Zobrist hash of the linearized required operations. */
    private long hash;
    /** Every required operation below this index is linearized, this one is not. */
    private int prefix;
    /** The highest linearized required index, or -1. */
    private int highest = -1;
    private int requiredLeft;
    /** The longest prefix found (counted in required operations), for the report. */
    private int bestRequired = -1;
    private int[] bestPath = new int[0];
    private long bestState;
    private final Configurations configurations = new Configurations();
    private final PinnedVersions pins;
    /** Per version, the optional operations that can never take effect once the register is present at that version. */
    private final Map<Integer, long[]> deadAtVersion = new HashMap<>();

    /**
     * An operation taking part in the search.
     *
     * @param required it must be linearized (it completed); otherwise it may be linearized, once, or left out
     * @param versionDiffers a failed CAS with BAD_VERSION, checked as a read that saw the znode at another version
     */
    record Checked(Op op, boolean required, boolean versionDiffers) {}

    RegisterSearch(String key, List<Checked> checked, Register initial, long statesMax) {
        this.key = key;
        this.statesMax = statesMax;
        List<Checked> sorted = new ArrayList<>(checked);
        sorted.sort(Comparator.<Checked>comparingLong(c -> c.op().invokeNanos()).thenComparingLong(c -> c.op().id()));
        int n = sorted.size();
        ops = new Op[n];
        required = new boolean[n];
        versionDiffers = new boolean[n];
        bit = new int[n];
        int r = 0;
        int u = 0;
        for (int i = 0; i < n; i++) {
            Checked c = sorted.get(i);
            ops[i] = c.op();
            required[i] = c.required();
            versionDiffers[i] = c.versionDiffers();
            bit[i] = required[i] ? r++ : u++;
        }
        requiredCount = r;
        optionalCount = u;
        for (int i = 0; i < n; i++) {
            if (required[i] && ops[i].kind() == Op.Kind.READ && !ops[i].result().absent()) intern(ops[i].result().value());
        }
        this.initialRegister = initial;
        this.initial = pack(initial);
        writtenState = new long[n];
        readState = new long[n];
        previousOfClass = new int[n];
        Map<String, Integer> latestOfClass = new HashMap<>();
        int[] pinned = new int[r];
        for (int i = 0; i < n; i++) {
            Op op = ops[i];
            previousOfClass[i] = -1;
            if (required[i]) pinned[bit[i]] = pinnedVersion(i);
            if (op.kind() == Op.Kind.READ) {
                readState[i] = pack(op.result());
                continue;
            }
            int valueId = valueId(op.value());
            writtenState[i] = pack(0, valueId);
            if (!required[i] && valueId == UNREAD) {
                Integer previous = latestOfClass.put(op.kind() + " " + op.expectedVersion(), i);
                previousOfClass[i] = previous == null ? -1 : previous;
            }
        }

        pins = new PinnedVersions(pinned);
        requiredBits = new long[(r + 63) >>> 6];
        optionalBits = new long[(u + 63) >>> 6];
        stackOp = new int[n];
        stackState = new long[n];
        stackPrefix = new int[n];
        stackHighest = new int[n];
        stackHash = new long[n];
        stackOptionalPhase = new boolean[n];
        state = this.initial;
        bestState = this.initial;
        requiredLeft = r;

        // Entries in time order; at equal times calls come first, so that such operations count as concurrent.
        int entries = n + r;
        Integer[] byTime = new Integer[entries];
        int e = 0;
        for (int i = 0; i < n; i++) {
            byTime[e++] = i;
            if (required[i]) byTime[e++] = n + i;
        }
        Arrays.sort(byTime, Comparator.<Integer>comparingLong(x -> x < n ? ops[x].invokeNanos() : ops[x - n].completeNanos())
                .thenComparingInt(x -> x < n ? 0 : 1)
                .thenComparingInt(x -> x < n ? x : x - n));
        head = entries;
        next = new int[entries + 1];
        prev = new int[entries + 1];
        entryOp = new int[entries];
        isCall = new boolean[entries];
        callEntry = new int[n];
        returnEntry = new int[n];
        Arrays.fill(returnEntry, -1);
        for (int pos = 0; pos < entries; pos++) {
            int x = byTime[pos];
            entryOp[pos] = x < n ? x : x - n;
            isCall[pos] = x < n;
            if (x < n) callEntry[x] = pos;
            else returnEntry[x - n] = pos;
            next[pos] = pos + 1 < entries ? pos + 1 : END;
            prev[pos] = pos == 0 ? head : pos - 1;
        }
        next[head] = entries > 0 ? 0 : END;
    }

    /** Runs the search: a verdict, and for {@link CheckResult.Verdict#NOT_LINEARIZABLE} a failure. */
    CheckResult.KeyResult run() {
        // Two passes per configuration: first the required operations, then the optional ones. Trying optional
        // operations last finds the smallest set of unknown operations that explains the history first, which makes
        // the domination check in Configurations prune the most.
        boolean optionalPhase = false;
        int entry = next[head];
        while (true) {
            if (requiredLeft == 0) return result(CheckResult.Verdict.LINEARIZABLE, null);
            if (entry == END || !isCall[entry]) {
                // Every candidate of this pass was tried: the next pass, or back to the previous configuration.
                if (!optionalPhase && optionalCount > 0) {
                    optionalPhase = true;
                    entry = next[head];
                    continue;
                }
                if (depth == 0) return result(CheckResult.Verdict.NOT_LINEARIZABLE, failure(bestPath, bestState));
                int op = backtrack();
                optionalPhase = stackOptionalPhase[depth];
                entry = next[callEntry[op]];
                continue;
            }
            int op = entryOp[entry];
            boolean waitsForItsClass = previousOfClass[op] >= 0 && !isSet(optionalBits, bit[previousOfClass[op]]);
            if (required[op] != optionalPhase && !waitsForItsClass && maybeLinearize(op, optionalPhase)) {
                if (configurations.size() > statesMax) return result(CheckResult.Verdict.UNKNOWN, null);
                optionalPhase = false;
                entry = next[head];
            } else {
                entry = next[entry];
            }
        }
    }

    /**
     * Linearizes {@code op} next if the model allows it, no pinned version is passed, and the configuration it leads
     * to is new; then pushes it and returns true.
     */
    private boolean maybeLinearize(int op, boolean optionalPhase) {
        long after = step(state, op);
        if (after == INVALID) return false;
        if (required[op]) pins.remove(bit[op]);
        // Past a version that an operation still to be placed needs: a dead end (see PinnedVersions).
        boolean entered = (int) (after >> 32) <= pins.min() && enter(op, after);
        if (!entered) {
            if (required[op]) pins.restore(bit[op]);
            return false;
        }
        stackOptionalPhase[depth - 1] = optionalPhase;
        if (requiredCount - requiredLeft > bestRequired) {
            bestRequired = requiredCount - requiredLeft;
            bestPath = Arrays.copyOf(stackOp, depth);
            bestState = state;
        }
        return true;
    }

    /** Enters the configuration {@code op} leads to, unless it was entered before (or one dominating it). */
    private boolean enter(int op, long after) {
        int newPrefix = prefix;
        int newHighest = highest;
        long newHash = hash;
        if (required[op]) {
            set(requiredBits, bit[op]);
            newHash ^= Configurations.mix(bit[op] + 0x9e3779b97f4a7c15L);
            newHighest = Math.max(highest, bit[op]);
            while (newPrefix < requiredCount && isSet(requiredBits, newPrefix)) newPrefix++;
        } else {
            set(optionalBits, bit[op]);
        }
        if (!configurations.enter(newHash, newPrefix, requiredBits, newHighest, after, live(optionalBits, after))) {
            clear(required[op] ? requiredBits : optionalBits, bit[op]);
            return false;
        }
        stackOp[depth] = op;
        stackState[depth] = state;
        stackPrefix[depth] = prefix;
        stackHighest[depth] = highest;
        stackHash[depth] = hash;
        depth++;
        lift(op);
        state = after;
        prefix = newPrefix;
        highest = newHighest;
        hash = newHash;
        if (required[op]) requiredLeft--;
        return true;
    }

    /** Takes back the last linearized operation and returns it. */
    private int backtrack() {
        depth--;
        int op = stackOp[depth];
        unlift(op);
        state = stackState[depth];
        prefix = stackPrefix[depth];
        highest = stackHighest[depth];
        hash = stackHash[depth];
        if (required[op]) {
            clear(requiredBits, bit[op]);
            pins.restore(bit[op]);
            requiredLeft++;
        } else {
            clear(optionalBits, bit[op]);
        }
        return op;
    }

    /**
     * The linearized optional operations that could still take effect at {@code state} had they not been: those
     * that can never take effect again make no difference to what may follow, so configurations are compared
     * without them. With no delete, versions never go down and a present znode stays present; so a CAS expecting a
     * version below the current one, and a create once the znode exists, are dead for good.
     */
    private long[] live(long[] optionalBits, long state) {
        if (state == ABSENT || optionalCount == 0) return optionalBits;
        long[] dead = deadAtVersion.computeIfAbsent((int) (state >> 32), this::dead);
        long[] live = optionalBits.clone();
        for (int w = 0; w < live.length; w++) live[w] &= ~dead[w];
        return live;
    }

    private long[] dead(int version) {
        long[] dead = new long[(optionalCount + 63) >>> 6];
        for (int i = 0; i < ops.length; i++) {
            if (required[i]) continue;
            Op o = ops[i];
            if (o.kind() == Op.Kind.CREATE || (o.kind() == Op.Kind.CAS && o.expectedVersion() < version)) set(dead, bit[i]);
        }
        return dead;
    }

    /** The version the register must have for required operation {@code op} to take effect (see {@link PinnedVersions}). */
    private int pinnedVersion(int op) {
        Op o = ops[op];
        if (versionDiffers[op]) return Integer.MAX_VALUE;
        return switch (o.kind()) {
            case READ -> o.result().version();
            case WRITE -> o.result().version() - 1;
            case CAS -> o.expectedVersion();
            case CREATE -> -1;
        };
    }

    /** The register after {@code op} is applied to {@code state}, or {@link #INVALID} if the model does not allow it there. */
    private long step(long state, int op) {
        Op o = ops[op];
        int version = (int) (state >> 32);
        boolean present = state != ABSENT;
        return switch (o.kind()) {
            case READ -> state == readState[op] ? state : INVALID;
            case WRITE -> present ? written(op, version + 1) : INVALID;
            case CAS -> {
                if (versionDiffers[op]) yield present && version != o.expectedVersion() ? state : INVALID;
                yield present && version == o.expectedVersion() ? written(op, version + 1) : INVALID;
            }
            case CREATE -> present ? INVALID : written(op, 0);
        };
    }

    private long written(int op, int newVersion) {
        Op o = ops[op];
        if (o.result() != null && o.result().version() != newVersion) return INVALID;
        return ((long) newVersion << 32) | (writtenState[op] & 0xffffffffL);
    }

    /** Why {@link #step} refuses {@code op} when the register is {@code r}, for a failure report. */
    private String refusal(Register r, int op) {
        Op o = ops[op];
        return switch (o.kind()) {
            case READ -> "it saw " + o.result() + ", the register is " + r;
            case WRITE -> r.absent() ? "a set needs the znode, which is absent" : "it reported v" + o.result().version() + ", the register would be at v" + (r.version() + 1);
            case CAS -> {
                if (versionDiffers[op]) yield "BAD_VERSION needs the znode at a version other than v" + o.expectedVersion() + ", the register is " + r;
                if (r.absent() || r.version() != o.expectedVersion()) yield "it expects v" + o.expectedVersion() + ", the register is " + r;
                yield "it reported v" + o.result().version() + ", the register would be at v" + (r.version() + 1);
            }
            case CREATE -> r.absent() ? "it reported v" + o.result().version() + ", a create makes v0" : "a create needs the znode absent, the register is " + r;
        };
    }

    private CheckResult.Failure failure(int[] path, long stateAfter) {
        BitSet inPath = new BitSet(ops.length);
        List<Op> prefixOps = new ArrayList<>(path.length);
        // The search's state stands for all unread values by one; a report names the real one.
        Register real = initialRegister;
        for (int op : path) {
            inPath.set(op);
            prefixOps.add(ops[op]);
            real = apply(real, op);
        }
        int blocked = -1;
        for (int i = 0; i < ops.length; i++) {
            if (required[i] && !inPath.get(i) && (blocked < 0 || returnEntry[i] < returnEntry[blocked])) blocked = i;
        }
        List<String> candidates = new ArrayList<>();
        long base = ops.length == 0 ? 0 : ops[0].invokeNanos();
        for (int i = 0; i < ops.length; i++) {
            if (inPath.get(i) || callEntry[i] > returnEntry[blocked]) continue;
            // An unknown operation waiting for an interchangeable earlier one adds nothing to the list.
            if (previousOfClass[i] >= 0 && !inPath.get(previousOfClass[i])) continue;
            candidates.add(ops[i].describe(base) + ": " + why(i, stateAfter, real, inPath, base));
        }
        return new CheckResult.Failure(key, prefixOps, real, ops[blocked], candidates);
    }

    /** Why operation {@code i} cannot come next after a prefix ({@code inPath}) that leaves {@code state}, {@code real}. */
    private String why(int i, long state, Register real, BitSet inPath, long base) {
        long after = step(state, i);
        if (after == INVALID) return refusal(real, i);
        int version = (int) (after >> 32);
        for (int j = 0; j < ops.length; j++) {
            if (j != i && required[j] && !inPath.get(j) && pinnedVersion(j) < version) {
                return "the register allows it (it becomes " + apply(real, i) + "), but then " + ops[j].describe(base)
                        + ", still to come, needs v" + pinnedVersion(j) + " and versions never go down";
            }
        }
        return "may take effect here (the register becomes " + apply(real, i) + "), which leads nowhere either";
    }

    /** The model on real values, for reports; {@code op} must be allowed at {@code r}. */
    private Register apply(Register r, int op) {
        Op o = ops[op];
        return switch (o.kind()) {
            case READ -> r;
            case WRITE -> new Register(o.value(), r.version() + 1);
            case CAS -> versionDiffers[op] ? r : new Register(o.value(), r.version() + 1);
            case CREATE -> new Register(o.value(), 0);
        };
    }

    private CheckResult.KeyResult result(CheckResult.Verdict verdict, CheckResult.Failure failure) {
        return new CheckResult.KeyResult(key, verdict, ops.length, configurations.size(), failure);
    }

    /** Takes the operation's entries out of the list (dancing links: they keep their own pointers for {@link #unlift}). */
    private void lift(int op) {
        remove(callEntry[op]);
        if (returnEntry[op] >= 0) remove(returnEntry[op]);
    }

    /** Undoes {@link #lift}; lifts are undone in reverse order, so the neighbours are those at removal. */
    private void unlift(int op) {
        if (returnEntry[op] >= 0) restore(returnEntry[op]);
        restore(callEntry[op]);
    }

    private void remove(int e) {
        next[prev[e]] = next[e];
        if (next[e] != END) prev[next[e]] = prev[e];
    }

    private void restore(int e) {
        next[prev[e]] = e;
        if (next[e] != END) prev[next[e]] = e;
    }

    /** Gives a value that a checked read saw its own id (ids from 1; {@link #UNREAD} is 0). */
    private void intern(String value) {
        if (!valueIds.containsKey(value)) valueIds.put(value, valueIds.size() + 1);
    }

    private int valueId(String value) {
        return valueIds.getOrDefault(value, UNREAD);
    }

    private long pack(Register r) {
        return r.absent() ? ABSENT : pack(r.version(), valueId(r.value()));
    }

    private static long pack(int version, int valueId) {
        return ((long) version << 32) | (valueId & 0xffffffffL);
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }

    private static void clear(long[] bits, int i) {
        bits[i >>> 6] &= ~(1L << i);
    }

    private static boolean isSet(long[] bits, int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }
}
