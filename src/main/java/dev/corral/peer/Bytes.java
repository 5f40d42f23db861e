package dev.corral.peer;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The primitives of the peer codecs: big-endian integers, length-prefixed strings and byte arrays. A reader never
 * trusts a length: each is checked against the bytes that remain, so a damaged or hostile body fails with a
 * {@link MalformedPeerBody} instead of allocating what it claims.
 */
final class Bytes {
    private Bytes() {}

    /** Thrown for a body that does not decode; the request is refused with 400 and nothing changes. */
    static final class MalformedPeerBody extends RuntimeException {
        MalformedPeerBody(String message) {
            super(message);
        }
    }

    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(bytes);

        Out u8(int v) {
            return run(() -> out.writeByte(v));
        }

        Out i32(int v) {
            return run(() -> out.writeInt(v));
        }

        Out i64(long v) {
            return run(() -> out.writeLong(v));
        }

        Out bool(boolean v) {
            return u8(v ? 1 : 0);
        }

        Out bytes(byte[] v) {
            i32(v.length);
            return run(() -> out.write(v));
        }

        /** A string, or null (length -1). */
        Out str(String v) {
            if (v == null) return i32(-1);
            return bytes(v.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toArray() {
            return bytes.toByteArray();
        }

        private interface Write {
            void run() throws IOException;
        }

        private Out run(Write w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    static final class In {
        private final ByteBuffer buf;

        In(byte[] body) {
            this.buf = ByteBuffer.wrap(body);
        }

        int u8() {
            return get(() -> buf.get() & 0xff);
        }

        int i32() {
            return get(buf::getInt);
        }

        long i64() {
            return get(buf::getLong);
        }

        boolean bool() {
            return u8() != 0;
        }

        byte[] bytes() {
            int n = i32();
            if (n < 0 || n > buf.remaining()) throw new MalformedPeerBody("length " + n + " with " + buf.remaining() + " bytes left");
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }

        String str() {
            int n = i32();
            if (n == -1) return null;
            if (n < 0 || n > buf.remaining()) throw new MalformedPeerBody("string length " + n + " with " + buf.remaining() + " bytes left");
            String s = new String(buf.array(), buf.position(), n, StandardCharsets.UTF_8);
            buf.position(buf.position() + n);
            return s;
        }

        /** A count of items each at least {@code minBytes} long: bounded by what remains. */
        int count(int minBytes) {
            int n = i32();
            if (n < 0 || (long) n * Math.max(1, minBytes) > buf.remaining()) {
                throw new MalformedPeerBody("count " + n + " with " + buf.remaining() + " bytes left");
            }
            return n;
        }

        void end() {
            if (buf.hasRemaining()) throw new MalformedPeerBody(buf.remaining() + " bytes after the end");
        }

        private interface Read<V> {
            V read();
        }

        private static <V> V get(Read<V> r) {
            try {
                return r.read();
            } catch (BufferUnderflowException e) {
                throw new MalformedPeerBody("body ends early");
            }
        }
    }
}
