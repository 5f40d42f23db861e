package dev.corral.tree;

/** ZooKeeper's Stat of a znode, field for field. */
public record Stat(
        long czxid,
        long mzxid,
        long pzxid,
        long ctime,
        long mtime,
        int version,
        int cversion,
        int aversion,
        long ephemeralOwner,
        int dataLength,
        int numChildren) {}
