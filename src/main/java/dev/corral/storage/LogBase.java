package dev.corral.storage;

/** The last entry a log no longer holds because a snapshot covers it: (0, 0) for a log never compacted. */
public record LogBase(long index, long term) {
    public static final LogBase ZERO = new LogBase(0, 0);
}
