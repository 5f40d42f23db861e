package dev.corral.tree;

import dev.corral.txn.TxnCodec;
import dev.corral.txn.TxnLimits;
import java.util.ArrayList;
import java.util.List;

/** ZooKeeper's path rules, and the small operations on paths the tree needs. */
public final class Paths {
    private Paths() {}

    /**
     * Returns null if {@code path} is a valid znode path, else the reason it is not, following ZooKeeper's
     * {@code PathUtils.validatePath}: absolute, no empty segment, no trailing slash, no "." or ".." segment,
     * no NUL, no control characters, no surrogates or private-use characters, no U+FFF0–U+FFFF; and within
     * Corral's bounds: at most {@link TxnLimits#PATH_BYTES_MAX} bytes of UTF-8 and {@link TxnLimits#PATH_DEPTH_MAX}
     * segments.
     */
    public static String invalidReason(String path) {
        if (path == null) return "path must not be null";
        if (path.isEmpty()) return "path must not be empty";
        if (path.charAt(0) != '/') return "path must start with /";
        // Every character is at least one byte: a path this long in characters is too long in bytes, known in O(1).
        if (path.length() > TxnLimits.PATH_BYTES_MAX) return tooLong(path.length());
        if (path.length() == 1) return null;
        if (path.charAt(path.length() - 1) == '/') return "path must not end with /";
        char last = '/';
        int depth = 1;
        for (int i = 1; i < path.length(); last = path.charAt(i), i++) {
            char c = path.charAt(i);
            if (c == 0) return "null character not allowed at " + i;
            if (c == '/' && last == '/') return "empty node name at " + i;
            if (c == '/' && ++depth > TxnLimits.PATH_DEPTH_MAX) {
                return "path is deeper than " + TxnLimits.PATH_DEPTH_MAX + " segments";
            }
            if (c == '.' && last == '.') {
                if (path.charAt(i - 2) == '/' && (i + 1 == path.length() || path.charAt(i + 1) == '/')) {
                    return "relative paths not allowed at " + i;
                }
            } else if (c == '.') {
                if (path.charAt(i - 1) == '/' && (i + 1 == path.length() || path.charAt(i + 1) == '/')) {
                    return "relative paths not allowed at " + i;
                }
            } else if (c > '\u0000' && c <= '\u001f' || c >= '\u007f' && c <= '\u009f'
                    || c >= '\ud800' && c <= '\uf8ff' || c >= '\ufff0') {
                return "invalid character at " + i;
            }
        }
        int bytes = TxnCodec.utf8Length(path);
        return bytes > TxnLimits.PATH_BYTES_MAX ? tooLong(bytes) : null;
    }

    private static String tooLong(int bytes) {
        return "path of at least " + bytes + " bytes is longer than the limit of " + TxnLimits.PATH_BYTES_MAX + " bytes";
    }

    public static boolean isValid(String path) {
        return invalidReason(path) == null;
    }

    /** Parent path of a valid non-root path ({@code /a} for {@code /a/b}, {@code /} for {@code /a}). */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** Last segment of a valid non-root path. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public static String child(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }

    /** Segments of a valid path; the root has none. */
    public static String[] segments(String path) {
        if (path.length() == 1) return new String[0];
        List<String> parts = new ArrayList<>(8);
        int start = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                parts.add(path.substring(start, i));
                start = i + 1;
            }
        }
        return parts.toArray(new String[0]);
    }

    /** True if {@code path} is {@code ancestor} or lies below it. */
    public static boolean isAtOrBelow(String path, String ancestor) {
        if (ancestor.equals("/")) return true;
        return path.startsWith(ancestor) && (path.length() == ancestor.length() || path.charAt(ancestor.length()) == '/');
    }
}
