package dev.corral.zk.wire;

/**
 * One identity of a session as {@code whoAmI} (107) reports it: the authentication scheme and the user name within
 * it.
 */
public record ClientInfo(String authScheme, String user) implements JuteRecord {
    /** Fewest bytes an encoded ClientInfo takes: bounds the count of a vector of them. */
    public static final int BYTES_MIN = 8;

    public static ClientInfo read(JuteReader in) {
        return new ClientInfo(in.readString("authScheme"), in.readString("user"));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(authScheme).writeString(user);
    }
}
