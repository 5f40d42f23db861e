package dev.corral.zk.wire;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes ZooKeeper's jute binary encoding, the mirror of {@link JuteReader}. A writer either fills an array or,
 * made by {@link #counting()}, only counts the bytes it would write; {@link FrameEncoder} runs the same
 * {@code write} code twice, first counting, then into an array of exactly that size, so a frame's length prefix
 * is known before its body is written and no buffer is ever grown or copied.
 *
 * <p>Strings are written as ZooKeeper's {@code BinaryOutputArchive} writes them, one UTF-16 unit at a time
 * (one, two or three bytes each), so that Corral sends a Java client byte for byte what ZooKeeper would: for text
 * in the Basic Multilingual Plane this is UTF-8, and a character outside it becomes two three-byte sequences
 * (CESU-8) instead of UTF-8's four bytes.
 *
 * <p>Writing never fails on values: a null buffer, string or vector is written as -1. Not thread-safe.
 */
public final class JuteWriter {
    private final byte[] bytes;
    private int position;
    private long counted;

    private JuteWriter(byte[] bytes, int offset) {
        this.bytes = bytes;
        this.position = offset;
    }

    /** A writer that fills {@code target} from {@code offset}; writing past its end is a bug and throws. */
    public static JuteWriter into(byte[] target, int offset) {
        return new JuteWriter(target, offset);
    }

    /** A writer that writes nothing and counts the bytes; see {@link #size()}. */
    public static JuteWriter counting() {
        return new JuteWriter(null, 0);
    }

    /** Bytes counted so far; for a writer into an array, the position reached (its offset plus the bytes written). */
    public long size() {
        return bytes == null ? counted : position;
    }

    public JuteWriter writeByte(byte v) {
        if (bytes == null) {
            counted += 1;
        } else {
            bytes[position++] = v;
        }
        return this;
    }

    public JuteWriter writeBool(boolean v) {
        return writeByte(v ? (byte) 1 : (byte) 0);
    }

    public JuteWriter writeInt(int v) {
        if (bytes == null) {
            counted += 4;
            return this;
        }
        int p = position;
        bytes[p] = (byte) (v >>> 24);
        bytes[p + 1] = (byte) (v >>> 16);
        bytes[p + 2] = (byte) (v >>> 8);
        bytes[p + 3] = (byte) v;
        position = p + 4;
        return this;
    }

    public JuteWriter writeLong(long v) {
        return writeInt((int) (v >>> 32)).writeInt((int) v);
    }

    /** A buffer: its length, then its bytes; null is written as the length -1. */
    public JuteWriter writeBuffer(byte[] v) {
        if (v == null) return writeInt(-1);
        writeInt(v.length);
        if (bytes == null) {
            counted += v.length;
        } else {
            System.arraycopy(v, 0, bytes, position, v.length);
            position += v.length;
        }
        return this;
    }

    /** A string: its encoded length, then one to three bytes per UTF-16 unit (see the class comment); null is -1. */
    public JuteWriter writeString(String s) {
        if (s == null) return writeInt(-1);
        long n = JuteReader.Utf8.length(s);
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("string of " + n + " encoded bytes");
        writeInt((int) n);
        if (bytes == null) {
            counted += n;
            return this;
        }
        int p = position;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes[p++] = (byte) c;
            } else if (c < 0x800) {
                bytes[p++] = (byte) (0xc0 | c >> 6);
                bytes[p++] = (byte) (0x80 | c & 0x3f);
            } else {
                bytes[p++] = (byte) (0xe0 | c >> 12);
                bytes[p++] = (byte) (0x80 | c >> 6 & 0x3f);
                bytes[p++] = (byte) (0x80 | c & 0x3f);
            }
        }
        position = p;
        return this;
    }

    /** A vector: its size, then each element written by {@code element}; null is written as the count -1. */
    public <T> JuteWriter writeVector(List<T> list, BiConsumer<JuteWriter, T> element) {
        if (list == null) return writeInt(-1);
        writeInt(list.size());
        for (T t : list) element.accept(this, t);
        return this;
    }

    public JuteWriter writeStringVector(List<String> list) {
        return writeVector(list, JuteWriter::writeString);
    }

    /** A vector of records, each written by its own {@link JuteRecord#write}. */
    public JuteWriter writeRecords(List<? extends JuteRecord> list) {
        return writeVector(list, (out, r) -> r.write(out));
    }

    public JuteWriter writeRecord(JuteRecord r) {
        r.write(this);
        return this;
    }
}
