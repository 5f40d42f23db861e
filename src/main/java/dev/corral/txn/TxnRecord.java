package dev.corral.txn;

/** A transaction with the leader's wall-clock time (milliseconds since the epoch) at proposal. */
public record TxnRecord(long timeMs, Txn txn) {}
