package dev.corral.api;

import dev.corral.tree.ErrorCode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON error body of the contract, {@code {"code","message","path"}}, and the HTTP status of each code. */
final class Errors {
    private Errors() {}

    static int statusOf(ErrorCode code) {
        return switch (code) {
            case NO_NODE, NO_WATCHER -> 404;
            case NODE_EXISTS, NOT_EMPTY -> 409;
            case BAD_VERSION -> 412;
            case BAD_ARGUMENTS, INVALID_ACL, NO_CHILDREN_FOR_EPHEMERALS, MARSHALLING_ERROR, INVALID_CALLBACK -> 400;
            case AUTH_FAILED -> 401;
            case NO_AUTH -> 403;
            case SESSION_EXPIRED, UNKNOWN_SESSION, SESSION_MOVED -> 410;
            case UNIMPLEMENTED -> 501;
            case CONNECTION_LOSS, OPERATION_TIMEOUT, REQUEST_TIMEOUT, THROTTLED_OP, NOT_READONLY, QUOTA_EXCEEDED -> 503;
            case OK, SYSTEM_ERROR, RUNTIME_INCONSISTENCY, DATA_INCONSISTENCY, API_ERROR -> 500;
        };
    }

    static Response response(ApiException e) {
        Response.ResponseBuilder b = Response.status(e.status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(e));
        if (e.status == 503) b.header("Retry-After", "1");
        return b.build();
    }

    /** The error object, for answers written below the REST layer ({@link HttpGate}). */
    static Map<String, Object> body(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.codeName);
        body.put("message", e.getMessage());
        body.put("path", e.path);
        body.putAll(e.extra);
        return body;
    }
}
