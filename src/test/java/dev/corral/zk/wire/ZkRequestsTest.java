package dev.corral.zk.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.txn.TxnLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZkRequestsTest {
    /** The frame (without prefix) a client sends for {@code request}. */
    private static byte[] frame(ZkRequest request) {
        byte[] wire = ZkRequests.encode(request);
        return Arrays.copyOfRange(wire, FrameEncoder.PREFIX_BYTES, wire.length);
    }

    private static byte[] frame(JuteRecord... records) {
        return ZooKeeperJute.ourBytes(records);
    }

    private static byte[] append(byte[] a, byte... more) {
        byte[] out = Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }

    @Test
    void anUnknownOpcodeNamesItselfAndTheXidSoTheServerCanAnswerUnimplemented() {
        for (int opcode : new int[] {0, 10, 16, 20, 102, -10, 12345}) {
            UnknownOpcodeException e = assertThrows(UnknownOpcodeException.class,
                    () -> ZkRequests.decode(frame(new RequestHeader(42, opcode), new SyncRequest("/a"))));
            assertEquals(opcode, e.opcode());
            assertEquals(42, e.xid());
            assertEquals(new RequestHeader(42, opcode), e.header().orElseThrow());
            assertTrue(e.getMessage().contains("opcode " + opcode), e.getMessage());
        }
    }

    @Test
    void aBrokenBodyCarriesItsHeaderAndABrokenHeaderDoesNot() {
        byte[] truncated = frame(new RequestHeader(7, OpCodes.SET_DATA), new SetDataRequest("/a", new byte[10], 3));
        ZkWireException e = assertThrows(ZkWireException.class,
                () -> ZkRequests.decode(Arrays.copyOf(truncated, truncated.length - 2)));
        assertEquals(new RequestHeader(7, OpCodes.SET_DATA), e.header().orElseThrow());
        assertTrue(e.getMessage().contains("'version'") && e.getMessage().contains("setData request, xid 7"),
                e.getMessage());
        ZkWireException h = assertThrows(ZkWireException.class, () -> ZkRequests.decode(new byte[] {0, 0, 0, 7, 0}));
        assertTrue(h.header().isEmpty());
        assertThrows(ZkWireException.class, () -> ZkRequests.decode(new byte[0]));
    }

    @Test
    void bytesAfterABodyAreIgnoredAsZooKeeperIgnoresThem() {
        ZkRequest request = new ZkRequest.GetData(5, new GetDataRequest("/x", true));
        assertEquals(request, ZkRequests.decode(append(frame(request), (byte) 1, (byte) 2, (byte) 3)));
        ZkRequest ping = new ZkRequest.Ping(Xids.PING);
        assertEquals(ping, ZkRequests.decode(append(frame(ping), (byte) 9)));
    }

    @Test
    void aConnectRequestWithoutReadOnlyIsAnOlderClientAndBytesAfterReadOnlyAreIgnored() {
        ConnectRequest old = new ConnectRequest(0, 5, 10_000, 0, new byte[16], false, false);
        ConnectRequest decoded = ZkRequests.decodeConnect(frame(old));
        assertEquals(old, decoded);
        assertFalse(decoded.readOnlyFieldSent());
        ConnectRequest current = new ConnectRequest(0, 5, 10_000, 0, new byte[16], true, true);
        assertEquals(current, ZkRequests.decodeConnect(append(frame(current), (byte) 0, (byte) 7)));
        assertThrows(IllegalArgumentException.class, () -> new ConnectRequest(0, 0, 0, 0, null, true, false));
        assertThrows(ZkWireException.class, () -> ZkRequests.decodeConnect(Arrays.copyOf(frame(old), 20)));
    }

    @Test
    void bodilessRequestsDecodeFromTheHeaderAlone() {
        assertEquals(new ZkRequest.Ping(-2), ZkRequests.decode(frame(new RequestHeader(-2, OpCodes.PING))));
        assertEquals(new ZkRequest.WhoAmI(3), ZkRequests.decode(frame(new RequestHeader(3, OpCodes.WHO_AM_I))));
        assertEquals(new ZkRequest.CloseSession(9),
                ZkRequests.decode(frame(new RequestHeader(9, OpCodes.CLOSE_SESSION))));
    }

    private static MultiRequest deletes(int n) {
        List<MultiOp> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) ops.add(new MultiOp.Delete(new DeleteRequest("/n" + i, -1)));
        return new MultiRequest(ops);
    }

    @Test
    void aMultiHoldsAtMostItsLimitOfOperations() {
        assertEquals(TxnLimits.MULTI_OPS_MAX, ZkRequests.MULTI_OPS_MAX_DEFAULT);
        byte[] three = frame(new ZkRequest.Multi(1, deletes(3)));
        assertEquals(3, ((ZkRequest.Multi) ZkRequests.decode(three, 3)).body().ops().size());
        ZkWireException e = assertThrows(ZkWireException.class, () -> ZkRequests.decode(three, 2));
        assertTrue(e.getMessage().contains("more than 2 operations"), e.getMessage());

        int max = ZkRequests.MULTI_OPS_MAX_DEFAULT;
        assertEquals(max, ((ZkRequest.Multi) ZkRequests.decode(frame(new ZkRequest.Multi(1, deletes(max))))).body().ops().size());
        assertThrows(ZkWireException.class, () -> ZkRequests.decode(frame(new ZkRequest.Multi(1, deletes(max + 1)))));
        assertEquals(new ZkRequest.Multi(1, new MultiRequest(List.of())),
                ZkRequests.decode(frame(new ZkRequest.Multi(1, new MultiRequest(List.of())))));
    }

    @Test
    void aMultiResponseHoldsAtMostItsLimitOfResults() {
        MultiResponse three = new MultiResponse(List.of(new MultiResult.Delete(), new MultiResult.Check(),
                new MultiResult.Error(-101)));
        assertEquals(three, MultiResponse.read(new JuteReader(frame(three)), 3));
        assertThrows(ZkWireException.class, () -> MultiResponse.read(new JuteReader(frame(three)), 2));
    }

    @Test
    void aMultiHoldsOnlyWritesAndAMultiReadOnlyReads() {
        MultiOp read = new MultiOp.GetData(new GetDataRequest("/a", false));
        MultiOp write = new MultiOp.Delete(new DeleteRequest("/a", 1));
        byte[] multiWithRead = frame(new RequestHeader(1, OpCodes.MULTI), new MultiRequest(List.of(write, read)));
        ZkWireException e = assertThrows(ZkWireException.class, () -> ZkRequests.decode(multiWithRead));
        assertTrue(e.getMessage().contains("operation 1 is getData"), e.getMessage());
        byte[] readWithWrite = frame(new RequestHeader(1, OpCodes.MULTI_READ), new MultiRequest(List.of(read, write)));
        assertThrows(ZkWireException.class, () -> ZkRequests.decode(readWithWrite));
        assertThrows(IllegalArgumentException.class, () -> new ZkRequest.Multi(1, new MultiRequest(List.of(read))));
        assertThrows(IllegalArgumentException.class, () -> new ZkRequest.MultiRead(1, new MultiRequest(List.of(write))));
        assertInstanceOf(ZkRequest.MultiRead.class,
                ZkRequests.decode(frame(new RequestHeader(1, OpCodes.MULTI_READ), new MultiRequest(List.of(read)))));
    }

    @Test
    void aMultiOperationOfAnotherKindOrWithoutItsTerminatorIsRefused() {
        byte[] sync = frame(new RequestHeader(1, OpCodes.MULTI), new MultiHeader(OpCodes.SYNC, false, -1),
                new SyncRequest("/a"), new MultiHeader(-1, true, -1));
        ZkWireException e = assertThrows(ZkWireException.class, () -> ZkRequests.decode(sync));
        assertTrue(e.getMessage().contains("sync"), e.getMessage());
        byte[] whole = frame(new ZkRequest.Multi(1, deletes(2)));
        assertThrows(ZkWireException.class, () -> ZkRequests.decode(Arrays.copyOf(whole, whole.length - 9)));
        // Like ZooKeeper, the reader looks only at done: a terminator of any type and err ends the list.
        byte[] oddEnd = frame(new RequestHeader(1, OpCodes.MULTI), new MultiHeader(77, true, 5));
        assertEquals(new ZkRequest.Multi(1, new MultiRequest(List.of())), ZkRequests.decode(oddEnd));
    }

    @Test
    void secretsAndDataNeverShowInToString() {
        byte[] secret = "bob:hunter2".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String auth = new AuthPacket(0, "digest", secret).toString();
        assertFalse(auth.contains("hunter2") || auth.contains(Arrays.toString(secret)), auth);
        assertTrue(auth.contains("11 bytes"), auth);
        String connect = new ConnectRequest(0, 0, 1, 0x1234, new byte[] {42, 43}, false, true).toString();
        assertTrue(connect.contains("sessionId=0x1234") && connect.contains("passwd=2 bytes"), connect);
        assertFalse(new SetDataRequest("/a", secret, 1).toString().contains("hunter2"));
    }

    @Test
    void recordsWithBuffersCompareByContent() {
        assertEquals(new CreateRequest("/a", new byte[] {1}, null, 0), new CreateRequest("/a", new byte[] {1}, null, 0));
        assertEquals(new CreateRequest("/a", new byte[] {1}, null, 0).hashCode(),
                new CreateRequest("/a", new byte[] {1}, null, 0).hashCode());
        assertFalse(new CreateRequest("/a", new byte[] {1}, null, 0).equals(new CreateRequest("/a", new byte[] {2}, null, 0)));
        assertFalse(new CreateRequest("/a", null, null, 0).equals(new CreateRequest("/a", new byte[0], null, 0)));
    }
}
