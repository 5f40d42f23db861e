package dev.corral.txn;

import java.util.HexFormat;

/**
 * A session's secret: 16 random bytes, ZooKeeper's session password. The leader draws it when the session is
 * created; it is replicated (so that any node can check it), shown to the client once, and required for every
 * act as that session. Kept as two longs rather than an array so that it is a value (equality, no aliasing).
 *
 * <p>{@link #NONE} stands for "no secret": sessions created before secrets existed have it, and no presented
 * secret ever matches it, so such sessions can only expire.
 */
public record SessionSecret(long high, long low) {
    public static final SessionSecret NONE = new SessionSecret(0, 0);
    /** Length of {@link #hex()}: 32 lowercase hex digits. */
    public static final int HEX_LENGTH = 32;

    public boolean isNone() {
        return high == 0 && low == 0;
    }

    /** The 16 bytes, big-endian, as the ZooKeeper wire protocol carries a session password. */
    public byte[] bytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return b;
    }

    public static SessionSecret ofBytes(byte[] b) {
        if (b == null || b.length != 16) return NONE;
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (b[i] & 0xff);
            low = (low << 8) | (b[8 + i] & 0xff);
        }
        return new SessionSecret(high, low);
    }

    public String hex() {
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }

    /** Parses 32 hex digits; null if {@code s} is not exactly that. */
    public static SessionSecret parseHex(String s) {
        if (s == null || s.length() != HEX_LENGTH) return null;
        for (int i = 0; i < HEX_LENGTH; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) return null;
        }
        return new SessionSecret(Long.parseUnsignedLong(s, 0, 16, 16), Long.parseUnsignedLong(s, 16, 32, 16));
    }

    /**
     * True if {@code presented} is this secret, taking the same time whichever bits differ (no timing oracle).
     * {@link #NONE} matches nothing.
     */
    public boolean matches(SessionSecret presented) {
        if (presented == null) return false;
        long diff = (high ^ presented.high) | (low ^ presented.low);
        return diff == 0 & !isNone();
    }

    /** Never prints the secret itself: records' default toString would put it into logs and exceptions. */
    @Override
    public String toString() {
        return isNone() ? "SessionSecret[none]" : "SessionSecret[…]";
    }
}
