package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PersistentMapTest {
    /** Boxed once, so that rebinding a key to the same value passes the identical object. */
    private static final Integer[] VALUES = new Integer[1000];

    static {
        for (int i = 0; i < VALUES.length; i++) VALUES[i] = Integer.valueOf(i);
    }

    /** A key whose hash code is chosen by the test, so that collisions at any depth can be forced. */
    record Key(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.id == id;
        }
    }

    private static Map<Key, Integer> contents(PersistentMap<Key, Integer> map) {
        Map<Key, Integer> out = new HashMap<>();
        map.forEach((k, v) -> {
            Integer previous = out.put(k, v);
            if (previous != null) throw new AssertionError("forEach visited " + k + " twice");
        });
        return out;
    }

    private static void assertSameAs(Map<Key, Integer> expected, PersistentMap<Key, Integer> actual, String context) {
        assertEquals(expected.size(), actual.size(), context + ": size");
        assertEquals(expected.isEmpty(), actual.isEmpty(), context + ": isEmpty");
        assertEquals(expected, contents(actual), context + ": forEach contents");
        assertEquals(expected.size(), actual.keys().size(), context + ": keys()");
        assertEquals(expected.size(), actual.values().size(), context + ": values()");
        for (Map.Entry<Key, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), actual.get(e.getKey()), context + ": get " + e.getKey());
        }
    }

    /** The hash code whose spread hash (as the map computes it) is {@code spread}. */
    static int withSpreadHash(int spread) {
        int raw = spread ^ (spread >>> 16);
        assertEquals(spread, PersistentMap.hash(new Key(0, raw)));
        return raw;
    }

    /**
     * Hash codes drawn from a few shapes: random; spread hashes equal except in the top two bits (the last
     * trie level) or the top five; equal hashes; few distinct values; the id.
     */
    private static int pickHash(SplittableRandom random, int id) {
        return switch (random.nextInt(7)) {
            case 0 -> random.nextInt();
            case 1 -> withSpreadHash((random.nextInt(4) << 30) | 0x0BAD);
            case 2 -> withSpreadHash((random.nextInt(32) << 27) | 0x12345);
            case 3 -> 0xCAFEBABE;
            case 4 -> random.nextInt(8);
            case 5 -> (random.nextInt(4) << 25) | 0x1234;
            default -> Integer.hashCode(id);
        };
    }

    /**
     * Equal maps have equal shapes: a map derived by any sequence of updates iterates exactly like the map
     * built in one pass from its entries (taken in its own order, which fixes the order inside collision nodes).
     */
    private static void assertCanonicalShape(PersistentMap<Key, Integer> map, String context) {
        List<Object> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        map.forEach((k, v) -> {
            keys.add(k);
            values.add(v);
        });
        PersistentMap<Key, Integer> rebuilt = PersistentMap.ofEntries(keys.toArray(), values.toArray(), keys.size());
        assertEquals(map.keys(), rebuilt.keys(), context + ": shape differs from a fresh build of the same entries");
    }

    @Test
    void randomOperationsMatchHashMapIncludingCollidingKeys() {
        for (long seed = 1; seed <= 8; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Map<Integer, Key> keysById = new HashMap<>();
            Map<Key, Integer> expected = new HashMap<>();
            PersistentMap<Key, Integer> map = PersistentMap.empty();
            int idSpace = 64 + random.nextInt(2000);
            for (int step = 0; step < 6000; step++) {
                int id = random.nextInt(idSpace);
                Key key = keysById.computeIfAbsent(id, i -> new Key(i, pickHash(random, i)));
                int op = random.nextInt(10);
                String context = "seed " + seed + " step " + step;
                if (op < 6) {
                    Integer value = VALUES[random.nextInt(VALUES.length)];
                    PersistentMap<Key, Integer> before = map;
                    Integer old = expected.put(key, value);
                    map = map.with(key, value);
                    if (old == value) assertSame(before, map, context + ": rebinding the same value returns this");
                } else if (op < 9) {
                    PersistentMap<Key, Integer> before = map;
                    Integer old = expected.remove(key);
                    map = map.without(key);
                    if (old == null) assertSame(before, map, context + ": removing absent key returns this");
                } else {
                    assertEquals(expected.get(key), map.get(key), context + ": get");
                    assertEquals(expected.containsKey(key), map.containsKey(key), context + ": containsKey");
                }
                assertEquals(expected.size(), map.size(), context + ": size");
                if (step % 500 == 0) {
                    assertSameAs(expected, map, context);
                    assertCanonicalShape(map, context);
                }
            }
            assertSameAs(expected, map, "seed " + seed + " end");
            assertCanonicalShape(map, "seed " + seed + " end");
            for (Key absent : List.of(new Key(-1, 0xCAFEBABE), new Key(-2, 0x1234), new Key(-3, 3))) {
                assertNull(map.get(absent));
                assertSame(map, map.without(absent));
            }
        }
    }

    @Test
    void deepCollisionChainSupportsGetReplaceAndRemoveOfEveryKey() {
        int n = 200;
        PersistentMap<Key, Integer> map = PersistentMap.empty();
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Key k = new Key(i, 0x7FFFFFFF);
            keys.add(k);
            map = map.with(k, i);
        }
        // Keys whose hashes agree on all but the top bits sit next to the full collisions.
        for (int i = 0; i < 20; i++) {
            Key k = new Key(1000 + i, withSpreadHash(PersistentMap.hash(new Key(0, 0x7FFFFFFF)) ^ ((i + 1) << 27)));
            keys.add(k);
            map = map.with(k, 1000 + i);
        }
        assertEquals(n + 20, map.size());
        for (Key k : keys) assertEquals(k.id(), map.get(k));
        assertNull(map.get(new Key(-1, 0x7FFFFFFF)));
        map = map.with(keys.get(7), 77);
        assertEquals(77, map.get(keys.get(7)));
        assertEquals(n + 20, map.size());
        Map<Key, Integer> expected = new HashMap<>();
        for (Key k : keys) expected.put(k, k.id());
        expected.put(keys.get(7), 77);
        for (int i = keys.size() - 1; i >= 0; i -= 2) {
            map = map.without(keys.get(i));
            expected.remove(keys.get(i));
        }
        assertSameAs(expected, map, "after removing half");
        assertCanonicalShape(map, "after removing half");
    }

    @Test
    void oldVersionsAreUnchangedByLaterUpdates() {
        SplittableRandom random = new SplittableRandom(42);
        List<PersistentMap<Key, Integer>> versions = new ArrayList<>();
        List<Map<Key, Integer>> snapshots = new ArrayList<>();
        PersistentMap<Key, Integer> map = PersistentMap.empty();
        Map<Key, Integer> expected = new HashMap<>();
        for (int step = 0; step < 3000; step++) {
            int id = random.nextInt(300);
            Key key = new Key(id, id % 7 == 0 ? 99 : id * 31);
            if (random.nextInt(3) == 0) {
                map = map.without(key);
                expected.remove(key);
            } else {
                map = map.with(key, step);
                expected.put(key, step);
            }
            if (step % 100 == 0) {
                versions.add(map);
                snapshots.add(new HashMap<>(expected));
            }
        }
        for (int i = 0; i < versions.size(); i++) assertSameAs(snapshots.get(i), versions.get(i), "version " + i);
    }

    @Test
    void bulkBuildEqualsIncrementalBuild() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n : new int[] {0, 1, 2, 31, 33, 1000, 20000}) {
            Object[] keys = new Object[n];
            Object[] values = new Object[n];
            PersistentMap<Key, Integer> incremental = PersistentMap.empty();
            Map<Key, Integer> expected = new HashMap<>();
            for (int i = 0; i < n; i++) {
                Key k = new Key(i, pickHash(random, i));
                keys[i] = k;
                values[i] = i * 3;
                incremental = incremental.with(k, i * 3);
                expected.put(k, i * 3);
            }
            PersistentMap<Key, Integer> bulk = PersistentMap.ofEntries(keys, values, n);
            assertSameAs(expected, bulk, "bulk n=" + n);
            assertSameAs(expected, incremental, "incremental n=" + n);
            assertEquals(incremental.keys(), bulk.keys(), "iteration order depends only on the keys, n=" + n);
            PersistentMap<Key, Integer> bulkUpdated = bulk;
            PersistentMap<Key, Integer> incrementalUpdated = incremental;
            for (int i = 0; i < n; i += 3) {
                bulkUpdated = bulkUpdated.without((Key) keys[i]);
                incrementalUpdated = incrementalUpdated.without((Key) keys[i]);
                expected.remove((Key) keys[i]);
            }
            assertSameAs(expected, bulkUpdated, "bulk after removals n=" + n);
            assertEquals(incrementalUpdated.keys(), bulkUpdated.keys(), "removals keep the shapes equal, n=" + n);
        }
    }

    @Test
    void removingEveryKeyLeavesTheEmptyMap() {
        SplittableRandom random = new SplittableRandom(3);
        PersistentMap<Key, Integer> map = PersistentMap.empty();
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Key k = new Key(i, pickHash(random, i));
            keys.add(k);
            map = map.with(k, i);
        }
        assertEquals(5000, map.size());
        for (int i = keys.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Key t = keys.get(i);
            keys.set(i, keys.get(j));
            keys.set(j, t);
        }
        int remaining = 5000;
        for (Key k : keys) {
            map = map.without(k);
            remaining--;
            assertEquals(remaining, map.size());
            assertNull(map.get(k));
            if (remaining % 250 == 0) assertCanonicalShape(map, remaining + " left");
        }
        assertTrue(map.isEmpty());
        assertSame(PersistentMap.empty(), map);
        assertTrue(contents(map).isEmpty());
    }

    @Test
    void nullValueIsRefused() {
        PersistentMap<String, String> map = PersistentMap.<String, String>empty().with("a", "1");
        assertThrows(IllegalArgumentException.class, () -> map.with("b", null));
        assertEquals(1, map.size());
        assertFalse(map.containsKey("b"));
    }
}
