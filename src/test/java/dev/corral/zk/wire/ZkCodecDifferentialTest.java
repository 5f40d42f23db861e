package dev.corral.zk.wire;

import static dev.corral.zk.wire.ZooKeeperJute.ourBytes;
import static dev.corral.zk.wire.ZooKeeperJute.toZk;
import static dev.corral.zk.wire.ZooKeeperJute.zkBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.zookeeper.ClientCnxn;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.compat.ProtocolManager;
import org.junit.jupiter.api.Test;

/**
 * Holds the codec to ZooKeeper 3.9.5's own jute classes: for every record, random values encode to exactly the
 * bytes ZooKeeper's {@code BinaryOutputArchive} writes, and ZooKeeper's bytes decode to the same values. Values are
 * handed to ZooKeeper's classes by field name (see {@link ZooKeeperJute}), so a field out of order is caught.
 */
class ZkCodecDifferentialTest {
    private static final int ROUNDS = 300;

    /** Every top-level record of the package with a {@code read(JuteReader)}: new records are tested unasked. */
    static List<Class<?>> plainRecords() throws IOException {
        Path dir = Path.of("target/classes/dev/corral/zk/wire");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) continue;
                try {
                    Class<?> c = Class.forName("dev.corral.zk.wire." + name.substring(0, name.length() - 6));
                    if (c.isRecord() && JuteRecord.class.isAssignableFrom(c) && hasPlainRead(c)) out.add(c);
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    private static boolean hasPlainRead(Class<?> c) {
        try {
            c.getMethod("read", JuteReader.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false; // MultiRequest and MultiResponse take a bound too; tested below
        }
    }

    static Object read(Class<?> c, JuteReader in) throws ReflectiveOperationException {
        try {
            return c.getMethod("read", JuteReader.class).invoke(null, in);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    @Test
    void everyRecordWritesZooKeepersBytesAndReadsThemBack() throws Exception {
        List<Class<?>> records = plainRecords();
        List<String> names = records.stream().map(Class::getSimpleName).toList();
        assertTrue(records.size() >= 44, "too few records found: " + names);
        for (String expected : List.of("Stat", "Acl", "ConnectRequest", "ConnectResponse", "CreateTtlRequest",
                "SetWatches2Request", "WhoAmIResponse", "MultiHeader", "WatcherEvent", "ErrorResponse")) {
            assertTrue(names.contains(expected), expected + " missing from " + names);
        }
        Seeds.run(1, random -> {
            for (Class<?> c : records) {
                for (int i = 0; i < ROUNDS; i++) {
                    @SuppressWarnings("unchecked")
                    JuteRecord ours = (JuteRecord) random.record((Class<? extends Record>) c);
                    byte[] zk = zkBytes(toZk(ours));
                    if (ours instanceof ConnectRequest q && !q.readOnlyFieldSent()
                            || ours instanceof ConnectResponse p && !p.readOnlyFieldSent()) {
                        zk = Arrays.copyOf(zk, zk.length - 1); // as a client or server from before readOnly
                    }
                    Supplier<String> what = () -> c.getSimpleName() + " " + ours;
                    byte[] mine = ourBytes(ours);
                    if (!Arrays.equals(zk, mine)) {
                        assertEquals(HexFormat.of().formatHex(zk), HexFormat.of().formatHex(mine), what);
                    }
                    JuteReader in = new JuteReader(zk);
                    assertEquals(ours, read(c, in), what);
                    assertEquals(0, in.remaining(), what);
                }
            }
        });
    }

    @Test
    void connectHandshakeAnswersInKindAsZooKeepersServerDoes() throws Exception {
        for (boolean sent : new boolean[] {true, false}) {
            ConnectRequest request = new ConnectRequest(0, 0x1_0000_0007L, 30_000, 0x0123_4567_89ab_cdefL,
                    new byte[16], sent, sent);
            ProtocolManager server = new ProtocolManager();
            org.apache.zookeeper.proto.ConnectRequest seen = server.deserializeConnectRequest(
                    BinaryInputArchive.getArchive(new ByteArrayInputStream(ourBytes(request))));
            assertEquals(sent, server.isReadonlyAvailable());
            assertEquals(request.lastZxidSeen(), seen.getLastZxidSeen());
            assertEquals(request.timeoutMs(), seen.getTimeOut());
            assertEquals(request.sessionId(), seen.getSessionId());
            assertEquals(sent, seen.getReadOnly());

            ConnectResponse answer = new ConnectResponse(0, 20_000, request.sessionId(), new byte[] {1, 2, 3}, false,
                    request.readOnlyFieldSent());
            ByteArrayOutputStream zk = new ByteArrayOutputStream();
            server.serializeConnectResponse((org.apache.zookeeper.proto.ConnectResponse) toZk(answer),
                    BinaryOutputArchive.getArchive(zk));
            assertArrayEquals(zk.toByteArray(), ourBytes(answer), "readOnly sent: " + sent);
            assertEquals(answer, ConnectResponse.read(new JuteReader(zk.toByteArray())));
        }
    }

    @Test
    void multiRequestsMatchZooKeepersMultiOperationRecord() {
        Seeds.run(2, random -> {
            for (int i = 0; i < 600; i++) {
                boolean read = random.rnd.nextInt(3) == 0;
                MultiCases.Request c = MultiCases.request(random, read, random.rnd.nextInt(12));
                byte[] zk = zkBytes(c.zk());
                assertArrayEquals(zk, ourBytes(c.ours()), () -> c.ours().toString());
                JuteReader in = new JuteReader(zk);
                assertEquals(c.ours(), MultiRequest.read(in, ZkRequests.MULTI_OPS_MAX_DEFAULT));
                assertEquals(0, in.remaining());
                // ZooKeeper reads ours back too (its reader garbles text outside the BMP, so compare the kinds).
                MultiOperationRecord back = new MultiOperationRecord();
                back.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(ourBytes(c.ours()))), "multi");
                List<Integer> types = new ArrayList<>();
                back.forEach(op -> types.add(op.getType()));
                assertEquals(c.ours().ops().stream().map(MultiOp::opcode).toList(), types);
            }
        });
    }

    @Test
    void multiResponsesMatchZooKeepersMultiResponse() {
        Seeds.run(3, random -> {
            for (int i = 0; i < 600; i++) {
                MultiCases.Response c = MultiCases.response(random, random.rnd.nextInt(12));
                byte[] zk = zkBytes(c.zk());
                assertArrayEquals(zk, ourBytes(c.ours()), () -> c.ours().toString());
                JuteReader in = new JuteReader(zk);
                assertEquals(c.ours(), MultiResponse.read(in, ZkRequests.MULTI_OPS_MAX_DEFAULT));
                assertEquals(0, in.remaining());
            }
        });
    }

    @Test
    void everyRequestFrameZooKeepersClientSendsDecodesToItsVariant() throws Exception {
        Seeds.run(4, random -> {
            for (Class<?> variant : ZkRequest.class.getPermittedSubclasses()) {
                int opcode = zkOpcode(variant.getSimpleName());
                for (int i = 0; i < 100; i++) {
                    int xid = random.anInt();
                    JuteRecord body = null;
                    Object zkBody = null;
                    if (variant == ZkRequest.Multi.class || variant == ZkRequest.MultiRead.class) {
                        MultiCases.Request m = MultiCases.request(random, variant == ZkRequest.MultiRead.class,
                                random.rnd.nextInt(6));
                        body = m.ours();
                        zkBody = m.zk();
                    } else if (variant.getRecordComponents().length == 2) {
                        @SuppressWarnings("unchecked")
                        var type = (Class<? extends Record>) variant.getRecordComponents()[1].getType();
                        body = (JuteRecord) random.record(type);
                        zkBody = toZk(body);
                    }
                    var header = new org.apache.zookeeper.proto.RequestHeader(xid, opcode);
                    byte[] frame = zkBody == null ? zkBytes(header) : zkBytes(header, zkBody);
                    ZkRequest decoded = ZkRequests.decode(frame);
                    assertEquals(variant, decoded.getClass());
                    assertEquals(xid, decoded.xid());
                    assertEquals(opcode, decoded.opcode());
                    assertEquals(body, decoded.body());
                    byte[] encoded = ZkRequests.encode(decoded);
                    assertArrayEquals(frame, Arrays.copyOfRange(encoded, 4, encoded.length));
                    assertEquals(frame.length, new DataInputStream(new ByteArrayInputStream(encoded)).readInt());
                }
            }
        });
    }

    /** ZooKeeper's opcode for one of our names, matched as ZooDefs.OpCode spells it, ignoring case and '_'. */
    static int zkOpcode(String ourName) throws IllegalAccessException {
        String key = ourName.replace("_", "").toLowerCase(Locale.ROOT);
        for (Field f : ZooDefs.OpCode.class.getFields()) {
            if (f.getName().toLowerCase(Locale.ROOT).equals(key)) return f.getInt(null);
        }
        throw new AssertionError("ZooDefs.OpCode has no " + ourName);
    }

    @Test
    void opcodesXidsAndRequestVariantsAreZooKeepers() throws Exception {
        int constants = 0;
        for (Field f : OpCodes.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) continue;
            assertEquals(zkOpcode(f.getName()), f.getInt(null), f.getName());
            assertNotEquals("opcode " + f.getInt(null), OpCodes.name(f.getInt(null)));
            constants++;
        }
        assertEquals(28, constants);
        List<Integer> opcodes = new ArrayList<>(); // each variant's own opcode() is checked by the decoding test
        for (Class<?> variant : ZkRequest.class.getPermittedSubclasses()) opcodes.add(zkOpcode(variant.getSimpleName()));
        assertEquals(List.of(1, 15, 19, 21, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 17, 18, 22, 100, 101, 103, 104, 105,
                106, 107, -11).stream().sorted().toList(), opcodes.stream().sorted().toList());
        assertEquals(ClientCnxn.NOTIFICATION_XID, Xids.NOTIFICATION);
        assertEquals(ClientCnxn.PING_XID, Xids.PING);
        assertEquals(ClientCnxn.AUTHPACKET_XID, Xids.AUTH);
        assertEquals(ClientCnxn.SET_WATCHES_XID, Xids.SET_WATCHES);
    }

    @Test
    void framesAreALengthPrefixThenTheRecordsAsZooKeeperSendsThem() {
        Seeds.run(5, random -> {
            for (int i = 0; i < 200; i++) {
                ReplyHeader header = random.record(ReplyHeader.class);
                GetDataResponse body = random.record(GetDataResponse.class);
                byte[] zk = zkBytes(toZk(header), toZk(body));
                byte[] frame = ZkResponses.reply(header, body);
                assertEquals(zk.length, frame.length - 4);
                assertEquals(zk.length, (frame[0] & 0xff) << 24 | (frame[1] & 0xff) << 16 | (frame[2] & 0xff) << 8 | frame[3] & 0xff);
                assertArrayEquals(zk, Arrays.copyOfRange(frame, 4, frame.length));
                assertEquals(FrameEncoder.payloadBytes(header, body), zk.length);

                WatcherEvent event = random.record(WatcherEvent.class);
                long zxid = random.aLong();
                byte[] note = ZkResponses.notification(zxid, event);
                assertArrayEquals(zkBytes(new org.apache.zookeeper.proto.ReplyHeader(-1, zxid, 0), toZk(event)),
                        Arrays.copyOfRange(note, 4, note.length));

                byte[] error = ZkResponses.error(header.xid(), header.zxid(), header.err());
                assertArrayEquals(zkBytes(toZk(header)), Arrays.copyOfRange(error, 4, error.length));
            }
        });
    }

    /**
     * ZooKeeper's Java writer encodes each UTF-16 unit on its own, so a character outside the Basic Multilingual
     * Plane becomes six bytes (CESU-8), which ZooKeeper's own reader, decoding standard UTF-8, turns into U+FFFD.
     * Ours writes the same bytes and reads the character back, and reads standard four-byte UTF-8 (as non-Java
     * clients send it) too.
     */
    @Test
    void charactersOutsideTheBmpTravelAsJavaClientsWriteThemAndComeBackWhole() throws IOException {
        String face = "/\ud83d\ude00";
        byte[] zk = zkBytes(new org.apache.zookeeper.proto.SyncRequest(face));
        assertEquals("00000007" + "2f" + "eda0bd" + "edb880", HexFormat.of().formatHex(zk));
        assertArrayEquals(zk, ourBytes(new SyncRequest(face)));
        org.apache.zookeeper.proto.SyncRequest zkRead = new org.apache.zookeeper.proto.SyncRequest();
        zkRead.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(zk)), "sync");
        assertNotEquals(face, zkRead.getPath());
        assertEquals(face, SyncRequest.read(new JuteReader(zk)).path());

        byte[] utf8 = face.getBytes(StandardCharsets.UTF_8);
        byte[] standard = lengthPrefixed(utf8);
        assertEquals(face, SyncRequest.read(new JuteReader(standard)).path());

        String lone = "a\udc00b\ud800";
        assertArrayEquals(zkBytes(new org.apache.zookeeper.proto.SyncRequest(lone)), ourBytes(new SyncRequest(lone)));
        assertEquals(lone, SyncRequest.read(new JuteReader(ourBytes(new SyncRequest(lone)))).path());

        byte[] malformed = lengthPrefixed(new byte[] {'a', (byte) 0xff, (byte) 0xc3, 'b', (byte) 0xe2, (byte) 0x82});
        assertEquals(new String(Arrays.copyOfRange(malformed, 4, malformed.length), StandardCharsets.UTF_8),
                SyncRequest.read(new JuteReader(malformed)).path(), "malformed UTF-8 reads as ZooKeeper reads it");
        assertFalse(SyncRequest.read(new JuteReader(malformed)).path().isEmpty());
    }

    private static byte[] lengthPrefixed(byte[] b) {
        byte[] out = new byte[4 + b.length];
        out[0] = (byte) (b.length >>> 24);
        out[1] = (byte) (b.length >>> 16);
        out[2] = (byte) (b.length >>> 8);
        out[3] = (byte) b.length;
        System.arraycopy(b, 0, out, 4, b.length);
        return out;
    }
}
