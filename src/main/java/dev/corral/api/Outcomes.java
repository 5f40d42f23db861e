package dev.corral.api;

import dev.corral.config.CorralConfig;
import dev.corral.replica.Outcome;
import dev.corral.tree.ErrorCode;
import dev.corral.tree.OpResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/** Waits for a write's outcome, with the configured deadline, and maps failures to the contract's errors. */
@ApplicationScoped
public class Outcomes {
    /**
     * The error body's {@code outcome} field on a 503 for a write: {@code unknown} when the change may or may not have
     * been made (read before retrying), {@code not-made} when it certainly was not (retry at will). Clients decide by
     * this field, never by the message.
     */
    static final Map<String, Object> UNKNOWN = Map.of("outcome", "unknown");
    static final Map<String, Object> NOT_MADE = Map.of("outcome", "not-made");

    @Inject
    CorralConfig config;

    /** Completes with {@code onDone(result, zxid)}, or fails with the {@link ApiException} for the outcome. */
    <R> CompletionStage<R> await(CompletableFuture<Outcome> future, String path, BiFunction<OpResult, Long, R> onDone) {
        long timeoutMs = config.limits().requestTimeout().toMillis();
        return future.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).handle((outcome, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : error;
                if (cause instanceof TimeoutException) {
                    throw new ApiException(503, ErrorCode.OPERATION_TIMEOUT, "no outcome within " + timeoutMs
                            + " ms; the change may or may not have been made", path, UNKNOWN);
                }
                throw new ApiException(500, ErrorCode.SYSTEM_ERROR, "the write failed: " + cause.getMessage(), path, Map.of());
            }
            return switch (outcome) {
                case Outcome.Done d -> onDone.apply(d.result(), d.zxid());
                case Outcome.Refused r -> throw refusal(r, path);
                case Outcome.Unavailable u -> throw new ApiException(503, u.code(), u.message(), path,
                        u.leaderId() == 0 ? Map.of() : Map.of("leader", u.leaderId()));
                case Outcome.Lost l -> throw new ApiException(503, ErrorCode.CONNECTION_LOSS, l.message() + "; it did not happen, retry",
                        path, NOT_MADE);
                case Outcome.Unknown u -> throw new ApiException(503, ErrorCode.CONNECTION_LOSS, "outcome unknown: " + u.message()
                        + "; the change may or may not have been made, read before retrying", path, UNKNOWN);
            };
        });
    }

    static ApiException refusal(Outcome.Refused r, String fallbackPath) {
        String path = r.path() != null ? r.path() : fallbackPath;
        if (r.failedIndex() < 0) return new ApiException(r.code(), r.message(), path);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("failedOp", r.failedIndex());
        List<Map<String, Object>> results = new ArrayList<>();
        for (OpResult res : r.results()) {
            if (res instanceof OpResult.Failed f) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("code", f.code().name());
                m.put("path", f.path());
                results.add(m);
            }
        }
        extra.put("results", results);
        return new ApiException(Errors.statusOf(r.code()), r.code(), r.message(), path, extra);
    }
}
