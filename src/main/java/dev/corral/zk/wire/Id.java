package dev.corral.zk.wire;

/**
 * An identity in an ACL or in a session's authentication: a scheme ({@code world}, {@code digest}, {@code ip},
 * {@code auth}, {@code sasl}, ...) and an id within it ({@code anyone}, {@code user:base64-sha1}, an address).
 * Either may be null on the wire; deciding what that means is the server's job.
 */
public record Id(String scheme, String id) implements JuteRecord {
    /** Fewest bytes an encoded Id takes: bounds the count of a vector of them. */
    public static final int BYTES_MIN = 8;

    public static Id read(JuteReader in) {
        return new Id(in.readString("scheme"), in.readString("id"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(scheme).writeString(id);
    }
}
