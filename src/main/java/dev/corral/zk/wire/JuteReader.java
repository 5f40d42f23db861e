package dev.corral.zk.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Reads ZooKeeper's jute binary encoding from a byte array: big-endian {@code int} and {@code long}, one-byte
 * booleans, and {@code int}-prefixed buffers, strings and vectors in which the prefix -1 stands for null.
 *
 * <p>Nothing here trusts the input. Every length and count is checked against the bytes that remain before
 * anything is allocated for it, so a frame of n bytes never makes the reader allocate much more than n bytes,
 * and every failure is a {@link ZkWireException} naming the field and the offset. Field names follow ZooKeeper's
 * {@code .jute} definitions so that a message can be matched to the protocol.
 *
 * <p>Differences from ZooKeeper's {@code BinaryInputArchive}, all on input no real client sends: a vector count
 * below -1 is refused (ZooKeeper reads it as an empty vector), and lengths are bounded by the frame rather than
 * by {@code jute.maxbuffer}. A boolean is any non-zero byte, as in ZooKeeper. Strings: see {@link #readString}.
 *
 * <p>Not thread-safe; one reader decodes one frame.
 */
public final class JuteReader {
    private final byte[] bytes;
    private final int end;
    private int position;

    public JuteReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /** Reads {@code length} bytes of {@code bytes} from {@code offset}; the array is not copied. */
    public JuteReader(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside an array of "
                    + bytes.length);
        }
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    /** Bytes not read yet. */
    public int remaining() {
        return end - position;
    }

    public int position() {
        return position;
    }

    public byte readByte(String field) {
        need(1, field, "a byte");
        return bytes[position++];
    }

    /** A boolean: one byte, true unless zero (ZooKeeper reads it with {@code DataInput.readBoolean}). */
    public boolean readBool(String field) {
        need(1, field, "a boolean");
        return bytes[position++] != 0;
    }

    public int readInt(String field) {
        need(4, field, "an int");
        int p = position;
        position = p + 4;
        return (bytes[p] & 0xff) << 24 | (bytes[p + 1] & 0xff) << 16 | (bytes[p + 2] & 0xff) << 8 | bytes[p + 3] & 0xff;
    }

    public long readLong(String field) {
        need(8, field, "a long");
        long high = readInt(field) & 0xffffffffL;
        long low = readInt(field) & 0xffffffffL;
        return high << 32 | low;
    }

    /** A buffer: an int length, then that many bytes; the length -1 means null. */
    public byte[] readBuffer(String field) {
        int n = readLength(field, "buffer");
        if (n < 0) return null;
        byte[] b = new byte[n];
        System.arraycopy(bytes, position, b, 0, n);
        position += n;
        return b;
    }

    /**
     * A string: an int length, then that many bytes of UTF-8; the length -1 means null. Malformed UTF-8 becomes
     * U+FFFD, as with ZooKeeper, which decodes with {@code new String(bytes, UTF_8)}. One addition: a three-byte
     * sequence that encodes a UTF-16 surrogate (ED A0..BF xx) is read as that surrogate. ZooKeeper's Java writer
     * encodes each UTF-16 unit on its own, so a character outside the Basic Multilingual Plane arrives from a Java
     * client as two such sequences (CESU-8); ZooKeeper's own reader turns them into U+FFFD, this reader gives back
     * the character the client meant, and {@link JuteWriter#writeString} writes it back the way the client wrote it.
     */
    public String readString(String field) {
        int n = readLength(field, "string");
        if (n < 0) return null;
        String s = Utf8.decode(bytes, position, n);
        position += n;
        return s;
    }

    /**
     * The count of a vector whose elements take at least {@code elementBytesMin} bytes each: -1 for a null vector,
     * otherwise a count that the remaining bytes can hold.
     */
    public int readCount(String field, int elementBytesMin) {
        int n = readInt(field);
        if (n == -1) return -1;
        if (n < -1) throw fail(field, "vector count " + n);
        if ((long) n * Math.max(1, elementBytesMin) > remaining()) {
            throw fail(field, "vector count " + n + " of elements of at least " + elementBytesMin + " bytes, but only "
                    + remaining() + " bytes remain");
        }
        return n;
    }

    /**
     * A vector: a count (-1 for null), then the elements, each read by {@code element}. The list returned is
     * unmodifiable and may hold nulls (jute allows a null string in a vector).
     */
    public <T> List<T> readVector(String field, int elementBytesMin, Function<JuteReader, T> element) {
        int n = readCount(field, elementBytesMin);
        if (n < 0) return null;
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) list.add(element.apply(this));
        return Collections.unmodifiableList(list);
    }

    /** A vector of strings (each at least its 4-byte length), as in {@code GetChildrenResponse.children}. */
    public List<String> readStringVector(String field) {
        return readVector(field, 4, in -> in.readString(field));
    }

    private int readLength(String field, String what) {
        int n = readInt(field);
        if (n == -1) return -1;
        if (n < 0) throw fail(field, what + " length " + n);
        if (n > remaining()) {
            throw fail(field, what + " length " + n + ", but only " + remaining() + " bytes remain");
        }
        return n;
    }

    private void need(int n, String field, String what) {
        if (remaining() < n) {
            throw fail(field, "needs " + what + " (" + n + " bytes), but only " + remaining() + " bytes remain");
        }
    }

    private ZkWireException fail(String field, String problem) {
        return new ZkWireException("field '" + field + "' at offset " + position + ": " + problem);
    }

    /** UTF-8 as ZooKeeper's Java clients write it; see {@link JuteReader#readString}. */
    static final class Utf8 {
        private Utf8() {}

        static String decode(byte[] b, int offset, int length) {
            int end = offset + length;
            StringBuilder out = null;
            int run = offset;
            for (int i = offset; i + 2 < end; i++) {
                if (b[i] == (byte) 0xed && (b[i + 1] & 0xe0) == 0xa0 && (b[i + 2] & 0xc0) == 0x80) {
                    if (out == null) out = new StringBuilder(length);
                    out.append(new String(b, run, i - run, StandardCharsets.UTF_8));
                    out.append((char) (0xd000 | (b[i + 1] & 0x3f) << 6 | b[i + 2] & 0x3f));
                    i += 2;
                    run = i + 1;
                }
            }
            if (out == null) return new String(b, offset, length, StandardCharsets.UTF_8);
            return out.append(new String(b, run, end - run, StandardCharsets.UTF_8)).toString();
        }

        /** Bytes {@link JuteWriter#writeString} writes for {@code s}: one to three per UTF-16 unit. */
        static long length(String s) {
            long n = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
            return n;
        }
    }
}
