package dev.corral.lin;

/**
 * The state of one register (one znode's data and version) as a client saw it, or as the checker's model holds
 * it. {@link #ABSENT} is the znode not existing; otherwise {@code version >= 0} (ZooKeeper's data version: 0
 * after create, one more after each set) and {@code value} is the data, which may be null.
 */
public record Register(String value, int version) {
    /** No znode: version -1 and no value. */
    public static final Register ABSENT = new Register(null, -1);

    public Register {
        if (version < -1) throw new IllegalArgumentException("version " + version + " is below -1");
        if (version == -1 && value != null) throw new IllegalArgumentException("an absent register has no value, got " + value);
    }

    /** True for {@link #ABSENT}. Not named {@code isAbsent} so that Jackson does not write it as a property. */
    public boolean absent() {
        return version == -1;
    }

    @Override
    public String toString() {
        return absent() ? "absent" : (value == null ? "null" : '"' + value + '"') + "@v" + version;
    }
}
