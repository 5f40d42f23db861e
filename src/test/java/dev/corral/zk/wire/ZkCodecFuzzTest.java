package dev.corral.zk.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Malformed input of every shape: each input must decode or fail with {@link ZkWireException}; any other
 * throwable (an index out of bounds, a negative array size, an out-of-memory from a length believed) fails the
 * test with the seed and the input in hex. What decodes must also re-encode to something that decodes to the
 * same value, so that the server never answers from a value it could not itself have sent.
 */
class ZkCodecFuzzTest {
    private static final int[] NASTY_INTS = {
        0x7fffffff, 0x80000000, -1, -2, 0, 1, 0xffff, 0x7ffffff0, 0x40000000, 9, 68, 10_001
    };

    /** Valid frames (without prefix) of every request variant, connect requests and multi responses. */
    private static List<byte[]> corpus(RandomValues random) {
        List<byte[]> frames = new ArrayList<>();
        for (Class<?> variant : ZkRequest.class.getPermittedSubclasses()) {
            for (int i = 0; i < 8; i++) frames.add(strip(ZkRequests.encode(randomRequest(random, variant))));
        }
        for (int i = 0; i < 8; i++) {
            frames.add(strip(ZkRequests.encodeConnect(random.record(ConnectRequest.class))));
            frames.add(ZooKeeperJute.ourBytes(MultiCases.response(random, random.rnd.nextInt(6)).ours()));
        }
        return frames;
    }

    static ZkRequest randomRequest(RandomValues random, Class<?> variant) {
        try {
            var components = variant.getRecordComponents();
            int xid = random.anInt();
            if (components.length == 1) return (ZkRequest) variant.getDeclaredConstructor(int.class).newInstance(xid);
            Class<?> bodyType = components[1].getType();
            Object body = bodyType == MultiRequest.class
                    ? MultiCases.request(random, variant == ZkRequest.MultiRead.class, random.rnd.nextInt(5)).ours()
                    : random.record(bodyType.asSubclass(Record.class));
            return (ZkRequest) variant.getDeclaredConstructor(int.class, bodyType).newInstance(xid, body);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] strip(byte[] wire) {
        return Arrays.copyOfRange(wire, FrameEncoder.PREFIX_BYTES, wire.length);
    }

    private static byte[] mutate(RandomValues random, List<byte[]> corpus) {
        byte[] base = corpus.get(random.rnd.nextInt(corpus.size()));
        switch (random.rnd.nextInt(7)) {
            case 0 -> { // noise
                byte[] b = new byte[random.rnd.nextInt(80)];
                random.rnd.nextBytes(b);
                return b;
            }
            case 1 -> { // flipped bytes
                byte[] b = base.clone();
                for (int k = random.rnd.nextInt(1, 4); k > 0 && b.length > 0; k--) {
                    b[random.rnd.nextInt(b.length)] = (byte) random.rnd.nextInt(256);
                }
                return b;
            }
            case 2 -> { // truncated
                return Arrays.copyOf(base, base.length == 0 ? 0 : random.rnd.nextInt(base.length));
            }
            case 3 -> { // extended with noise
                byte[] b = Arrays.copyOf(base, base.length + random.rnd.nextInt(1, 40));
                for (int i = base.length; i < b.length; i++) b[i] = (byte) random.rnd.nextInt(256);
                return b;
            }
            case 4, 5 -> { // a length, count or opcode replaced by a nasty int
                byte[] b = base.clone();
                if (b.length < 4) return b;
                int at = random.rnd.nextInt(b.length - 3);
                int v = NASTY_INTS[random.rnd.nextInt(NASTY_INTS.length)];
                if (v == 9) v = b.length - at; // just past the end
                b[at] = (byte) (v >>> 24);
                b[at + 1] = (byte) (v >>> 16);
                b[at + 2] = (byte) (v >>> 8);
                b[at + 3] = (byte) v;
                return b;
            }
            default -> { // two frames spliced
                byte[] other = corpus.get(random.rnd.nextInt(corpus.size()));
                int cut = random.rnd.nextInt(base.length + 1);
                int from = random.rnd.nextInt(other.length + 1);
                byte[] b = Arrays.copyOf(base, cut + other.length - from);
                System.arraycopy(other, from, b, cut, other.length - from);
                return b;
            }
        }
    }

    /** Runs {@code decode}; true if it decoded, false if it threw ZkWireException, a failure for anything else. */
    private static <T> T attempt(String what, byte[] input, Function<byte[], T> decode) {
        try {
            return decode.apply(input);
        } catch (ZkWireException expected) {
            return null;
        } catch (Throwable t) {
            throw new AssertionError(what + " threw " + t + " for input " + HexFormat.of().formatHex(input), t);
        }
    }

    @Test
    void everyMalformedInputDecodesOrFailsWithZkWireException() throws Exception {
        List<Method> readers = new ArrayList<>();
        for (Class<?> c : ZkCodecDifferentialTest.plainRecords()) readers.add(c.getMethod("read", JuteReader.class));
        int[] inputs = {0};
        int[] decoded = {0};
        long start = System.nanoTime();
        Seeds.run(30, random -> {
            List<byte[]> corpus = corpus(random);
            for (int i = 0; i < 40_000; i++) {
                byte[] input = mutate(random, corpus);
                ZkRequest request = attempt("ZkRequests.decode", input, b -> ZkRequests.decode(b, 50));
                inputs[0]++;
                if (request != null) {
                    decoded[0]++;
                    byte[] again = strip(ZkRequests.encode(request));
                    assertEquals(request, ZkRequests.decode(again, 50), () -> HexFormat.of().formatHex(input));
                    assertArrayEquals(again, strip(ZkRequests.encode(ZkRequests.decode(again, 50))));
                }
                ConnectRequest connect = attempt("ZkRequests.decodeConnect", input, ZkRequests::decodeConnect);
                inputs[0]++;
                if (connect != null) assertEquals(connect, ZkRequests.decodeConnect(strip(ZkRequests.encodeConnect(connect))));
                attempt("MultiResponse.read", input, b -> MultiResponse.read(new JuteReader(b), 50));
                inputs[0]++;
                Method read = readers.get(random.rnd.nextInt(readers.size()));
                attempt(read.getDeclaringClass().getSimpleName() + ".read", input, b -> invoke(read, b));
                inputs[0]++;
            }
        });
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("zk.wire fuzz: %d decodes of mutated frames in %d ms, %d requests decoded, seed %d%n",
                inputs[0], ms, decoded[0], Seeds.SEED);
        assertTrue(inputs[0] >= 100_000);
        assertTrue(decoded[0] > 1_000, "too few mutated frames decode (" + decoded[0] + "): the mutations miss");
    }

    private static Object invoke(Method read, byte[] input) {
        try {
            return read.invoke(null, new JuteReader(input));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new AssertionError(e);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aStreamOfMutatedFramesCutAnywhereFailsOnlyWithZkWireException() {
        Seeds.run(31, random -> {
            List<byte[]> corpus = corpus(random);
            for (int round = 0; round < 3_000; round++) {
                FrameDecoder decoder = new FrameDecoder(4096, true);
                List<byte[]> payloads = new ArrayList<>();
                for (int k = random.rnd.nextInt(1, 5); k > 0; k--) payloads.add(corpus.get(random.rnd.nextInt(corpus.size())));
                // A buffer is a length-prefixed frame: the stream is a frame of frames, whose outer prefix is dropped.
                byte[] stream = FrameEncoder.encode(out -> payloads.forEach(out::writeBuffer));
                byte[] bent = mutate(random, List.of(strip(stream)));
                int p = 0;
                try {
                    while (p < bent.length) {
                        int n = Math.min(random.rnd.nextInt(1, 64), bent.length - p);
                        decoder.feed(bent, p, n, frame -> attempt("ZkRequests.decode", frame, ZkRequests::decode));
                        p += n;
                    }
                } catch (ZkWireException expected) {
                    // a bad length: the connection would be closed
                } catch (Throwable t) {
                    throw new AssertionError("FrameDecoder threw " + t + " for " + HexFormat.of().formatHex(bent), t);
                }
                assertTrue(decoder.bufferedBytes() <= 4096 + 4);
            }
        });
    }
}
