package dev.corral.api;

import dev.corral.consensus.Role;
import dev.corral.node.Corral;
import dev.corral.node.NodeStatus;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.SessionEntry;
import dev.corral.txn.SessionSecret;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Session ids as ZooKeeper prints them (16 lowercase hex digits), and who may act as a session.
 *
 * <p>A session id is public: every ephemeral znode's Stat shows its owner. What makes a request an act of the
 * session is its secret, shown once when the session is opened and presented in the {@value #SECRET_HEADER}
 * header on every request that names the session (a body's or query's {@code session}, {@code /v1/sessions/{id}/…}).
 */
final class Sessions {
    static final String SECRET_HEADER = "Corral-Session-Secret";

    private Sessions() {}

    static String format(long id) {
        return String.format(Locale.ROOT, "%016x", id);
    }

    /** Parses 16 hex digits (optionally {@code 0x}-prefixed); null or empty means "no session" (0). */
    static long parse(String s) {
        if (s == null || s.isEmpty()) return 0;
        String hex = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        if (hex.isEmpty() || hex.length() > 16) throw ApiException.badArguments("session id must be 16 hex digits, got \"" + s + "\"", null);
        try {
            long id = Long.parseUnsignedLong(hex, 16);
            if (id == 0) throw ApiException.badArguments("session id 0 is not a session", null);
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.badArguments("session id must be 16 hex digits, got \"" + s + "\"", null);
        }
    }

    /**
     * The session named by {@code idText} (0 if none is named), once the request has proven it may act as it:
     * the session exists on this node (else 410 SESSION_EXPIRED) and the request carries its secret (else 401
     * AUTH_FAILED). The secret is compared in constant time.
     */
    static long authorize(Corral corral, HttpServerRequest request, String idText, String path) {
        long id = parse(idText);
        if (id == 0) return 0;
        entry(corral, request, id, path);
        return id;
    }

    /**
     * As {@link #authorize}, for a session that must be named; returns its entry. {@code path} is the znode the
     * request is about, for the error body (null if none).
     */
    static SessionEntry entry(Corral corral, HttpServerRequest request, long id, String path) {
        SessionEntry s = Reads.state(corral).session(id);
        if (s == null) throw expired(id, path);
        String header = request == null ? null : request.getHeader(SECRET_HEADER);
        if (header == null || header.isBlank()) {
            throw new ApiException(ErrorCode.AUTH_FAILED, "acting as session " + format(id) + " needs its secret in the "
                    + SECRET_HEADER + " header", path);
        }
        SessionSecret presented = SessionSecret.parseHex(header.trim());
        if (presented == null) {
            throw new ApiException(ErrorCode.AUTH_FAILED, "the " + SECRET_HEADER + " header must be "
                    + SessionSecret.HEX_LENGTH + " hex digits", path);
        }
        if (s.secret().isNone()) {
            throw new ApiException(ErrorCode.AUTH_FAILED, "session " + format(id)
                    + " was opened before sessions had secrets and cannot be acted on; open a new session", path);
        }
        if (!s.secret().matches(presented)) {
            throw new ApiException(ErrorCode.AUTH_FAILED, "wrong secret for session " + format(id), path);
        }
        return s;
    }

    /**
     * Runs {@code attempt}; if it finds a session unknown here while this node follows a leader, runs it once more
     * after a sync. A follower's tree may not yet hold a session opened a moment ago through another member; only
     * after catching up with what the leader had accepted may it tell the client that its session is gone.
     */
    static <T> CompletionStage<T> retryUnknown(Corral corral, Supplier<CompletionStage<T>> attempt) {
        try {
            return attempt.get();
        } catch (ApiException e) {
            NodeStatus s = corral.status();
            if (e.code != ErrorCode.SESSION_EXPIRED || s.role() == Role.LEADER || s.leaderId() == 0) throw e;
            return corral.sync().thenCompose(o -> attempt.get());
        }
    }

    /**
     * {@link #retryUnknown} for a caller on a worker thread that must answer synchronously (an event stream): waits for
     * the sync, at most {@code timeoutMs}.
     */
    static <T> T retryUnknownBlocking(Corral corral, long timeoutMs, Supplier<T> attempt) {
        try {
            return retryUnknown(corral, () -> java.util.concurrent.CompletableFuture.completedFuture(attempt.get()))
                    .toCompletableFuture().get(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            throw new IllegalStateException(cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ApiException(ErrorCode.OPERATION_TIMEOUT, "catching up with the leader to find the session took longer than "
                    + timeoutMs + " ms", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.OPERATION_TIMEOUT, "interrupted while catching up with the leader", null);
        }
    }

    static ApiException expired(long sessionId, String path) {
        return new ApiException(ErrorCode.SESSION_EXPIRED, "session " + format(sessionId) + " has expired or does not exist", path);
    }
}
