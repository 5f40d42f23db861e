package dev.corral.api;

import dev.corral.tree.ErrorCode;
import java.util.Map;

/**
 * A request that ends in an error: the HTTP status, ZooKeeper's error name and a message for a person.
 * {@code extra} carries fields beyond the contract's three (the leader's id, a multi's results).
 */
public final class ApiException extends RuntimeException {
    final int status;
    /** ZooKeeper's code; null for Corral's own codes, which only {@link #codeName} carries. */
    final ErrorCode code;
    /** The error body's {@code code}. */
    final String codeName;
    final String path;
    final Map<String, Object> extra;

    public ApiException(int status, ErrorCode code, String message, String path, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.codeName = code.name();
        this.path = path;
        this.extra = extra;
    }

    /** An error of Corral's own, with no ZooKeeper equivalent (such as {@code LOCK_HELD}). */
    public ApiException(int status, String codeName, String message, String path, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = null;
        this.codeName = codeName;
        this.path = path;
        this.extra = extra;
    }

    public ApiException(ErrorCode code, String message, String path) {
        this(Errors.statusOf(code), code, message, path, Map.of());
    }

    public static ApiException badArguments(String message, String path) {
        return new ApiException(ErrorCode.BAD_ARGUMENTS, message, path);
    }
}
