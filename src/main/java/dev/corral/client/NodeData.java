package dev.corral.client;

import java.nio.charset.StandardCharsets;

/**
 * A znode's data and Stat, read together.
 *
 * @param path the znode's path
 * @param data its data (never null; empty if it has none). The array is the caller's: this record does not copy it,
 *     and its {@code equals} compares arrays by identity, as records do
 * @param stat its Stat
 */
public record NodeData(String path, byte[] data, Stat stat) {
    /** The data as UTF-8 text. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
