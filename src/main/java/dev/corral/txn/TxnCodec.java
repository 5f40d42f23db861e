package dev.corral.txn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary codec for {@link TxnRecord}s: the payload of every log entry.
 *
 * <p>Format, version 1, all integers big-endian:
 * <pre>
 *   u8   format (1)
 *   i64  timeMs                     leader's wall clock at proposal
 *   txn                             see below
 *   i32  crc32c                     of every byte before it
 *
 *   txn  := u8 kind, then by kind:
 *     1 Create        str path, bytes data, acls, i64 ephemeralOwner
 *     2 Delete        str path
 *     3 SetData       str path, bytes data, i32 version
 *     4 SetAcl        str path, acls, i32 aversion
 *     5 Check         str path
 *     6 Multi         i32 n, n × txn (no nesting)
 *     7 CreateSession i64 sessionId, i32 timeoutMs             (read only: written before sessions had secrets)
 *     8 CloseSession  i64 sessionId
 *     9 Noop
 *    10 CreateSession i64 sessionId, i32 timeoutMs, i64 secretHigh, i64 secretLow
 *   str  := i32 n, n bytes UTF-8;  bytes := i32 n, n bytes;  acls := i32 n, n × (i32 perms, str scheme, str id)
 * </pre>
 * Decoding verifies the checksum first and bounds every length, so a torn or altered record is reported
 * as a {@link CorruptRecordException} and never half-applied.
 */
public final class TxnCodec {
    static final byte FORMAT = 1;
    private static final int MULTI_OPS_MAX = 100_000;

    private TxnCodec() {}

    public static byte[] encode(TxnRecord record) {
        Writer w = new Writer(64 + sizeHint(record.txn()));
        w.u8(FORMAT);
        w.i64(record.timeMs());
        writeTxn(w, record.txn(), true);
        w.i32(Checksums.crc32c(w.buf, 0, w.pos));
        return w.toArray();
    }

    public static TxnRecord decode(byte[] bytes) {
        if (bytes.length < 1 + 8 + 1 + 4) {
            throw new CorruptRecordException("transaction record too short: " + bytes.length + " bytes");
        }
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        int actual = Checksums.crc32c(bytes, 0, bytes.length - 4);
        if (stored != actual) {
            throw new CorruptRecordException("transaction record checksum mismatch: stored "
                    + Integer.toHexString(stored) + ", computed " + Integer.toHexString(actual));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
        try {
            byte format = in.get();
            if (format != FORMAT) {
                throw new CorruptRecordException("unknown transaction record format " + format);
            }
            long timeMs = in.getLong();
            Txn txn = readTxn(in, true);
            if (in.hasRemaining()) {
                throw new CorruptRecordException(in.remaining() + " trailing bytes after transaction");
            }
            return new TxnRecord(timeMs, txn);
        } catch (java.nio.BufferUnderflowException e) {
            throw new CorruptRecordException("transaction record truncated");
        }
    }

    private static int sizeHint(Txn txn) {
        return switch (txn) {
            case Txn.Create c -> c.path().length() * 3 + c.data().length + 64 * c.acl().size();
            case Txn.SetData s -> s.path().length() * 3 + s.data().length;
            case Txn.Multi m -> m.ops().stream().mapToInt(TxnCodec::sizeHint).sum() + 8;
            default -> 64;
        };
    }

    private static void writeTxn(Writer w, Txn txn, boolean topLevel) {
        switch (txn) {
            case Txn.Create c -> {
                w.u8(1);
                w.str(c.path());
                w.bytes(c.data());
                w.acls(c.acl());
                w.i64(c.ephemeralOwner());
            }
            case Txn.Delete d -> {
                w.u8(2);
                w.str(d.path());
            }
            case Txn.SetData s -> {
                w.u8(3);
                w.str(s.path());
                w.bytes(s.data());
                w.i32(s.version());
            }
            case Txn.SetAcl s -> {
                w.u8(4);
                w.str(s.path());
                w.acls(s.acl());
                w.i32(s.aversion());
            }
            case Txn.Check c -> {
                w.u8(5);
                w.str(c.path());
            }
            case Txn.Multi m -> {
                if (!topLevel) throw new IllegalArgumentException("multi transactions do not nest");
                w.u8(6);
                w.i32(m.ops().size());
                for (Txn op : m.ops()) writeTxn(w, op, false);
            }
            case Txn.CreateSession s -> {
                w.u8(10);
                w.i64(s.sessionId());
                w.i32(s.timeoutMs());
                w.i64(s.secret().high());
                w.i64(s.secret().low());
            }
            case Txn.CloseSession s -> {
                w.u8(8);
                w.i64(s.sessionId());
            }
            case Txn.Noop n -> w.u8(9);
        }
    }

    private static Txn readTxn(ByteBuffer in, boolean topLevel) {
        byte kind = in.get();
        return switch (kind) {
            case 1 -> new Txn.Create(str(in), bytes(in), acls(in), in.getLong());
            case 2 -> new Txn.Delete(str(in));
            case 3 -> new Txn.SetData(str(in), bytes(in), in.getInt());
            case 4 -> new Txn.SetAcl(str(in), acls(in), in.getInt());
            case 5 -> new Txn.Check(str(in));
            case 6 -> {
                if (!topLevel) throw new CorruptRecordException("nested multi transaction");
                int n = count(in, MULTI_OPS_MAX);
                List<Txn> ops = new ArrayList<>(n);
                for (int i = 0; i < n; i++) ops.add(readTxn(in, false));
                yield new Txn.Multi(List.copyOf(ops));
            }
            case 7 -> new Txn.CreateSession(in.getLong(), in.getInt(), SessionSecret.NONE);
            case 8 -> new Txn.CloseSession(in.getLong());
            case 9 -> new Txn.Noop();
            case 10 -> new Txn.CreateSession(in.getLong(), in.getInt(), new SessionSecret(in.getLong(), in.getLong()));
            default -> throw new CorruptRecordException("unknown transaction kind " + kind);
        };
    }

    /** Reads an element count and bounds it. */
    private static int count(ByteBuffer in, int max) {
        int n = in.getInt();
        if (n < 0 || n > max) {
            throw new CorruptRecordException("bad count " + n + " in transaction record");
        }
        return n;
    }

    /** Reads a byte length and bounds it by what is left of the record. */
    private static int byteLength(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new CorruptRecordException("bad length " + n + " in transaction record");
        }
        return n;
    }

    private static String str(ByteBuffer in) {
        int n = byteLength(in);
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private static byte[] bytes(ByteBuffer in) {
        int n = byteLength(in);
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static List<Acl> acls(ByteBuffer in) {
        int n = count(in, 1 << 16);
        List<Acl> acl = new ArrayList<>(n);
        for (int i = 0; i < n; i++) acl.add(new Acl(in.getInt(), str(in), str(in)));
        return List.copyOf(acl);
    }

    /** A growable big-endian byte buffer. */
    static final class Writer {
        byte[] buf;
        int pos;

        Writer(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void u8(int v) {
            ensure(1);
            buf[pos++] = (byte) v;
        }

        void i32(int v) {
            ensure(4);
            buf[pos++] = (byte) (v >>> 24);
            buf[pos++] = (byte) (v >>> 16);
            buf[pos++] = (byte) (v >>> 8);
            buf[pos++] = (byte) v;
        }

        void i64(long v) {
            i32((int) (v >>> 32));
            i32((int) v);
        }

        void bytes(byte[] b) {
            i32(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        void str(String s) {
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        void acls(List<Acl> acl) {
            i32(acl.size());
            for (Acl a : acl) {
                i32(a.perms());
                str(a.scheme());
                str(a.id());
            }
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(buf, pos);
        }
    }
}
