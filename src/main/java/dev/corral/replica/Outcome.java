package dev.corral.replica;

import dev.corral.tree.ErrorCode;
import dev.corral.tree.OpResult;
import java.util.List;

/** How a submitted request ended. */
public sealed interface Outcome {
    /** Applied at {@code zxid}. */
    record Done(OpResult result, long zxid) implements Outcome {}

    /**
     * Refused by validation; nothing changed. For a multi, {@code results} has one entry per operation and
     * {@code failedIndex} names the failing one.
     */
    record Refused(ErrorCode code, String path, String message, List<OpResult> results, int failedIndex) implements Outcome {}

    /** This node cannot take writes now (not the leader, no leader, overloaded). Safe to retry. */
    record Unavailable(ErrorCode code, int leaderId, String message) implements Outcome {}

    /**
     * The proposal was overwritten by a new leader before it committed: it did not happen. Safe to retry,
     * though a create of a sequential znode will get a new sequence number.
     */
    record Lost(String message) implements Outcome {}

    /**
     * The node lost its storage while the write was in flight, before the write was known to be durable: it may
     * or may not have been made (ZooKeeper's connection loss). The client should read before it retries.
     */
    record Unknown(String message) implements Outcome {}
}
