package dev.corral.txn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxnCodecTest {
    private static final List<Acl> DIGEST_ACL = List.of(
            new Acl(Acl.READ | Acl.WRITE, "digest", "alice:abc="),
            new Acl(Acl.ALL, "ip", "10.0.0.0/8"));

    private static List<Txn> everyKind() {
        return List.of(
                new Txn.Create("/a", "hello".getBytes(StandardCharsets.UTF_8), Acl.OPEN, 0),
                new Txn.Create("/empty", new byte[0], DIGEST_ACL, 0x1234_5678_9abcL),
                new Txn.Create("/container", new byte[] {0, -1, 127, -128}, Acl.READ_ONLY, Long.MIN_VALUE),
                new Txn.Create("/ttl", new byte[3], Acl.OPEN, 0xff00000000000000L | 60_000),
                new Txn.Create("/ünïcødé/日本語/🦬", "ü".getBytes(StandardCharsets.UTF_8), List.of(), 0),
                new Txn.Delete("/a/b/c"),
                new Txn.SetData("/a", new byte[0], 0),
                new Txn.SetData("/a", new byte[70_000], Integer.MAX_VALUE),
                new Txn.SetAcl("/a", DIGEST_ACL, 17),
                new Txn.SetAcl("/a", List.of(), -1),
                new Txn.Check("/a"),
                new Txn.Multi(List.of()),
                new Txn.Multi(List.of(
                        new Txn.Create("/m", new byte[] {1}, Acl.OPEN, 0),
                        new Txn.Create("/m/child", new byte[0], DIGEST_ACL, 0),
                        new Txn.SetData("/m", new byte[] {2, 3}, 1),
                        new Txn.Check("/m"),
                        new Txn.Delete("/m/child"),
                        new Txn.SetAcl("/m", Acl.READ_ONLY, 1),
                        new Txn.CreateSession(5, 3000, new SessionSecret(1, 2)),
                        new Txn.CloseSession(5),
                        new Txn.Noop())),
                new Txn.CreateSession(0x0123456789abcdefL, 30_000, new SessionSecret(-1, 0x0123456789abcdefL)),
                new Txn.CloseSession(-2),
                new Txn.Noop(),
                new Txn.DigestCheck(0x0123456789abcdefL),
                new Txn.DigestCheck(-1));
    }

    /** Records hold byte arrays, so equality is checked field by field. */
    static void assertTxnEquals(Txn expected, Txn actual) {
        assertEquals(expected.getClass(), actual.getClass());
        switch (expected) {
            case Txn.Create e -> {
                Txn.Create a = (Txn.Create) actual;
                assertEquals(e.path(), a.path());
                assertArrayEquals(e.data(), a.data());
                assertEquals(e.acl(), a.acl());
                assertEquals(e.ephemeralOwner(), a.ephemeralOwner());
            }
            case Txn.SetData e -> {
                Txn.SetData a = (Txn.SetData) actual;
                assertEquals(e.path(), a.path());
                assertArrayEquals(e.data(), a.data());
                assertEquals(e.version(), a.version());
            }
            case Txn.Multi e -> {
                Txn.Multi a = (Txn.Multi) actual;
                assertEquals(e.ops().size(), a.ops().size());
                for (int i = 0; i < e.ops().size(); i++) assertTxnEquals(e.ops().get(i), a.ops().get(i));
            }
            default -> assertEquals(expected, actual);
        }
    }

    @Test
    void everyKindRoundTrips() {
        long time = 1_700_000_000_123L;
        for (Txn txn : everyKind()) {
            TxnRecord decoded = TxnCodec.decode(TxnCodec.encode(new TxnRecord(time, txn)));
            assertEquals(time, decoded.timeMs());
            assertTxnEquals(txn, decoded.txn());
        }
    }

    @Test
    void negativeAndExtremeTimesRoundTrip() {
        for (long time : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertEquals(time, TxnCodec.decode(TxnCodec.encode(new TxnRecord(time, new Txn.Noop()))).timeMs());
        }
    }

    @Test
    void encodingIsDeterministic() {
        for (Txn txn : everyKind()) {
            assertArrayEquals(TxnCodec.encode(new TxnRecord(5, txn)), TxnCodec.encode(new TxnRecord(5, txn)));
        }
    }

    @Test
    void everySingleFlippedByteIsRejectedAsCorrupt() {
        for (Txn txn : everyKind()) {
            byte[] good = TxnCodec.encode(new TxnRecord(99, txn));
            int step = Math.max(1, good.length / 400);
            for (int i = 0; i < good.length; i += step) {
                for (int mask : new int[] {0x01, 0x80, 0xff}) {
                    byte[] bad = good.clone();
                    bad[i] ^= (byte) mask;
                    assertCorrupt(bad, txn + " byte " + i + " mask " + mask);
                }
            }
        }
    }

    @Test
    void everyTruncationIsRejectedAsCorrupt() {
        for (Txn txn : everyKind()) {
            byte[] good = TxnCodec.encode(new TxnRecord(99, txn));
            int step = Math.max(1, good.length / 400);
            for (int len = 0; len < good.length; len += step) {
                assertCorrupt(Arrays.copyOf(good, len), txn + " cut to " + len);
            }
            assertCorrupt(Arrays.copyOf(good, good.length - 1), txn + " cut by one");
        }
    }

    @Test
    void extendedRecordIsRejectedAsCorrupt() {
        byte[] good = TxnCodec.encode(new TxnRecord(1, new Txn.Delete("/a")));
        assertCorrupt(Arrays.copyOf(good, good.length + 1), "one zero byte appended");
    }

    private static void assertCorrupt(byte[] bytes, String context) {
        try {
            TxnRecord r = TxnCodec.decode(bytes);
            fail(context + ": decoded as " + r);
        } catch (CorruptRecordException expected) {
            // The only acceptable outcome.
        } catch (RuntimeException other) {
            fail(context + ": threw " + other, other);
        }
    }

    @Test
    void nestedMultiIsRefusedWhenEncoding() {
        Txn nested = new Txn.Multi(List.of(new Txn.Multi(List.of(new Txn.Noop()))));
        assertThrows(IllegalArgumentException.class, () -> TxnCodec.encode(new TxnRecord(1, nested)));
    }

    @Test
    void aDigestCheckIsWrittenAsKind11WithItsDigestAndOnlyAtTheTopLevel() {
        byte[] encoded = TxnCodec.encode(new TxnRecord(0, new Txn.DigestCheck(0x0102030405060708L)));
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 11, 1, 2, 3, 4, 5, 6, 7, 8}, Arrays.copyOf(encoded, encoded.length - 4));
        assertEquals(TxnCodec.encodedSize(new Txn.DigestCheck(5)), encoded.length);
        Txn inMulti = new Txn.Multi(List.of(new Txn.DigestCheck(5)));
        assertThrows(IllegalArgumentException.class, () -> TxnCodec.encode(new TxnRecord(1, inMulti)));
        // format, time, multi of 1 op, that op a digest check, then a correct checksum.
        byte[] body = {1, 0, 0, 0, 0, 0, 0, 0, 7, 6, 0, 0, 0, 1, 11, 0, 0, 0, 0, 0, 0, 0, 9};
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> TxnCodec.decode(withCrc(body)));
        assertTrue(e.getMessage().contains("digest check"), e.getMessage());
    }

    @Test
    void nestedMultiWithValidChecksumIsRejectedWhenDecoding() {
        // format, time, multi of 1 op, that op a multi of 0 ops, then a correct checksum.
        byte[] body = {1, 0, 0, 0, 0, 0, 0, 0, 7, 6, 0, 0, 0, 1, 6, 0, 0, 0, 0};
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> TxnCodec.decode(withCrc(body)));
        assertTrue(e.getMessage().contains("nested"), e.getMessage());
    }

    @Test
    void unknownKindFormatAndHugeCountsWithValidChecksumAreRejected() {
        List<byte[]> bodies = new ArrayList<>();
        bodies.add(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 10});
        bodies.add(new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 0, 9});
        bodies.add(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0x7f, -1, -1, -1});
        bodies.add(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0x7f, -1, -1, -1});
        bodies.add(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 2, -1, -1, -1, -1});
        bodies.add(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0});
        for (byte[] body : bodies) assertCorrupt(withCrc(body), Arrays.toString(body));
    }

    @Test
    void checksumCoversTheWholeRecord() {
        byte[] encoded = TxnCodec.encode(new TxnRecord(3, new Txn.Check("/x")));
        byte[] body = Arrays.copyOf(encoded, encoded.length - 4);
        assertArrayEquals(encoded, withCrc(body));
        assertInstanceOf(Txn.Check.class, TxnCodec.decode(withCrc(body)).txn());
    }

    private static byte[] withCrc(byte[] body) {
        byte[] out = Arrays.copyOf(body, body.length + 4);
        int crc = Checksums.crc32c(body);
        out[body.length] = (byte) (crc >>> 24);
        out[body.length + 1] = (byte) (crc >>> 16);
        out[body.length + 2] = (byte) (crc >>> 8);
        out[body.length + 3] = (byte) crc;
        return out;
    }

    @Test
    void createSessionRecordsFromBeforeSecretsDecodeWithNoSecret() {
        // Kind 7 as the first format wrote it: id and timeout, no secret.
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + 8 + 1 + 8 + 4 + 4);
        b.put((byte) 1).putLong(1_700_000_000_000L).put((byte) 7).putLong(0x0102030405060708L).putInt(30_000);
        b.putInt(Checksums.crc32c(b.array(), 0, b.position()));
        TxnRecord r = TxnCodec.decode(b.array());
        assertEquals(new Txn.CreateSession(0x0102030405060708L, 30_000, SessionSecret.NONE), r.txn());
    }

    @Test
    void sessionSecretsNeverMatchNoneAndCompareByValue() {
        SessionSecret s = new SessionSecret(5, 6);
        assertTrue(s.matches(new SessionSecret(5, 6)));
        assertTrue(!s.matches(new SessionSecret(5, 7)) && !s.matches(null));
        assertTrue(!SessionSecret.NONE.matches(SessionSecret.NONE), "a session without a secret cannot be acted on");
        assertEquals(s, SessionSecret.parseHex(s.hex()));
        assertEquals(s, SessionSecret.ofBytes(s.bytes()));
        assertEquals(null, SessionSecret.parseHex("xyz"));
        assertTrue(!s.toString().contains(s.hex()), "a secret never reaches a log through toString");
    }
}
