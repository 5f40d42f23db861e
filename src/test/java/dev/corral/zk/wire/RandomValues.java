package dev.corral.zk.wire;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random values for the wire records, with the edges that break codecs over-represented: nulls, empty
 * strings and vectors, {@code Integer.MIN_VALUE}, -1, text outside ASCII (two- and three-byte UTF-8, characters
 * outside the Basic Multilingual Plane, lone surrogates, NUL). Any record of the package can be drawn through
 * {@link #record}, which fills its canonical constructor component by component.
 */
final class RandomValues {
    private static final String[] PIECES = {
        "a", "zk", "/", "node-0000000001", " ", "é", "ß", "中文", "\u0000", "\uffff", "\ud83d\ude00", "\ud800", "\udfff",
        "\u07ff", "\u0800", "x".repeat(300)
    };

    final SplittableRandom rnd;

    RandomValues(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    int anInt() {
        return switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MIN_VALUE;
            case 3 -> Integer.MAX_VALUE;
            case 4 -> rnd.nextInt(-3, 100);
            default -> rnd.nextInt();
        };
    }

    long aLong() {
        return switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Long.MIN_VALUE;
            case 3 -> Long.MAX_VALUE;
            case 4 -> rnd.nextLong(-3, 1L << 40);
            default -> rnd.nextLong();
        };
    }

    boolean aBool() {
        return rnd.nextBoolean();
    }

    byte[] bytes() {
        int kind = rnd.nextInt(10);
        if (kind == 0) return null;
        if (kind == 1) return new byte[0];
        byte[] b = new byte[kind == 2 ? rnd.nextInt(2000) : rnd.nextInt(1, 40)];
        rnd.nextBytes(b);
        return b;
    }

    String string() {
        int kind = rnd.nextInt(10);
        if (kind == 0) return null;
        if (kind == 1) return "";
        StringBuilder s = new StringBuilder();
        int n = rnd.nextInt(1, 6);
        for (int i = 0; i < n; i++) s.append(PIECES[rnd.nextInt(PIECES.length)]);
        if (rnd.nextInt(4) == 0) s.append((char) rnd.nextInt(0x10000));
        return s.toString();
    }

    /** A non-null string: a path or a name. */
    String text() {
        String s = string();
        return s == null ? "/" : s;
    }

    Stat stat() {
        return record(Stat.class);
    }

    <T> List<T> list(java.util.function.Supplier<T> element) {
        int kind = rnd.nextInt(10);
        if (kind == 0) return null;
        if (kind == 1) return List.of();
        List<T> list = new ArrayList<>();
        int n = kind == 2 ? rnd.nextInt(50, 200) : rnd.nextInt(1, 6);
        for (int i = 0; i < n; i++) list.add(element.get());
        return list;
    }

    /**
     * A record of {@code type} with every component drawn at random. A constructor that refuses the draw
     * (ConnectRequest's readOnly without its field) is tried again.
     */
    <R extends Record> R record(Class<R> type) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        for (int attempt = 0; ; attempt++) {
            Object[] args = new Object[components.length];
            for (int i = 0; i < args.length; i++) args[i] = value(components[i].getGenericType());
            try {
                Constructor<R> c = type.getDeclaredConstructor(types);
                return c.newInstance(args);
            } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof IllegalArgumentException) || attempt > 100) throw new AssertionError(e);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    Object value(Type type) {
        if (type == int.class) return anInt();
        if (type == long.class) return aLong();
        if (type == boolean.class) return aBool();
        if (type == byte[].class) return bytes();
        if (type == String.class) return string();
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            Type element = p.getActualTypeArguments()[0];
            return list(() -> value(element));
        }
        if (type instanceof Class<?> c && c.isRecord()) return record((Class<? extends Record>) c);
        throw new AssertionError("no random values for " + type);
    }
}
