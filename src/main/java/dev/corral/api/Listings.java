package dev.corral.api;

import dev.corral.tree.Znode;
import dev.corral.txn.TxnCodec;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Children listings, bounded: one answer holds at most {@code corral.limits.response-bytes} of names, and a larger
 * directory is read in pages ({@code limit}, {@code after}); sorting and encoding a large directory runs on a
 * worker thread, never on the event loop that serves every other connection.
 */
final class Listings {
    /** Directories up to this size are listed where the request arrived; sorting them takes microseconds. */
    static final int INLINE_CHILDREN_MAX = 1024;

    /** One page of sorted child names; {@code next} is the name to pass as {@code after} for the next page, or null. */
    record Page(List<String> names, String next) {}

    private Listings() {}

    /** Bytes the names of {@code node}'s children take in a JSON array, about. */
    static long nameBytes(Znode node) {
        long bytes = 0;
        for (String name : node.childNames()) bytes += TxnCodec.utf8Length(name) + 3;
        return bytes;
    }

    /** Runs {@code work} where it belongs: inline for a small directory, else on a worker thread. */
    static <T> CompletionStage<T> run(Znode node, Supplier<T> work) {
        if (node.numChildren() <= INLINE_CHILDREN_MAX) return CompletableFuture.completedFuture(work.get());
        return CompletableFuture.supplyAsync(work, Infrastructure.getDefaultWorkerPool());
    }

    /**
     * The children of {@code node} after {@code after} (exclusive; null: from the first), at most {@code limit} (null:
     * all), refused with BAD_ARGUMENTS if their names would take more than {@code bytesMax} bytes.
     */
    static Page page(Znode node, String path, String after, Integer limit, long bytesMax) {
        if (limit != null && limit < 1) throw ApiException.badArguments("limit must be at least 1, was " + limit, path);
        List<String> names = node.childNames();
        names.sort(null);
        int from = 0;
        if (after != null) {
            int i = java.util.Collections.binarySearch(names, after);
            from = i >= 0 ? i + 1 : -i - 1;
        }
        int to = limit == null ? names.size() : (int) Math.min(names.size(), (long) from + limit);
        long bytes = 0;
        for (int i = from; i < to; i++) {
            bytes += TxnCodec.utf8Length(names.get(i)) + 3;
            if (bytes > bytesMax) {
                throw ApiException.badArguments("the " + (to - from) + " children of " + path + " would take more than " + bytesMax
                        + " bytes (corral.limits.response-bytes); read them in pages with limit and after", path);
            }
        }
        String next = to < names.size() && to > from ? names.get(to - 1) : null;
        return new Page(List.copyOf(names.subList(from, to)), next);
    }
}
