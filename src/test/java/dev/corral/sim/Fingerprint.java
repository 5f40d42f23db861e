package dev.corral.sim;

import java.nio.charset.StandardCharsets;

/**
 * A running 64-bit fingerprint of values fed in order. Used for tree digests and for the trace hash that
 * proves a seed replays identically. Not cryptographic; collisions between the structures compared here are
 * negligible. Never feed it {@code hashCode()}s of records holding arrays: those are identity hashes and
 * differ between runs.
 */
final class Fingerprint {
    private long h = 0x243F6A8885A308D3L;

    Fingerprint add(long v) {
        h = Long.rotateLeft(h ^ mix(v), 29) * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        return this;
    }

    Fingerprint add(boolean b) {
        return add(b ? 1 : 0);
    }

    Fingerprint add(byte[] bytes) {
        add(bytes.length);
        long word = 0;
        for (int i = 0; i < bytes.length; i++) {
            word = (word << 8) | (bytes[i] & 0xff);
            if ((i & 7) == 7) {
                add(word);
                word = 0;
            }
        }
        return add(word);
    }

    Fingerprint add(String s) {
        return s == null ? add(-1) : add(s.getBytes(StandardCharsets.UTF_8));
    }

    long value() {
        return mix(h);
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
