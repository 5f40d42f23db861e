package dev.corral.storage;

/** A complete snapshot: it holds the state after applying every entry up to {@code index} (of {@code term}). */
public record SnapshotMeta(long id, long index, long term, long sizeBytes, int chunks) {}
