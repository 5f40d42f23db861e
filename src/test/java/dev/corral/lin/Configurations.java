package dev.corral.lin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations a {@link RegisterSearch} has entered, so that it never explores one twice.
 *
 * <p>A configuration is the set of operations linearized so far and the register state they leave. The set is
 * split in two: the <em>required</em> operations (those that completed and must be linearized) and the
 * <em>optional</em> ones (unknown outcome, which may be linearized or left out). Configuration {@code (R, U', s)}
 * dominates {@code (R, U, s)} when {@code U'} is a subset of {@code U}: whatever can follow the latter can follow
 * the former too (the same operations remain to be placed, plus the optional ones in {@code U \ U'}, which
 * may stay out, and real-time order constrains only through required operations). So a configuration dominated by
 * one already entered is skipped; without unknown operations this is the plain equality check of Lowe's
 * algorithm.
 *
 * <p>The required set is stored compactly: its length-{@code prefix} run of linearized operations (those invoked
 * earliest, which a search mostly linearizes first) as a number, and only the words from there to the highest
 * linearized operation as bits. Memory per configuration thus follows the concurrency, not the history length.
 */
final class Configurations {
    private final Map<Key, List<long[]>> entered = new HashMap<>();
    private long size;

    /** How many configurations were entered. */
    long size() {
        return size;
    }

    /**
     * Records the configuration and returns true, unless it is dominated by one entered before (then false).
     *
     * @param hash a hash of the required set (the caller keeps it incrementally)
     * @param prefix every required operation below this index is linearized, this one is not
     * @param highest the highest linearized required index, or -1
     * @param optional the linearized optional operations; not kept (copied if recorded)
     */
    boolean enter(long hash, int prefix, long[] required, int highest, long state, long[] optional) {
        int from = prefix >>> 6;
        int to = highest < prefix ? from : (highest >>> 6) + 1;
        Key key = new Key(hash ^ mix(state), prefix, state, Arrays.copyOfRange(required, from, to));
        List<long[]> sets = entered.get(key);
        if (sets == null) {
            sets = new ArrayList<>(1);
            entered.put(key, sets);
        } else {
            for (long[] s : sets) {
                if (isSubset(s, optional)) return false;
            }
            // Sets that include the new one are dominated by it from now on; dropping them keeps the lists short.
            sets.removeIf(s -> isSubset(optional, s));
        }
        sets.add(optional.length == 0 ? optional : optional.clone());
        size++;
        return true;
    }

    private static boolean isSubset(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            if ((a[i] & ~b[i]) != 0) return false;
        }
        return true;
    }

    /** A strong 64-bit mix (SplitMix64's finaliser), used for state hashes and per-operation hash keys. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static final class Key {
        private final long hash;
        private final int prefix;
        private final long state;
        private final long[] words;

        Key(long hash, int prefix, long state, long[] words) {
            this.hash = hash;
            this.prefix = prefix;
            this.state = state;
            this.words = words;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.prefix == prefix && k.state == state && Arrays.equals(k.words, words);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hash);
        }
    }
}
