package dev.corral.api;

import com.fasterxml.jackson.core.JacksonException;
import dev.corral.tree.ErrorCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into the contract's JSON error body: our own errors, the framework's (unknown route,
 * wrong method, unreadable body) and, as a last resort, bugs, which are logged and answered with 500.
 */
public class ApiExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return Errors.response(e);
    }

    @ServerExceptionMapper
    public Response json(JacksonException e) {
        return Errors.response(ApiException.badArguments("malformed JSON: " + e.getOriginalMessage(), null));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        ErrorCode code = switch (status) {
            case 401 -> ErrorCode.AUTH_FAILED;
            case 403 -> ErrorCode.NO_AUTH;
            case 404, 405, 501 -> ErrorCode.UNIMPLEMENTED;
            case 503 -> ErrorCode.CONNECTION_LOSS;
            default -> status >= 500 ? ErrorCode.SYSTEM_ERROR : ErrorCode.BAD_ARGUMENTS;
        };
        String message = switch (status) {
            case 404 -> "no such endpoint";
            case 405 -> "method not allowed on this endpoint";
            case 415 -> "unsupported content type; send application/json";
            default -> e.getMessage();
        };
        return Errors.response(new ApiException(status, code, message, null, Map.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable t) {
        LOG.error("unexpected failure handling a request", t);
        return Errors.response(new ApiException(500, ErrorCode.SYSTEM_ERROR, "internal error: " + t.getClass().getSimpleName(),
                null, Map.of()));
    }
}
