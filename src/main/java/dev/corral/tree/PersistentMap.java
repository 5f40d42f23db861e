package dev.corral.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An immutable hash map (a compressed hash-array mapped prefix trie, "CHAMP").
 *
 * <p>Every update returns a new map that shares all untouched structure with the old one, so a map can be
 * read by any number of threads without locks while a single writer derives new versions from it, and a
 * whole tree of them can be captured for a snapshot in O(1). Lookups and updates cost O(log32 n).
 *
 * <p>Invariants (checked by the property test): a node's data and sub-node bitmaps are disjoint; a sub-node
 * always holds at least two entries (a single remaining entry is pulled up into its parent), so equal maps
 * have equal shapes; collision nodes appear only once all 32 hash bits are consumed.
 */
public final class PersistentMap<K, V> {
    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;
    private static final BitmapNode EMPTY_NODE = new BitmapNode(0, 0, new Object[0]);
    @SuppressWarnings("rawtypes")
    private static final PersistentMap EMPTY = new PersistentMap<>(EMPTY_NODE, 0);

    private final Node root;
    private final int size;

    private PersistentMap(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public static <K, V> PersistentMap<K, V> empty() {
        return (PersistentMap<K, V>) EMPTY;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    public V get(K key) {
        return (V) root.get(key, hash(key), 0);
    }

    public boolean containsKey(K key) {
        return get(key) != null;
    }

    /** Returns a map with {@code key} bound to {@code value} (non-null); {@code this} if nothing changes. */
    public PersistentMap<K, V> with(K key, V value) {
        if (value == null) throw new IllegalArgumentException("null values are not stored");
        int[] added = {0};
        Node newRoot = root.put(key, value, hash(key), 0, added);
        return newRoot == root ? this : new PersistentMap<>(newRoot, size + added[0]);
    }

    /** Returns a map without {@code key}; {@code this} if it was absent. */
    public PersistentMap<K, V> without(K key) {
        Node newRoot = root.remove(key, hash(key), 0);
        if (newRoot == root) return this;
        return newRoot == null ? empty() : new PersistentMap<>(newRoot, size - 1);
    }

    /** Calls {@code action} for every entry, in an order that depends only on the keys' hashes. */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        root.forEach((BiConsumer<Object, Object>) action);
    }

    public List<K> keys() {
        List<K> keys = new ArrayList<>(size);
        forEach((k, v) -> keys.add(k));
        return keys;
    }

    public List<V> values() {
        List<V> values = new ArrayList<>(size);
        forEach((k, v) -> values.add(v));
        return values;
    }

    /**
     * Builds a map from {@code n} distinct keys in O(n), allocating only the final structure; used when a
     * snapshot is loaded. Duplicate keys are a programming error.
     */
    @SuppressWarnings("unchecked")
    public static <K, V> PersistentMap<K, V> ofEntries(Object[] keys, Object[] values, int n) {
        if (n == 0) return empty();
        int[] hashes = new int[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            hashes[i] = hash(keys[i]);
            order[i] = i;
        }
        return new PersistentMap<>(build(keys, values, hashes, order, 0, n, 0), n);
    }

    private static Node build(Object[] keys, Object[] values, int[] hashes, int[] order, int from, int to, int shift) {
        if (shift >= 32) {
            Object[] kv = new Object[2 * (to - from)];
            for (int i = from; i < to; i++) {
                kv[2 * (i - from)] = keys[order[i]];
                kv[2 * (i - from) + 1] = values[order[i]];
            }
            return new CollisionNode(hashes[order[from]], kv);
        }
        // Counting sort of order[from, to) by the 5 hash bits at this level.
        int[] counts = new int[32];
        for (int i = from; i < to; i++) counts[(hashes[order[i]] >>> shift) & MASK]++;
        int[] starts = new int[33];
        for (int b = 0; b < 32; b++) starts[b + 1] = starts[b] + counts[b];
        int[] sorted = new int[to - from];
        int[] cursor = Arrays.copyOf(starts, 32);
        for (int i = from; i < to; i++) sorted[cursor[(hashes[order[i]] >>> shift) & MASK]++] = order[i];
        System.arraycopy(sorted, 0, order, from, to - from);
        int dataMap = 0;
        int nodeMap = 0;
        for (int b = 0; b < 32; b++) {
            if (counts[b] == 1) dataMap |= 1 << b;
            else if (counts[b] > 1) nodeMap |= 1 << b;
        }
        int dataCount = Integer.bitCount(dataMap);
        int nodeCount = Integer.bitCount(nodeMap);
        Object[] content = new Object[2 * dataCount + nodeCount];
        int d = 0;
        int s = 0;
        for (int b = 0; b < 32; b++) {
            int start = from + starts[b];
            if (counts[b] == 1) {
                int idx = order[start];
                content[2 * d] = keys[idx];
                content[2 * d + 1] = values[idx];
                d++;
            } else if (counts[b] > 1) {
                content[content.length - 1 - s] = build(keys, values, hashes, order, start, start + counts[b], shift + BITS);
                s++;
            }
        }
        return new BitmapNode(dataMap, nodeMap, content);
    }

    static int hash(Object key) {
        int h = key.hashCode();
        return h ^ (h >>> 16);
    }

    private abstract static sealed class Node permits BitmapNode, CollisionNode {
        abstract Object get(Object key, int hash, int shift);

        /** Returns the updated node, or {@code this}; sets {@code added[0]} to 1 if a new key was inserted. */
        abstract Node put(Object key, Object value, int hash, int shift, int[] added);

        /** Returns the updated node, {@code this} if absent, or {@code null} if the node became empty. */
        abstract Node remove(Object key, int hash, int shift);

        abstract void forEach(BiConsumer<Object, Object> action);

        /** True if this node holds exactly one entry and no sub-nodes: its parent then pulls the entry up. */
        abstract boolean isSingleEntry();

        abstract Object singleKey();

        abstract Object singleValue();
    }

    private static final class BitmapNode extends Node {
        final int dataMap;
        final int nodeMap;
        /** Data entries as key/value pairs from the front, in bit order; sub-nodes from the back, in bit order. */
        final Object[] content;

        BitmapNode(int dataMap, int nodeMap, Object[] content) {
            this.dataMap = dataMap;
            this.nodeMap = nodeMap;
            this.content = content;
        }

        private int dataIndex(int bit) {
            return Integer.bitCount(dataMap & (bit - 1));
        }

        private int nodeSlot(int bit) {
            return content.length - 1 - Integer.bitCount(nodeMap & (bit - 1));
        }

        @Override
        Object get(Object key, int hash, int shift) {
            int bit = 1 << ((hash >>> shift) & MASK);
            if ((dataMap & bit) != 0) {
                int i = dataIndex(bit);
                return key.equals(content[2 * i]) ? content[2 * i + 1] : null;
            }
            if ((nodeMap & bit) != 0) {
                return ((Node) content[nodeSlot(bit)]).get(key, hash, shift + BITS);
            }
            return null;
        }

        @Override
        Node put(Object key, Object value, int hash, int shift, int[] added) {
            int bit = 1 << ((hash >>> shift) & MASK);
            if ((dataMap & bit) != 0) {
                int i = dataIndex(bit);
                Object existingKey = content[2 * i];
                if (key.equals(existingKey)) {
                    if (content[2 * i + 1] == value) return this;
                    Object[] copy = content.clone();
                    copy[2 * i + 1] = value;
                    return new BitmapNode(dataMap, nodeMap, copy);
                }
                Node sub = merge(existingKey, content[2 * i + 1], PersistentMap.hash(existingKey), key, value, hash, shift + BITS);
                added[0] = 1;
                return dataToNode(bit, i, sub);
            }
            if ((nodeMap & bit) != 0) {
                int slot = nodeSlot(bit);
                Node sub = (Node) content[slot];
                Node updated = sub.put(key, value, hash, shift + BITS, added);
                if (updated == sub) return this;
                Object[] copy = content.clone();
                copy[slot] = updated;
                return new BitmapNode(dataMap, nodeMap, copy);
            }
            int i = dataIndex(bit);
            Object[] copy = new Object[content.length + 2];
            System.arraycopy(content, 0, copy, 0, 2 * i);
            copy[2 * i] = key;
            copy[2 * i + 1] = value;
            System.arraycopy(content, 2 * i, copy, 2 * i + 2, content.length - 2 * i);
            added[0] = 1;
            return new BitmapNode(dataMap | bit, nodeMap, copy);
        }

        private Node dataToNode(int bit, int dataIdx, Node sub) {
            Object[] copy = new Object[content.length - 1];
            // Remove the pair at dataIdx, then insert the sub-node at its slot among the nodes.
            System.arraycopy(content, 0, copy, 0, 2 * dataIdx);
            int newNodeMap = nodeMap | bit;
            int nodesBefore = Integer.bitCount(nodeMap & (bit - 1));
            int dataEnd = 2 * Integer.bitCount(dataMap);
            System.arraycopy(content, 2 * dataIdx + 2, copy, 2 * dataIdx, dataEnd - 2 * dataIdx - 2);
            // Nodes are stored reversed: slot for the k-th node (in bit order) is length-1-k.
            int newLen = copy.length;
            int nodeTotal = Integer.bitCount(newNodeMap);
            for (int k = 0, src = 0; k < nodeTotal; k++) {
                Object n;
                if (k == nodesBefore) {
                    n = sub;
                } else {
                    n = content[content.length - 1 - src];
                    src++;
                }
                copy[newLen - 1 - k] = n;
            }
            return new BitmapNode(dataMap & ~bit, newNodeMap, copy);
        }

        private static Node merge(Object k0, Object v0, int h0, Object k1, Object v1, int h1, int shift) {
            if (shift >= 32) {
                return new CollisionNode(h0, new Object[] {k0, v0, k1, v1});
            }
            int b0 = (h0 >>> shift) & MASK;
            int b1 = (h1 >>> shift) & MASK;
            if (b0 != b1) {
                Object[] content = b0 < b1 ? new Object[] {k0, v0, k1, v1} : new Object[] {k1, v1, k0, v0};
                return new BitmapNode((1 << b0) | (1 << b1), 0, content);
            }
            return new BitmapNode(0, 1 << b0, new Object[] {merge(k0, v0, h0, k1, v1, h1, shift + BITS)});
        }

        @Override
        Node remove(Object key, int hash, int shift) {
            int bit = 1 << ((hash >>> shift) & MASK);
            if ((dataMap & bit) != 0) {
                int i = dataIndex(bit);
                if (!key.equals(content[2 * i])) return this;
                if (content.length == 2) return null;
                Object[] copy = new Object[content.length - 2];
                System.arraycopy(content, 0, copy, 0, 2 * i);
                System.arraycopy(content, 2 * i + 2, copy, 2 * i, content.length - 2 * i - 2);
                return new BitmapNode(dataMap & ~bit, nodeMap, copy);
            }
            if ((nodeMap & bit) != 0) {
                int slot = nodeSlot(bit);
                Node sub = (Node) content[slot];
                Node updated = sub.remove(key, hash, shift + BITS);
                if (updated == sub) return this;
                if (updated.isSingleEntry()) {
                    if (dataMap == 0 && Integer.bitCount(nodeMap) == 1) {
                        // This node would hold just the pulled-up entry: let the parent pull it up further.
                        return new BitmapNode(bit, 0, new Object[] {updated.singleKey(), updated.singleValue()});
                    }
                    return nodeToData(bit, slot, updated.singleKey(), updated.singleValue());
                }
                Object[] copy = content.clone();
                copy[slot] = updated;
                return new BitmapNode(dataMap, nodeMap, copy);
            }
            return this;
        }

        private Node nodeToData(int bit, int slot, Object key, Object value) {
            Object[] copy = new Object[content.length + 1];
            int i = dataIndex(bit);
            System.arraycopy(content, 0, copy, 0, 2 * i);
            copy[2 * i] = key;
            copy[2 * i + 1] = value;
            int dataEnd = 2 * Integer.bitCount(dataMap);
            System.arraycopy(content, 2 * i, copy, 2 * i + 2, dataEnd - 2 * i);
            // Copy the nodes (stored reversed), skipping the one at `slot`.
            int dst = copy.length - 1;
            for (int src = content.length - 1; src >= dataEnd; src--) {
                if (src == slot) continue;
                copy[dst--] = content[src];
            }
            return new BitmapNode(dataMap | bit, nodeMap & ~bit, copy);
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            int dataEnd = 2 * Integer.bitCount(dataMap);
            for (int i = 0; i < dataEnd; i += 2) action.accept(content[i], content[i + 1]);
            for (int i = content.length - 1; i >= dataEnd; i--) ((Node) content[i]).forEach(action);
        }

        @Override
        boolean isSingleEntry() {
            return nodeMap == 0 && content.length == 2;
        }

        @Override
        Object singleKey() {
            return content[0];
        }

        @Override
        Object singleValue() {
            return content[1];
        }
    }

    private static final class CollisionNode extends Node {
        final int hash;
        final Object[] kv;

        CollisionNode(int hash, Object[] kv) {
            this.hash = hash;
            this.kv = kv;
        }

        private int find(Object key) {
            for (int i = 0; i < kv.length; i += 2) {
                if (key.equals(kv[i])) return i;
            }
            return -1;
        }

        @Override
        Object get(Object key, int hash, int shift) {
            int i = find(key);
            return i < 0 ? null : kv[i + 1];
        }

        @Override
        Node put(Object key, Object value, int hash, int shift, int[] added) {
            int i = find(key);
            if (i >= 0) {
                if (kv[i + 1] == value) return this;
                Object[] copy = kv.clone();
                copy[i + 1] = value;
                return new CollisionNode(this.hash, copy);
            }
            Object[] copy = Arrays.copyOf(kv, kv.length + 2);
            copy[kv.length] = key;
            copy[kv.length + 1] = value;
            added[0] = 1;
            return new CollisionNode(this.hash, copy);
        }

        @Override
        Node remove(Object key, int hash, int shift) {
            int i = find(key);
            if (i < 0) return this;
            if (kv.length == 2) return null;
            Object[] copy = new Object[kv.length - 2];
            System.arraycopy(kv, 0, copy, 0, i);
            System.arraycopy(kv, i + 2, copy, i, kv.length - i - 2);
            return new CollisionNode(this.hash, copy);
        }

        @Override
        void forEach(BiConsumer<Object, Object> action) {
            for (int i = 0; i < kv.length; i += 2) action.accept(kv[i], kv[i + 1]);
        }

        @Override
        boolean isSingleEntry() {
            return kv.length == 2;
        }

        @Override
        Object singleKey() {
            return kv[0];
        }

        @Override
        Object singleValue() {
            return kv[1];
        }
    }
}
