package dev.corral.zk.wire;

/**
 * A value with a jute encoding. Each implementation also has a static {@code read(JuteReader)} that reads what
 * {@link #write} writes, field for field in the order of ZooKeeper's {@code zookeeper.jute}; the differential
 * tests hold both to the bytes of ZooKeeper's own classes.
 */
public interface JuteRecord {
    void write(JuteWriter out);
}
