package dev.corral.txn;

/**
 * Every bound the transaction codec has, in one place. The codec refuses to write a record that breaks one and
 * treats a stored record that breaks one as corrupt; validation ({@code tree.Prep}) refuses, with BAD_ARGUMENTS,
 * any request whose transaction would break one. So a node never commits a record it cannot read back.
 *
 * <p>ZooKeeper itself bounds most of these only through {@code jute.maxbuffer} (about 1 MiB per request); Corral
 * names them, and keeps each far above what real clients (Curator, Kafka, HBase) use.
 */
public final class TxnLimits {
    /** Longest znode path, in UTF-8 bytes. */
    public static final int PATH_BYTES_MAX = 32_768;
    /** Most segments in a znode path: deep trees cost stack and time on every change below them. */
    public static final int PATH_DEPTH_MAX = 1_000;
    /** Most entries in one ACL list (after de-duplication and expansion of {@code auth}). */
    public static final int ACL_ENTRIES_MAX = 1_024;
    /** Longest ACL scheme or id, in UTF-8 bytes. */
    public static final int ACL_ID_BYTES_MAX = 1_024;
    /** Most operations in one multi. */
    public static final int MULTI_OPS_MAX = 10_000;
    /** Largest znode data the codec carries; the configured limit ({@code corral.limits.data-bytes-max}) is at most this. */
    public static final int DATA_BYTES_MAX = 16 << 20;
    /**
     * Largest encoded record. A node accepts much less ({@code Prep.Limits#recordBytesMax}, derived from the data limit);
     * this is the codec's own ceiling, above any configuration.
     */
    public static final int RECORD_BYTES_MAX = 64 << 20;

    private TxnLimits() {}
}
