package dev.corral.lin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether a recorded register workload ({@link History}) is linearizable: whether there is one total order
 * of its operations that respects real time (an operation that completed before another was invoked comes first)
 * and in which every operation gives the result it gave against a single versioned register.
 *
 * <h2>The model</h2>
 * Each key is one register: {@link Register#ABSENT}, or a value at a version. A read returns the state (absent
 * included). A create of an absent key gives version 0; a write (set, version -1) of a present key keeps one more
 * than the version before; a CAS does the same but only if the version equals the expected one. An OK write-like
 * operation must have reported exactly the version the model gives it. Keys start as declared by
 * {@link History#initial} (absent otherwise). Uniqueness of written values is not assumed.
 *
 * <h2>Which operations count</h2>
 * <ul>
 *   <li>{@link Op.Outcome#OK}: must be linearized, between its invoke and its completion. Reads count only if
 *       they were linearizable reads ({@link Op#linearizable()}), unless {@link Options#checkAllReads}.</li>
 *   <li>{@link Op.Outcome#FAIL}: had no effect, so it is dropped. Optionally ({@link Options#badVersionIsRead}) a
 *       CAS that failed with {@code BAD_VERSION} is kept as a read: at some point between its invoke and completion
 *       the znode existed at a version other than the expected one.</li>
 *   <li>{@link Op.Outcome#UNKNOWN} write-like operations: may have taken effect once, at any point after their
 *       invoke (their completion is taken to be +infinity, whenever the client gave up), or never. The search may
 *       linearize such an operation anywhere after its invoke or leave it out; the history is linearizable once
 *       every required operation is linearized. Unknown reads say nothing and are dropped.</li>
 * </ul>
 *
 * <h2>The algorithm</h2>
 * Registers are independent, so the history is linearizable iff each key's sub-history is (locality, or
 * P-compositionality); each key is searched on its own. The search is Wing and Gong's, as improved by Lowe
 * ("Testing for linearizability", 2017) and used by Porcupine and Knossos' WGL checker:
 * <ol>
 *   <li>Every operation gives a call entry at its invoke time and, if required, a return entry at its completion;
 *       the entries form one list in time order (at equal times calls first, so such operations are concurrent).
 *       Unknown operations have no return entry: they are open forever.</li>
 *   <li>A depth-first search walks the list from its head. Any call met before the first return entry is an
 *       operation that may be linearized next: nothing still to be placed completed before it was invoked. If the
 *       model accepts it, it is <em>lifted</em> (its entries unlinked), pushed on a stack with the state before it,
 *       and the walk restarts from the head. Meeting a return entry means that operation had to be placed before
 *       anything later and could not be: the last lifted operation is popped, <em>unlifted</em> (relinked in
 *       place), and the walk resumes after its call entry.</li>
 *   <li>Each configuration entered — the set of linearized operations (a bitset) and the register state — is
 *       remembered, and never entered again: two paths that linearize the same operations into the same state have
 *       the same futures. With unknown operations the check is by domination, see {@link Configurations}.</li>
 *   <li>All required operations linearized means linearizable; the stack empty with no move left means not.</li>
 * </ol>
 * Per configuration the search tries required operations first and unknown ones second. Unknown operations stay
 * concurrent with everything after them, and those that never took effect pile up; left alone they would stand in
 * for one another and multiply the configurations. {@link RegisterSearch} therefore reduces the search, exactly (a
 * brute-force comparison in the tests guards this): values no checked read saw are treated as one value;
 * interchangeable unknown operations are linearized in invoke order; and since the model has no delete, versions
 * never go down, so a configuration past a version some required operation still needs is a dead end, and an
 * unknown CAS of an older version can never take effect again. (A workload with deletes needs these revisited.)
 * The number of configurations then grows with the concurrency, not with the length of the history: thousands of
 * operations per key with a few clients, even with many unknown outcomes, take milliseconds.
 * {@link Options#statesMax} bounds the search all the same, and hitting the bound gives
 * {@link CheckResult.Verdict#UNKNOWN} rather than a hang.
 *
 * <p>On failure each key's result names the longest linearizable prefix found and the operation that could not be
 * placed after it, with the reason for every candidate ({@link CheckResult#describe}).
 *
 * <p>Thread-safe: a checker holds only its options.
 */
public final class LinearizabilityChecker {
    /**
     * How to check.
     *
     * @param statesMax per key, the configurations the search may enter before it gives up with UNKNOWN
     * @param checkAllReads also check reads that were not linearizable reads (by default they are ignored: a
     *     sequentially consistent read may be stale)
     * @param badVersionIsRead keep a CAS that failed with {@code BAD_VERSION} as a read of a different version
     *     (a server that validates on a deposed leader may refuse on stale state; that is then reported)
     */
    public record Options(long statesMax, boolean checkAllReads, boolean badVersionIsRead) {
        /** The error code of a CAS refused because the version did not match. */
        public static final String BAD_VERSION = "BAD_VERSION";

        public Options {
            if (statesMax < 1) throw new IllegalArgumentException("statesMax must be positive, got " + statesMax);
        }

        /** Two million configurations per key, linearizable reads only, failed operations dropped. */
        public static Options defaults() {
            return new Options(2_000_000, false, false);
        }

        public Options withStatesMax(long max) {
            return new Options(max, checkAllReads, badVersionIsRead);
        }

        public Options withCheckAllReads(boolean on) {
            return new Options(statesMax, on, badVersionIsRead);
        }

        public Options withBadVersionIsRead(boolean on) {
            return new Options(statesMax, checkAllReads, on);
        }
    }

    private final Options options;

    public LinearizabilityChecker(Options options) {
        this.options = options;
    }

    public LinearizabilityChecker() {
        this(Options.defaults());
    }

    /** Checks the history's operations from its declared initial states. */
    public CheckResult check(History history) {
        return check(history.ops(), history.initial());
    }

    /** Checks {@code ops}; a key missing from {@code initial} starts absent. */
    public CheckResult check(List<Op> ops, Map<String, Register> initial) {
        Map<String, List<RegisterSearch.Checked>> byKey = new TreeMap<>();
        for (Op op : ops) {
            RegisterSearch.Checked c = select(op);
            if (c != null) byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(c);
        }
        List<CheckResult.KeyResult> keys = new ArrayList<>();
        boolean unknown = false;
        boolean violated = false;
        for (Map.Entry<String, List<RegisterSearch.Checked>> e : byKey.entrySet()) {
            Register start = initial.getOrDefault(e.getKey(), Register.ABSENT);
            CheckResult.KeyResult r = new RegisterSearch(e.getKey(), e.getValue(), start, options.statesMax()).run();
            keys.add(r);
            violated |= r.verdict() == CheckResult.Verdict.NOT_LINEARIZABLE;
            unknown |= r.verdict() == CheckResult.Verdict.UNKNOWN;
        }
        CheckResult.Verdict verdict = violated ? CheckResult.Verdict.NOT_LINEARIZABLE
                : unknown ? CheckResult.Verdict.UNKNOWN : CheckResult.Verdict.LINEARIZABLE;
        return new CheckResult(verdict, List.copyOf(keys));
    }

    /** How {@code op} takes part in the search, or null if it does not (see the class comment). */
    private RegisterSearch.Checked select(Op op) {
        boolean read = op.kind() == Op.Kind.READ;
        return switch (op.outcome()) {
            case OK -> !read || op.linearizable() || options.checkAllReads() ? new RegisterSearch.Checked(op, true, false) : null;
            case FAIL -> options.badVersionIsRead() && op.kind() == Op.Kind.CAS && Options.BAD_VERSION.equals(op.error())
                    ? new RegisterSearch.Checked(op, true, true) : null;
            case UNKNOWN -> read ? null : new RegisterSearch.Checked(op, false, false);
        };
    }
}
