package dev.corral.tree;

import java.util.Arrays;

/**
 * ZooKeeper's {@code ip} ACL scheme ({@code IPAuthenticationProvider}): an id is an IPv4 or IPv6 address with an
 * optional {@code /bits} prefix length, and matches a client whose address agrees on those bits.
 *
 * <p>The parsing rules are ZooKeeper's, quirks included, so that an ACL one server accepts the other accepts
 * too: an address with a ':' is IPv6 (eight hexadecimal segments of at most four characters, or fewer around
 * one "::"), else one with a '.' is IPv4 (four decimal parts, each as {@link Integer#parseInt} reads it, so
 * "0127" is 127); IPv4 and IPv6 never match each other; an IPv4-mapped IPv6 id is IPv6.
 */
final class IpAcl {
    private static final int V6_SEGMENTS = 8;
    private static final int V6_BYTES = 16;
    private static final int V6_SEGMENT_CHARS_MAX = 4;

    private IpAcl() {}

    /** An ACL id parsed: the address (4 or 16 bytes) and how many of its leading bits a client must share. */
    private record Prefix(byte[] address, int bits) {}

    /** True if {@code expr} is a valid {@code ip} ACL id: an address, optionally {@code /bits} within its length. */
    static boolean isValid(String expr) {
        return prefix(expr) != null;
    }

    /** True if the client at {@code clientAddress} is within {@code expr}; false if either does not parse. */
    static boolean matches(String clientAddress, String expr) {
        Prefix prefix = prefix(expr);
        byte[] client = parse(clientAddress);
        if (prefix == null || client == null || client.length != prefix.address().length) return false;
        return Arrays.equals(masked(prefix.address(), prefix.bits()), masked(client, prefix.bits()));
    }

    /** {@code expr} parsed, or null if it is not valid. */
    private static Prefix prefix(String expr) {
        String[] parts = expr.split("/", 2);
        byte[] address = parse(parts[0]);
        if (address == null) return null;
        if (parts.length == 1) return new Prefix(address, address.length * 8);
        int bits;
        try {
            bits = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return null;
        }
        return bits < 0 || bits > address.length * 8 ? null : new Prefix(address, bits);
    }

    /** The address's bytes (4 or 16), or null. */
    static byte[] parse(String address) {
        if (address.indexOf(':') >= 0) return parseV6(address);
        if (address.indexOf('.') >= 0) return parseV4(address);
        return null;
    }

    private static byte[] parseV4(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v;
            try {
                v = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                return null;
            }
            if (v < 0 || v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseV6(String address) {
        String[] halves = address.split("::", -1);
        String[] head;
        String[] tail = new String[0];
        if (halves.length == 1) {
            head = address.split(":", -1);
            if (head.length != V6_SEGMENTS) return null;
        } else if (halves.length == 2) {
            head = halves[0].isEmpty() ? new String[0] : halves[0].split(":", -1);
            tail = halves[1].isEmpty() ? new String[0] : halves[1].split(":", -1);
            if (head.length + tail.length >= V6_SEGMENTS) return null;
        } else {
            return null;
        }
        byte[] out = new byte[V6_BYTES];
        return segments(out, 0, head) && segments(out, V6_BYTES - 2 * tail.length, tail) ? out : null;
    }

    private static boolean segments(byte[] out, int at, String[] segments) {
        for (String segment : segments) {
            if (segment.isEmpty() || segment.length() > V6_SEGMENT_CHARS_MAX) return false;
            int v;
            try {
                v = Integer.parseInt(segment, 16);
            } catch (NumberFormatException e) {
                return false;
            }
            out[at++] = (byte) (v >> 8);
            out[at++] = (byte) v;
        }
        return true;
    }

    /** A copy of {@code address} with every bit after the first {@code bits} cleared. */
    private static byte[] masked(byte[] address, int bits) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.clamp(bits - 8 * i, 0, 8);
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }
}
