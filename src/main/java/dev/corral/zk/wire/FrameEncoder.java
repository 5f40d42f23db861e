package dev.corral.zk.wire;

/**
 * Builds an outgoing frame: a four-byte big-endian length, then the records. The records are written twice by
 * the same code, first by a counting {@link JuteWriter} and then into an array of exactly the counted size, so
 * the prefix is right by construction and a large body (a 1 MiB {@code getData}) is copied once.
 *
 * <p>Java clients refuse a frame whose length exceeds their {@code jute.maxbuffer} (by default 1,048,575 bytes,
 * {@code 0xfffff}) and drop the connection. A server that may produce larger answers should compare
 * {@link #payloadBytes} with that before sending, as this class does not know the client's setting.
 *
 * <p>Stateless and thread-safe.
 */
public final class FrameEncoder {
    /** Bytes of the length prefix. */
    public static final int PREFIX_BYTES = 4;

    private FrameEncoder() {}

    /** Bytes the {@code records} take after the prefix; null records take none. */
    public static long payloadBytes(JuteRecord... records) {
        JuteWriter counter = JuteWriter.counting();
        for (JuteRecord r : records) {
            if (r != null) r.write(counter);
        }
        return counter.size();
    }

    /** The frame holding {@code records} in order, null ones skipped. */
    public static byte[] encode(JuteRecord... records) {
        long payload = payloadBytes(records);
        if (payload > Integer.MAX_VALUE - PREFIX_BYTES) {
            throw new IllegalArgumentException("frame payload of " + payload + " bytes cannot be sent");
        }
        byte[] frame = new byte[PREFIX_BYTES + (int) payload];
        JuteWriter out = JuteWriter.into(frame, 0).writeInt((int) payload);
        for (JuteRecord r : records) {
            if (r != null) r.write(out);
        }
        if (out.size() != frame.length) {
            throw new IllegalStateException("wrote " + out.size() + " bytes into a frame of " + frame.length
                    + "; a record's write is not deterministic");
        }
        return frame;
    }
}
