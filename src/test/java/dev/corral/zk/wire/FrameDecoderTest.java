package dev.corral.zk.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.zookeeper.server.command.FourLetterCommands;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static byte[] prefixed(byte[] payload) {
        return FrameEncoder.encode(out -> {
            JuteWriter w = out;
            for (byte b : payload) w.writeByte(b);
        });
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static List<byte[]> randomPayloads(RandomValues random, int n) {
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[random.rnd.nextInt(8) == 0 ? random.rnd.nextInt(70_000) : random.rnd.nextInt(300)];
            random.rnd.nextBytes(p);
            payloads.add(p);
        }
        return payloads;
    }

    @Test
    void anyChunkingOfAStreamYieldsExactlyItsFrames() {
        Seeds.run(20, random -> {
            for (int round = 0; round < 300; round++) {
                List<byte[]> payloads = randomPayloads(random, random.rnd.nextInt(1, 12));
                byte[] stream = concat(payloads.stream().map(FrameDecoderTest::prefixed).toList());
                FrameDecoder decoder = new FrameDecoder(70_000, round % 2 == 0);
                List<byte[]> got = new ArrayList<>();
                int p = 0;
                int mode = random.rnd.nextInt(3);
                while (p < stream.length) {
                    int n = switch (mode) {
                        case 0 -> 1;
                        case 1 -> random.rnd.nextInt(1, 9);
                        default -> random.rnd.nextInt(1, 20_000);
                    };
                    n = Math.min(n, stream.length - p);
                    // Feed from inside a larger array, to check offsets are honoured.
                    byte[] chunk = new byte[n + 6];
                    System.arraycopy(stream, p, chunk, 3, n);
                    decoder.feed(chunk, 3, n, got::add);
                    assertTrue(decoder.bufferedBytes() <= 70_000 + 4, "buffered " + decoder.bufferedBytes());
                    p += n;
                }
                assertEquals(payloads.size(), got.size());
                for (int i = 0; i < got.size(); i++) assertArrayEquals(payloads.get(i), got.get(i), "frame " + i);
                assertEquals(0, decoder.bufferedBytes());
                assertEquals(payloads.size(), decoder.framesDecoded());
            }
        });
    }

    @Test
    void aTwoGibibyteLengthFailsAtItsFourthByteWithoutAllocating() {
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            FrameDecoder d = new FrameDecoder();
            assertThrows(ZkWireException.class, () -> d.feed(new byte[] {0x7f, 1, 2, 3}, 0, 4, f -> {}));
        }
        FrameDecoder decoder = new FrameDecoder();
        decoder.feed(new byte[] {0x7f, (byte) 0xff, (byte) 0xff}, 0, 3, f -> {});
        long allocated = Allocation.bytesAllocatedBy(() -> {
            ZkWireException e = assertThrows(ZkWireException.class,
                    () -> decoder.feed(new byte[] {(byte) 0xff}, 0, 1, f -> {}));
            assertTrue(e.getMessage().contains("2147483647"), e.getMessage());
        });
        // The exception and its stack trace cost some; a length believed would cost 2 GiB (or an OutOfMemoryError).
        assertTrue(allocated < 256 * 1024, "allocated " + allocated);
        assertEquals(0, decoder.bufferedBytes());
        // The stream has no frame boundaries any more: every later feed fails too.
        assertThrows(ZkWireException.class, () -> decoder.feed(prefixed(new byte[1])));
    }

    @Test
    void lengthsOutsideZeroToTheMaximumAreRefused() {
        for (int length : new int[] {-1, -2, Integer.MIN_VALUE, 1001, 0x7fffffff}) {
            byte[] prefix = {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
            assertThrows(ZkWireException.class, () -> new FrameDecoder(1000, false).feed(prefix));
        }
        byte[] max = prefixed(new byte[1000]);
        assertEquals(1, new FrameDecoder(1000, false).feed(max).size());
        List<byte[]> empty = new FrameDecoder(1000, false).feed(prefixed(new byte[0]));
        assertEquals(1, empty.size());
        assertEquals(0, empty.get(0).length);
        assertEquals((1 << 20) + 1024, FrameDecoder.FRAME_BYTES_MAX_DEFAULT);
    }

    @Test
    void framesBeforeABadLengthAreHandedOnBeforeTheFailure() {
        byte[] stream = concat(List.of(prefixed(new byte[] {1}), prefixed(new byte[] {2, 3}), new byte[] {-1, -1, -1, -1}));
        List<byte[]> got = new ArrayList<>();
        assertThrows(ZkWireException.class, () -> new FrameDecoder().feed(stream, 0, stream.length, got::add));
        assertEquals(2, got.size());
        assertArrayEquals(new byte[] {2, 3}, got.get(1));
    }

    @Test
    void aFrameAnnouncedButNotSentCostsOnlyWhatArrived() {
        FrameDecoder decoder = new FrameDecoder();
        byte[] payload = new byte[FrameDecoder.FRAME_BYTES_MAX_DEFAULT];
        Arrays.fill(payload, (byte) 7);
        byte[] wire = prefixed(payload);
        decoder.feed(wire, 0, 14, f -> {});
        assertTrue(decoder.bufferedBytes() <= 4096, "buffered " + decoder.bufferedBytes());
        List<byte[]> got = new ArrayList<>();
        int p = 14;
        while (p < wire.length) {
            int n = Math.min(1000, wire.length - p);
            decoder.feed(wire, p, n, got::add);
            p += n;
            int held = p - 4;
            if (p < wire.length) {
                assertTrue(decoder.bufferedBytes() <= Math.max(4096, 2 * held), held + " arrived, " + decoder.bufferedBytes() + " held");
            }
        }
        assertEquals(1, got.size());
        assertArrayEquals(payload, got.get(0));
    }

    @Test
    void aFourLetterWordOpeningTheStreamIsReportedAndTheRestIgnored() {
        for (FourLetterWord w : List.of(FourLetterWord.RUOK, FourLetterWord.SRVR, FourLetterWord.STMK)) {
            FrameDecoder decoder = new FrameDecoder();
            byte[] word = w.word().getBytes(StandardCharsets.US_ASCII);
            assertEquals(0, decoder.feed(Arrays.copyOf(word, 1)).size());
            assertEquals(Optional.empty(), decoder.fourLetterWord());
            assertEquals(0, decoder.feed(Arrays.copyOfRange(word, 1, 4)).size());
            assertEquals(Optional.of(w), decoder.fourLetterWord());
            assertEquals(0, decoder.feed(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 1}).size());
            assertEquals(0, decoder.bufferedBytes());
        }
        byte[] ruok = "ruok".getBytes(StandardCharsets.US_ASCII);
        assertThrows(ZkWireException.class, () -> new FrameDecoder(FrameDecoder.FRAME_BYTES_MAX_DEFAULT, false).feed(ruok));
        FrameDecoder afterAFrame = new FrameDecoder();
        afterAFrame.feed(prefixed(new byte[3]));
        assertThrows(ZkWireException.class, () -> afterAFrame.feed(ruok));
        FrameDecoder telnet = new FrameDecoder();
        telnet.feed(new byte[] {(byte) 0xff, (byte) 0xf4, (byte) 0xff, (byte) 0xfd});
        assertEquals(Optional.of(FourLetterWord.TELNET_CLOSE), telnet.fourLetterWord());
    }

    /** Our words are exactly ZooKeeper's: the same codes, the same names, none missing. */
    @Test
    void theFourLetterWordsAreZooKeepers() throws Exception {
        for (FourLetterWord w : FourLetterWord.values()) {
            assertTrue(FourLetterCommands.isKnown(w.code()), w.word());
            assertEquals(w.word(), FourLetterCommands.getCommandString(w.code()));
            assertEquals(Optional.of(w), FourLetterWord.of(w.code()));
        }
        int zk = 0;
        for (Field f : FourLetterCommands.class.getDeclaredFields()) {
            if (f.getType() != int.class || !Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            assertTrue(FourLetterWord.of(f.getInt(null)).isPresent(), f.getName());
            zk++;
        }
        assertEquals(FourLetterWord.values().length, zk);
        assertEquals(Optional.of(FourLetterWord.MNTR), FourLetterWord.of("xmntr".getBytes(StandardCharsets.US_ASCII), 1));
        assertEquals(Optional.empty(), FourLetterWord.of("mnt".getBytes(StandardCharsets.US_ASCII), 0));
        assertEquals(Optional.empty(), FourLetterWord.of(0x0000_0010));
    }
}
