package dev.corral.lin;

import java.util.List;

/**
 * What {@link LinearizabilityChecker} found: a verdict for the whole history and one per key.
 *
 * @param verdict {@link Verdict#NOT_LINEARIZABLE} if any key is, else {@link Verdict#UNKNOWN} if any key's search
 *     hit the limit, else {@link Verdict#LINEARIZABLE}
 * @param keys one result per key that had operations to check, sorted by key
 */
public record CheckResult(Verdict verdict, List<KeyResult> keys) {
    public enum Verdict {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        /** The search explored its limit of configurations without an answer ("UNKNOWN (search limit)"). */
        UNKNOWN
    }

    /**
     * The result for one key.
     *
     * @param opsChecked operations that took part: OK ones (and, if so configured, BAD_VERSION failures) that must be
     *     linearized, and unknown writes that may be
     * @param statesExplored configurations (linearized set and register state) the search entered
     * @param failure why not, for {@link Verdict#NOT_LINEARIZABLE}; null otherwise
     */
    public record KeyResult(String key, Verdict verdict, int opsChecked, long statesExplored, Failure failure) {}

    /**
     * A witness to a key not being linearizable: the longest sequence of its operations that the search could
     * linearize (one of possibly several of that length), the register state after it, and the operation that had
     * to come next and could not, with every operation that could have come next and why the model refused each.
     *
     * @param prefix the longest linearizable prefix found, in linearization order
     * @param stateAfterPrefix the model's register after {@code prefix}
     * @param blocked the earliest-completing operation not in {@code prefix} that must be linearized: nothing invoked
     *     after it completed can come before it
     * @param candidates each operation that could be linearized next, with the reason the model refused it
     */
    public record Failure(String key, List<Op> prefix, Register stateAfterPrefix, Op blocked, List<String> candidates) {
        /** How many operations of the prefix {@link #describe} prints. */
        private static final int PREFIX_SHOWN = 12;

        /** A few lines for a human, times relative to {@code baseNanos}. */
        public String describe(long baseNanos) {
            StringBuilder b = new StringBuilder();
            b.append("  longest linearizable prefix found: ").append(prefix.size()).append(" ops");
            if (prefix.size() > PREFIX_SHOWN) b.append(", the last ").append(PREFIX_SHOWN);
            b.append('\n');
            for (Op op : prefix.subList(Math.max(0, prefix.size() - PREFIX_SHOWN), prefix.size())) {
                b.append("    ").append(op.describe(baseNanos)).append('\n');
            }
            b.append("  register after it: ").append(stateAfterPrefix).append('\n');
            b.append("  cannot place: ").append(blocked.describe(baseNanos)).append('\n');
            b.append("  the operations that could come next, none of which the register allows:\n");
            for (String c : candidates) b.append("    ").append(c).append('\n');
            return b.toString();
        }
    }

    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /** A report for a human: the verdict per key, and for each key that is not linearizable, why. */
    public String describe() {
        long base = Long.MAX_VALUE;
        for (KeyResult k : keys) {
            if (k.failure() != null) {
                for (Op op : k.failure().prefix()) base = Math.min(base, op.invokeNanos());
                base = Math.min(base, k.failure().blocked().invokeNanos());
            }
        }
        StringBuilder b = new StringBuilder("history is ").append(verdict).append('\n');
        for (KeyResult k : keys) {
            b.append("key ").append(k.key()).append(": ").append(k.verdict() == Verdict.UNKNOWN ? "UNKNOWN (search limit)" : k.verdict())
                    .append(" (").append(k.opsChecked()).append(" ops, ").append(k.statesExplored()).append(" states explored)\n");
            if (k.failure() != null) b.append(k.failure().describe(base));
        }
        if (base != Long.MAX_VALUE) b.append("(times are nanoseconds after ").append(base).append(")\n");
        return b.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
