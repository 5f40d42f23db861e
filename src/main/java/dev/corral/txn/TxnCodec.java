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
 *    11 DigestCheck   i64 digest                               (top level only)
 *   str  := i32 n, n bytes UTF-8;  bytes := i32 n, n bytes;  acls := i32 n, n × (i32 perms, str scheme, str id)
 * </pre>
 * Decoding verifies the checksum first and bounds every length, so a torn or altered record is reported
 * as a {@link CorruptRecordException} and never half-applied. Both directions enforce the same
 * {@link TxnLimits}: {@link #encode} refuses (with {@link IllegalArgumentException}) to write what
 * {@link #decode} would not read back.
 */
public final class TxnCodec {
    static final byte FORMAT = 1;
    /** Bytes of a record around its transaction: format, time and checksum. */
    private static final int RECORD_OVERHEAD_BYTES = 1 + 8 + 4;

    private TxnCodec() {}

    /**
     * Encodes {@code record}; throws {@link IllegalArgumentException} if it breaks a {@link TxnLimits} bound (a
     * record that could not be decoded must never reach the log).
     */
    public static byte[] encode(TxnRecord record) {
        long size = encodedSize(record.txn());
        if (size > TxnLimits.RECORD_BYTES_MAX) {
            throw new IllegalArgumentException("transaction record of " + size + " bytes exceeds " + TxnLimits.RECORD_BYTES_MAX);
        }
        Writer w = new Writer((int) size);
        w.u8(FORMAT);
        w.i64(record.timeMs());
        writeTxn(w, record.txn(), true);
        w.i32(Checksums.crc32c(w.buf, 0, w.pos));
        return w.toArray();
    }

    /** Exact size of the record {@link #encode} writes for {@code txn}, without writing it. */
    public static long encodedSize(Txn txn) {
        return RECORD_OVERHEAD_BYTES + txnSize(txn);
    }

    private static long txnSize(Txn txn) {
        return 1 + switch (txn) {
            case Txn.Create c -> strSize(c.path()) + 4L + c.data().length + aclsSize(c.acl()) + 8;
            case Txn.Delete d -> strSize(d.path());
            case Txn.SetData s -> strSize(s.path()) + 4L + s.data().length + 4;
            case Txn.SetAcl s -> strSize(s.path()) + aclsSize(s.acl()) + 4;
            case Txn.Check c -> strSize(c.path());
            case Txn.Multi m -> {
                long n = 4;
                for (Txn op : m.ops()) n += txnSize(op);
                yield n;
            }
            case Txn.CreateSession s -> 8 + 4 + 16;
            case Txn.CloseSession s -> 8;
            case Txn.Noop n -> 0;
            case Txn.DigestCheck d -> 8;
        };
    }

    private static long strSize(String s) {
        return 4L + utf8Length(s);
    }

    private static long aclsSize(List<Acl> acl) {
        long n = 4;
        for (Acl a : acl) n += 4 + strSize(a.scheme()) + strSize(a.id());
        return n;
    }

    /** UTF-8 length of {@code s} as {@link String#getBytes} would encode it (an unpaired surrogate becomes '?'). */
    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += Character.isSurrogate(c) ? 1 : 3;
            }
        }
        return n;
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

    private static void writeTxn(Writer w, Txn txn, boolean topLevel) {
        switch (txn) {
            case Txn.Create c -> {
                w.u8(1);
                w.path(c.path());
                w.data(c.data());
                w.acls(c.acl());
                w.i64(c.ephemeralOwner());
            }
            case Txn.Delete d -> {
                w.u8(2);
                w.path(d.path());
            }
            case Txn.SetData s -> {
                w.u8(3);
                w.path(s.path());
                w.data(s.data());
                w.i32(s.version());
            }
            case Txn.SetAcl s -> {
                w.u8(4);
                w.path(s.path());
                w.acls(s.acl());
                w.i32(s.aversion());
            }
            case Txn.Check c -> {
                w.u8(5);
                w.path(c.path());
            }
            case Txn.Multi m -> {
                if (!topLevel) throw new IllegalArgumentException("multi transactions do not nest");
                if (m.ops().size() > TxnLimits.MULTI_OPS_MAX) {
                    throw new IllegalArgumentException("multi of " + m.ops().size() + " operations exceeds " + TxnLimits.MULTI_OPS_MAX);
                }
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
            case Txn.DigestCheck d -> {
                if (!topLevel) throw new IllegalArgumentException("a digest check is not an operation of a multi");
                w.u8(11);
                w.i64(d.digest());
            }
        }
    }

    private static Txn readTxn(ByteBuffer in, boolean topLevel) {
        byte kind = in.get();
        return switch (kind) {
            case 1 -> new Txn.Create(path(in), data(in), acls(in), in.getLong());
            case 2 -> new Txn.Delete(path(in));
            case 3 -> new Txn.SetData(path(in), data(in), in.getInt());
            case 4 -> new Txn.SetAcl(path(in), acls(in), in.getInt());
            case 5 -> new Txn.Check(path(in));
            case 6 -> {
                if (!topLevel) throw new CorruptRecordException("nested multi transaction");
                int n = count(in, TxnLimits.MULTI_OPS_MAX);
                List<Txn> ops = new ArrayList<>(n);
                for (int i = 0; i < n; i++) ops.add(readTxn(in, false));
                yield new Txn.Multi(List.copyOf(ops));
            }
            case 7 -> new Txn.CreateSession(in.getLong(), in.getInt(), SessionSecret.NONE);
            case 8 -> new Txn.CloseSession(in.getLong());
            case 9 -> new Txn.Noop();
            case 10 -> new Txn.CreateSession(in.getLong(), in.getInt(), new SessionSecret(in.getLong(), in.getLong()));
            case 11 -> {
                if (!topLevel) throw new CorruptRecordException("digest check inside a multi transaction");
                yield new Txn.DigestCheck(in.getLong());
            }
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

    /** Reads a byte length and bounds it by {@code max} and by what is left of the record. */
    private static int byteLength(ByteBuffer in, int max) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining() || n > max) {
            throw new CorruptRecordException("bad length " + n + " in transaction record");
        }
        return n;
    }

    private static String path(ByteBuffer in) {
        return str(in, TxnLimits.PATH_BYTES_MAX);
    }

    private static byte[] data(ByteBuffer in) {
        byte[] b = new byte[byteLength(in, TxnLimits.DATA_BYTES_MAX)];
        in.get(b);
        return b;
    }

    private static String str(ByteBuffer in, int max) {
        int n = byteLength(in, max);
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private static List<Acl> acls(ByteBuffer in) {
        int n = count(in, TxnLimits.ACL_ENTRIES_MAX);
        List<Acl> acl = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            acl.add(new Acl(in.getInt(), str(in, TxnLimits.ACL_ID_BYTES_MAX), str(in, TxnLimits.ACL_ID_BYTES_MAX)));
        }
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

        void bytes(byte[] b, int max, String what) {
            if (b.length > max) throw new IllegalArgumentException(what + " of " + b.length + " bytes exceeds " + max);
            i32(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        void data(byte[] b) {
            bytes(b, TxnLimits.DATA_BYTES_MAX, "data");
        }

        void path(String s) {
            bytes(s.getBytes(StandardCharsets.UTF_8), TxnLimits.PATH_BYTES_MAX, "path");
        }

        void acls(List<Acl> acl) {
            if (acl.size() > TxnLimits.ACL_ENTRIES_MAX) {
                throw new IllegalArgumentException("ACL of " + acl.size() + " entries exceeds " + TxnLimits.ACL_ENTRIES_MAX);
            }
            i32(acl.size());
            for (Acl a : acl) {
                i32(a.perms());
                bytes(a.scheme().getBytes(StandardCharsets.UTF_8), TxnLimits.ACL_ID_BYTES_MAX, "ACL scheme");
                bytes(a.id().getBytes(StandardCharsets.UTF_8), TxnLimits.ACL_ID_BYTES_MAX, "ACL id");
            }
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(buf, pos);
        }
    }
}
