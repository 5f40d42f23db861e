package dev.corral.client;

import java.util.List;

/**
 * A znode's children (their names, not paths, in sorted order) and its Stat, or one page of them.
 *
 * @param path the parent's path
 * @param names the child names, sorted
 * @param stat the parent's Stat
 * @param next for a page that more children follow, the name to pass as {@code after} for the next page; else null
 */
public record Children(String path, List<String> names, Stat stat, String next) {
    /** Copies the names. */
    public Children {
        names = List.copyOf(names);
    }

    /** Whether more children follow this page. */
    public boolean hasMore() {
        return next != null;
    }
}
