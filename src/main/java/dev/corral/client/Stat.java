package dev.corral.client;

/**
 * A znode's metadata, ZooKeeper's {@code Stat} with the same field names and meanings.
 *
 * @param czxid the zxid of the change that created the znode
 * @param mzxid the zxid of the change that last set its data
 * @param pzxid the zxid of the change that last added or removed one of its children
 * @param ctime when it was created, in milliseconds since the epoch (the leader's clock)
 * @param mtime when its data was last set, in milliseconds since the epoch
 * @param version how many times its data was set
 * @param cversion how many times its children changed
 * @param aversion how many times its ACL was set
 * @param ephemeralOwner the id of the session owning an ephemeral znode as a number, else 0
 * @param dataLength the length of its data in bytes
 * @param numChildren how many children it has
 */
public record Stat(long czxid, long mzxid, long pzxid, long ctime, long mtime, int version, int cversion, int aversion,
        long ephemeralOwner, int dataLength, int numChildren) {}
