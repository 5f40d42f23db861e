package dev.corral.zk.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JuteReaderTest {
    private static byte[] ints(int... values) {
        JuteWriter counter = JuteWriter.counting();
        for (int v : values) counter.writeInt(v);
        byte[] b = new byte[(int) counter.size()];
        JuteWriter out = JuteWriter.into(b, 0);
        for (int v : values) out.writeInt(v);
        return b;
    }

    @Test
    void aFieldCutShortFailsNamingTheFieldAndOffset() {
        JuteReader in = new JuteReader(new byte[] {0, 0, 0, 1, 0, 0});
        assertEquals(1, in.readInt("xid"));
        ZkWireException e = assertThrows(ZkWireException.class, () -> in.readInt("type"));
        assertTrue(e.getMessage().contains("'type'") && e.getMessage().contains("offset 4")
                && e.getMessage().contains("2 bytes remain"), e.getMessage());
        assertThrows(ZkWireException.class, () -> new JuteReader(new byte[7]).readLong("zxid"));
        assertThrows(ZkWireException.class, () -> new JuteReader(new byte[0]).readBool("watch"));
        assertThrows(ZkWireException.class, () -> new JuteReader(new byte[0]).readByte("b"));
        assertThrows(ZkWireException.class, () -> Stat.read(new JuteReader(new byte[Stat.BYTES - 1])));
    }

    @Test
    void minusOneIsNullAndOtherNegativeLengthsAreRefused() {
        assertNull(new JuteReader(ints(-1)).readBuffer("data"));
        assertNull(new JuteReader(ints(-1)).readString("path"));
        assertNull(new JuteReader(ints(-1)).readStringVector("children"));
        for (int n : new int[] {-2, Integer.MIN_VALUE}) {
            assertThrows(ZkWireException.class, () -> new JuteReader(ints(n)).readBuffer("data"));
            assertThrows(ZkWireException.class, () -> new JuteReader(ints(n)).readString("path"));
            // ZooKeeper reads a count below -1 as an empty vector; no client writes one, so it is refused here.
            assertThrows(ZkWireException.class, () -> new JuteReader(ints(n)).readStringVector("children"));
        }
        assertArrayEquals(new byte[0], new JuteReader(ints(0)).readBuffer("data"));
        assertEquals("", new JuteReader(ints(0)).readString("path"));
        assertEquals(List.of(), new JuteReader(ints(0)).readStringVector("children"));
    }

    @Test
    void hugeLengthsAndCountsFailBeforeAnythingIsAllocatedForThem() {
        int[] lengths = {9, Integer.MAX_VALUE, 0x7fff_fff0, 1 << 30, 9};
        for (int round = 0; round < lengths.length; round++) { // the first round warms up (class loading, JIT)
            int n = lengths[round];
            byte[] frame = ints(n, 0); // four bytes follow the length: never enough
            long allocated = Allocation.bytesAllocatedBy(() -> {
                assertThrows(ZkWireException.class, () -> new JuteReader(frame).readBuffer("data"));
                assertThrows(ZkWireException.class, () -> new JuteReader(frame).readString("path"));
                assertThrows(ZkWireException.class, () -> new JuteReader(frame).readStringVector("children"));
                assertThrows(ZkWireException.class,
                        () -> new JuteReader(frame).readVector("acl", Acl.BYTES_MIN, Acl::read));
            });
            // Exceptions and their stack traces cost some; a length believed would cost at least n bytes.
            if (round > 0) assertTrue(allocated < 256 * 1024, "allocated " + allocated + " bytes for a length of " + n);
        }
    }

    @Test
    void aVectorCountIsBoundedByTheSmallestElementThatCouldFollow() {
        // 3 ACL entries need at least 36 bytes; 35 remain.
        byte[] frame = new byte[4 + 35];
        frame[3] = 3;
        ZkWireException e = assertThrows(ZkWireException.class,
                () -> new JuteReader(frame).readVector("acl", Acl.BYTES_MIN, Acl::read));
        assertTrue(e.getMessage().contains("vector count 3"), e.getMessage());
        // Two empty strings fit in eight bytes.
        assertEquals(List.of("", ""), new JuteReader(ints(2, 0, 0)).readStringVector("children"));
    }

    @Test
    void aBooleanIsTrueForAnyNonZeroByteAsInZooKeeper() {
        assertFalse(new JuteReader(new byte[] {0}).readBool("watch"));
        assertTrue(new JuteReader(new byte[] {1}).readBool("watch"));
        assertTrue(new JuteReader(new byte[] {(byte) 0x80}).readBool("watch"));
    }

    @Test
    void aReaderStaysInsideItsRange() {
        byte[] b = {9, 0, 0, 0, 5, 9};
        JuteReader in = new JuteReader(b, 1, 4);
        assertEquals(5, in.readInt("x"));
        assertEquals(0, in.remaining());
        assertThrows(ZkWireException.class, () -> in.readByte("y"));
        assertThrows(IllegalArgumentException.class, () -> new JuteReader(b, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> new JuteReader(b, -1, 1));
    }

    @Test
    void theCountingWriterCountsWhatTheWriterWrites() {
        Seeds.run(10, random -> {
            for (int i = 0; i < 2000; i++) {
                SetWatches2Request r = random.record(SetWatches2Request.class);
                JuteWriter counter = JuteWriter.counting();
                r.write(counter);
                byte[] b = new byte[(int) counter.size() + 3];
                JuteWriter out = JuteWriter.into(b, 3);
                r.write(out);
                assertEquals(b.length, out.size());
                JuteReader in = new JuteReader(b, 3, b.length - 3);
                assertEquals(r, SetWatches2Request.read(in));
                assertEquals(0, in.remaining());
            }
        });
    }
}
