package dev.corral.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.txn.Acl;
import dev.corral.txn.SessionSecret;
import dev.corral.txn.Txn;
import dev.corral.txn.TxnCodec;
import dev.corral.txn.TxnLimits;
import dev.corral.txn.TxnRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A node must never commit a record it cannot read back (a poison entry stops it at every start). The property:
 * whatever validation accepts, for every transaction kind, at and around each limit of {@link TxnLimits} and of
 * {@link Prep.Limits}, encodes, and decodes to a record that encodes to the same bytes; and what lies beyond a
 * limit is refused with BAD_ARGUMENTS before any work proportional to it.
 */
class PrepLimitsPropertyTest {
    private static final int DATA_MAX = 4096;
    private static final int RECORD_MAX = 256 * 1024;
    private static final long SEED = Long.getLong("corral.limits.seed", 20261201L);
    /** Code points of 1, 2 and 3 UTF-8 bytes that ZooKeeper's path rules allow. */
    private static final int[] CHARS = {'a', 'Z', '7', '-', 0xe9, 0x3b1, 0x65e5, 0x4e2d};

    private final AclTable acls = new AclTable();
    private final Apply apply = new Apply(acls);
    private long ids = 0x100;
    private final Prep prep = new Prep(new Prep.Limits(DATA_MAX, 2000, 40_000, RECORD_MAX), apply, () -> ids++,
            () -> new SessionSecret(7, ids));
    private final Caller superCaller = new Caller(0, List.of(AuthId.SUPER));
    private TreeState state = TreeState.initial();
    private int accepted;
    private int refused;

    /** Prepares {@code op}; an accepted transaction must round-trip through the codec and is applied. */
    private Prep.Prepared check(Op op, Caller caller, Boolean expectAccepted, String what) {
        Prep.Prepared p = prep.prep(state, op, caller, 1_700_000_000_000L);
        if (p instanceof Prep.Prepared.Accepted a) {
            accepted++;
            TxnRecord record = new TxnRecord(1_700_000_000_000L, a.txn());
            byte[] bytes = TxnCodec.encode(record);
            assertTrue(bytes.length <= RECORD_MAX, what + ": accepted a record of " + bytes.length + " bytes");
            assertEquals(TxnCodec.encodedSize(a.txn()), bytes.length, what + ": encodedSize is exact");
            assertArrayEquals(bytes, TxnCodec.encode(TxnCodec.decode(bytes)), what + ": does not round-trip");
            state = apply.apply(state, state.lastZxid() + 1, record).state();
        } else {
            refused++;
        }
        if (expectAccepted != null) {
            assertEquals(expectAccepted, p instanceof Prep.Prepared.Accepted, () -> what + ": " + p);
            if (!expectAccepted) assertEquals(ErrorCode.BAD_ARGUMENTS, ((Prep.Prepared.Rejected) p).code(), what);
        }
        return p;
    }

    /** A name of exactly {@code bytes} UTF-8 bytes, from random allowed characters. */
    private static String name(SplittableRandom rnd, int bytes) {
        StringBuilder sb = new StringBuilder();
        int left = bytes;
        while (left > 0) {
            int cp = CHARS[rnd.nextInt(CHARS.length)];
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
            if (len > left) cp = 'x';
            sb.appendCodePoint(cp);
            left -= cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
        }
        return sb.toString();
    }

    private static Op.Create create(String path, byte[] data, List<Acl> acl) {
        return new Op.Create(path, data, acl, CreateMode.PERSISTENT, -1);
    }

    @Test
    void pathsAtAndAroundTheByteLimitOfEveryKind() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int delta = -3; delta <= 3; delta++) {
            int bytes = TxnLimits.PATH_BYTES_MAX + delta;
            String path = "/" + name(rnd, bytes - 1);
            boolean fits = bytes <= TxnLimits.PATH_BYTES_MAX;
            check(create(path, new byte[0], null), superCaller, fits, "create, path of " + bytes + " bytes");
            check(new Op.SetData(path, new byte[] {1}, -1), superCaller, fits, "setData, path of " + bytes + " bytes");
            check(new Op.SetAcl(path, Acl.OPEN, -1), superCaller, fits, "setAcl, path of " + bytes + " bytes");
            check(new Op.Multi(List.of(new Op.Check(path, -1), new Op.SetData(path, new byte[0], -1))), superCaller, fits,
                    "multi, path of " + bytes + " bytes");
            check(new Op.Delete(path, -1), superCaller, fits, "delete, path of " + bytes + " bytes");
            // A sequential create appends ten digits: the base must leave room for them.
            check(new Op.Create(path.substring(0, path.length() - 10 - Math.max(0, delta)), new byte[0], null,
                    CreateMode.PERSISTENT_SEQUENTIAL, -1), superCaller, delta <= 0 ? true : null, "sequential create near the limit");
        }
        // A million characters are refused at once, not after they are scanned, copied or encoded.
        check(create("/" + "n".repeat(1_000_000), new byte[0], null), superCaller, false, "a 1,000,000-character name");
        assertTrue(accepted > 10 && refused > 10, accepted + " accepted, " + refused + " refused");
    }

    @Test
    void depthAtAndAroundTheLimit() {
        StringBuilder path = new StringBuilder();
        for (int depth = 1; depth <= TxnLimits.PATH_DEPTH_MAX + 2; depth++) {
            path.append("/d");
            boolean fits = depth <= TxnLimits.PATH_DEPTH_MAX;
            check(create(path.toString(), new byte[] {(byte) depth}, null), superCaller, fits, "create at depth " + depth);
        }
        assertEquals(TxnLimits.PATH_DEPTH_MAX + 4, state.nodeCount(), "every level up to the limit exists");
        // One multi building a 5,000-deep chain: refused at the first operation past the limit, nothing applied.
        StringBuilder deep = new StringBuilder();
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) ops.add(create(deep.append("/m").toString(), new byte[0], null));
        Prep.Prepared.Rejected r = (Prep.Prepared.Rejected) check(new Op.Multi(ops), superCaller, false, "a 5,000-deep multi");
        assertEquals(TxnLimits.PATH_DEPTH_MAX, r.failedIndex());
    }

    @Test
    void dataAndRecordSizesAtAndAroundTheirLimits() {
        check(create("/data", new byte[0], null), superCaller, true, "parent");
        for (int delta = -2; delta <= 2; delta++) {
            int size = DATA_MAX + delta;
            check(create("/data/c" + delta, new byte[size], null), superCaller, delta <= 0, "create with " + size + " bytes");
            check(new Op.SetData("/data", new byte[size], -1), superCaller, delta <= 0, "setData with " + size + " bytes");
        }
        // A multi of operations each within the data limit, whose total crosses the record limit.
        int perOp = DATA_MAX;
        int fitting = 0;
        List<Op> ops = new ArrayList<>();
        while (TxnCodec.encodedSize(new Txn.Multi(List.of())) + (long) (ops.size() + 1) * (perOp + 64) < RECORD_MAX) {
            ops.add(new Op.SetData("/data", new byte[perOp], -1));
            fitting++;
        }
        check(new Op.Multi(ops), superCaller, true, "a multi of " + fitting + " sets just under the record limit");
        for (int i = 0; i < 64; i++) ops.add(new Op.SetData("/data", new byte[perOp], -1));
        check(new Op.Multi(ops), superCaller, false, "a multi of " + ops.size() + " sets over the record limit");
    }

    @Test
    void multiOperationCountsAtAndAroundTheLimit() {
        check(create("/m", new byte[0], null), superCaller, true, "parent");
        for (int delta = -1; delta <= 1; delta++) {
            int n = TxnLimits.MULTI_OPS_MAX + delta;
            List<Op> ops = new ArrayList<>(n);
            for (int i = 0; i < n; i++) ops.add(new Op.Check("/m", -1));
            check(new Op.Multi(ops), superCaller, delta <= 0, "a multi of " + n + " checks");
        }
    }

    @Test
    void aclSizesAtAndAroundTheirLimitsForCreateAndSetAcl() {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        for (int delta = -1; delta <= 1; delta++) {
            int n = TxnLimits.ACL_ENTRIES_MAX + delta;
            List<Acl> acl = new ArrayList<>(n);
            for (int i = 0; i < n; i++) acl.add(new Acl(Acl.ALL, "ip", "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)));
            check(create("/acl" + delta, new byte[0], acl), superCaller, delta <= 0, "create with " + n + " ACL entries");
            check(new Op.SetAcl("/acl-1", acl, -1), superCaller, delta <= 0, "setAcl with " + n + " ACL entries");
        }
        for (int delta = -1; delta <= 1; delta++) {
            int bytes = TxnLimits.ACL_ID_BYTES_MAX + delta;
            String id = name(rnd, bytes - 2) + ":x";
            List<Acl> acl = List.of(new Acl(Acl.ALL, "digest", id));
            check(create("/long-id" + delta, new byte[0], acl), superCaller, delta <= 0, "an ACL id of " + bytes + " bytes");
        }
        // The reported attack: 65,537 distinct entries plus world:anyone, refused before de-duplication starts.
        List<Acl> huge = new ArrayList<>();
        for (int i = 0; i < 65_537; i++) huge.add(new Acl(Acl.READ, "ip", "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)));
        huge.add(new Acl(Acl.ALL, "world", "anyone"));
        check(create("/poison", new byte[0], huge), superCaller, false, "65,538 ACL entries");
        check(new Op.SetAcl("/acl-1", huge, -1), superCaller, false, "setAcl with 65,538 ACL entries");
    }

    @Test
    void randomRequestsNearTheLimitsNeverYieldAnUnreadableRecord() {
        SplittableRandom rnd = new SplittableRandom(SEED + 2);
        List<String> paths = new ArrayList<>(List.of("/"));
        for (int i = 0; i < 400; i++) {
            String parent = paths.get(rnd.nextInt(paths.size()));
            int room = TxnLimits.PATH_BYTES_MAX - TxnCodec.utf8Length(parent) - 1;
            int bytes = rnd.nextInt(4) == 0 ? Math.max(1, room + rnd.nextInt(-2, 3)) : 1 + rnd.nextInt(40);
            String path = Paths.child(parent, name(rnd, Math.max(1, bytes)));
            byte[] data = new byte[rnd.nextInt(3) == 0 ? DATA_MAX + rnd.nextInt(-1, 2) : rnd.nextInt(100)];
            List<Acl> acl = rnd.nextInt(5) == 0 ? null : List.of(new Acl(Acl.ALL, "world", "anyone"),
                    new Acl(Acl.READ, "digest", name(rnd, 1 + rnd.nextInt(TxnLimits.ACL_ID_BYTES_MAX - 2)) + ":y"));
            Op op = switch (rnd.nextInt(6)) {
                case 0, 1 -> create(path, data, acl);
                case 2 -> new Op.SetData(paths.get(rnd.nextInt(paths.size())), data, -1);
                case 3 -> new Op.SetAcl(paths.get(rnd.nextInt(paths.size())), acl == null ? Acl.OPEN : acl, -1);
                case 4 -> new Op.Multi(List.of(create(path, data, acl), new Op.Check(path, 0), new Op.SetData(path, data, 0)));
                default -> new Op.Delete(path, -1);
            };
            if (check(op, superCaller, null, "random op " + i) instanceof Prep.Prepared.Accepted && state.find(path) != null
                    && state.find(path).ephemeralOwner() == 0) {
                paths.add(path);
            }
        }
        assertTrue(accepted > 100 && refused > 20, accepted + " accepted, " + refused + " refused (seed " + SEED + ")");
    }

    @Test
    void theCodecRefusesToWriteWhatItWouldNotRead() {
        List<Acl> acl = new ArrayList<>();
        for (int i = 0; i <= TxnLimits.ACL_ENTRIES_MAX; i++) acl.add(new Acl(Acl.READ, "ip", "10.0." + (i >> 8) + "." + (i & 255)));
        for (Txn txn : List.of(new Txn.Create("/a", new byte[0], acl, 0), new Txn.SetAcl("/a", acl, 1),
                new Txn.Create("/" + "x".repeat(TxnLimits.PATH_BYTES_MAX), new byte[0], Acl.OPEN, 0),
                new Txn.Multi(java.util.Collections.nCopies(TxnLimits.MULTI_OPS_MAX + 1, new Txn.Check("/a"))))) {
            assertInstanceOf(IllegalArgumentException.class,
                    assertThrows(RuntimeException.class, () -> TxnCodec.encode(new TxnRecord(0, txn))));
        }
    }
}
