package dev.corral.lin;

import java.util.Arrays;

/**
 * The lowest version at which some required operation not yet linearized can take effect, kept as operations are
 * linearized and taken back: a minimum segment tree over the required operations. A read pins the version it
 * saw, an OK write or CAS the version before it, a create (or a read of "absent") -1; a BAD_VERSION failure pins
 * nothing. Versions never go down in the model (there is no delete), so a register past this version is a dead end.
 */
final class PinnedVersions {
    private final int leaves;
    private final int[] tree;
    private final int[] pinned;

    /** {@code pinned[i]} is the version required operation {@code i} needs; {@link Integer#MAX_VALUE} for none. */
    PinnedVersions(int[] pinned) {
        this.pinned = pinned.clone();
        int size = 1;
        while (size < Math.max(1, pinned.length)) size <<= 1;
        leaves = size;
        tree = new int[2 * size];
        Arrays.fill(tree, Integer.MAX_VALUE);
        System.arraycopy(pinned, 0, tree, size, pinned.length);
        for (int i = size - 1; i >= 1; i--) tree[i] = Math.min(tree[2 * i], tree[2 * i + 1]);
    }

    /** The lowest version still needed, or {@link Integer#MAX_VALUE}. */
    int min() {
        return tree[1];
    }

    /** Operation {@code i} was linearized: it needs nothing any more. */
    void remove(int i) {
        set(i, Integer.MAX_VALUE);
    }

    /** Operation {@code i} was taken back. */
    void restore(int i) {
        set(i, pinned[i]);
    }

    private void set(int i, int value) {
        int node = leaves + i;
        tree[node] = value;
        for (node >>>= 1; node >= 1; node >>>= 1) tree[node] = Math.min(tree[2 * node], tree[2 * node + 1]);
    }
}
