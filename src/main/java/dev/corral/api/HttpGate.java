package dev.corral.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.config.CorralConfig;
import dev.corral.tree.ErrorCode;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTP layer's own rules, checked once for every request before any route (REST resources, health,
 * metrics) sees it, and refused with the contract's JSON error: {@code {"code","message","path"}}.
 *
 * <ul>
 *   <li>Connections per client address ({@link ConnectionLimits}): 503 THROTTLED_OP, connection closed.
 *   <li>Request line over {@code quarkus.http.limits.max-initial-line-length}: 414; headers over
 *       {@code quarkus.http.limits.max-header-size}: 431. The parser itself stops requests only at
 *       {@link HttpParserLimits#SLACK} times these limits, so that up to there the answer can say why.
 *   <li>A target that is not a URI (a malformed percent-escape, say), or {@code %2F} in the path: 400 BAD_ARGUMENTS.
 *       An encoded slash would otherwise decode to a separator and name another znode than the one the
 *       client spelled ({@code /v1/nodes/t%2Fx} is not {@code /t/x}).
 *   <li>POST, PUT, DELETE (anything but GET, HEAD, OPTIONS) with a foreign {@code Origin}: 403 NO_AUTH
 *       ({@link OriginPolicy}).
 *   <li>A body: it must declare its length (411 otherwise), fit {@code quarkus.http.limits.max-body-size}
 *       (413, connection closed rather than read further) and be {@code application/json} (415).
 * </ul>
 *
 * <p>Doing this below the REST layer makes it one place for every endpoint, and lets it answer before a
 * body is read. The checks are cheap: a scan of the target and the header lengths.
 */
@ApplicationScoped
public class HttpGate {
    /** Before Quarkus' own body-size route, which answers 413 with an empty body, and before every endpoint. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;
    /**
     * The system property that turns off Quarkus' own check that the request target parses as a URI, which
     * answers 400 with an empty body before any route runs. {@link #targetRefusal} makes the same check.
     */
    public static final String URI_CHECK_OFF = "vertx.disableURIValidation";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    CorralConfig config;

    @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length")
    int lineBytesMax;

    @ConfigProperty(name = "quarkus.http.limits.max-header-size")
    MemorySize headerBytesMax;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize bodyBytesMax;

    private ConnectionLimits connections;
    private OriginPolicy origins;

    void install(@Observes Router router) {
        connections = new ConnectionLimits(config.limits().connectionsPerAddressMax());
        origins = new OriginPolicy(config.http().allowedOrigins().orElse(List.of()));
        router.route().order(ORDER).handler(this::check);
        // Failures raised by Vert.x itself after this route (an undecodable query, say) still get the JSON body.
        router.route().order(ORDER).failureHandler(this::failed);
        // When matching a later route throws (decoding its path, say), Vert.x answers 400 without failure
        // handlers; this handler gives that answer the JSON body too.
        router.errorHandler(400, this::unmatched);
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (!connections.admit(req.connection())) {
            refuse(ctx, new ApiException(ErrorCode.THROTTLED_OP, "too many open connections from "
                    + ConnectionLimits.addressOf(req.connection()) + " (at most " + connections.perAddressMax()
                    + ", corral.limits.connections-per-address-max); reuse connections or close some", null), true);
            return;
        }
        ApiException refusal = sizeRefusal(req);
        if (refusal == null) refusal = targetRefusal(req.uri(), req.path());
        if (refusal == null) refusal = originRefusal(req);
        if (refusal == null) refusal = bodyRefusal(req);
        if (refusal != null) {
            // An over-long body is not read to its end to keep the connection: the connection goes instead.
            refuse(ctx, refusal, refusal.status == 413 || refusal.status == 411 || refusal.status == 503);
            return;
        }
        ctx.next();
    }

    private ApiException sizeRefusal(HttpServerRequest req) {
        // As the parser counts: method, target and version on the request line; every header line.
        long line = req.method().name().length() + 1L + req.uri().length() + 1 + 8;
        if (line > lineBytesMax) {
            return new ApiException(414, ErrorCode.BAD_ARGUMENTS, "the request line is " + line + " bytes, over the limit of "
                    + lineBytesMax + " (a URI this long cannot be sent; paths and data that long go in a JSON body)", null, Map.of());
        }
        long headers = 0;
        for (Map.Entry<String, String> h : req.headers()) headers += h.getKey().length() + 2L + h.getValue().length() + 2;
        if (headers > headerBytesMax.asLongValue()) {
            return new ApiException(431, ErrorCode.BAD_ARGUMENTS, "the request headers are " + headers
                    + " bytes, over the limit of " + headerBytesMax.asLongValue(), null, Map.of());
        }
        return null;
    }

    /**
     * Refuses a request target that is not a URI (a malformed percent-escape, a space or backslash, say), and
     * an encoded slash in its path. Quarkus makes the first check itself, before any route, with an empty 400;
     * {@code CorralCommands} turns that copy off ({@link #URI_CHECK_OFF}) so that this one answers. Other escapes
     * keep their meaning: {@code %2E} is a dot (and {@code %2E%2E} a ".." segment the path rules refuse),
     * {@code %00} a NUL they refuse, {@code %25} a literal percent sign in a znode name.
     */
    static ApiException targetRefusal(String uri, String path) {
        try {
            new URI(uri);
        } catch (URISyntaxException e) {
            String hint = e.getReason().startsWith("Malformed escape") ? " (% must be followed by two hexadecimal digits; write %25 for a %)"
                    : " (characters outside the URI syntax must be percent-encoded as UTF-8)";
            return ApiException.badArguments("malformed request target: " + e.getReason() + " at offset " + e.getIndex() + hint, null);
        }
        if (path != null) {
            for (int i = path.indexOf('%'); i >= 0 && i + 2 < path.length(); i = path.indexOf('%', i + 1)) {
                if (path.charAt(i + 1) == '2' && (path.charAt(i + 2) == 'F' || path.charAt(i + 2) == 'f')) {
                    return ApiException.badArguments("invalid path: an encoded slash (" + path.substring(i, i + 3) + ") at offset "
                            + i + " would be read as a separator; write / between znode names, never %2F", null);
                }
            }
        }
        return null;
    }

    private ApiException originRefusal(HttpServerRequest req) {
        HttpMethod m = req.method();
        if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS) return null;
        String origin = req.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) return null;
        HostAndPort authority = req.authority();
        String why = origins.refusal(origin, authority == null ? null : authority.host(), authority == null ? -1 : authority.port());
        return why == null ? null : new ApiException(ErrorCode.NO_AUTH, why, null);
    }

    private ApiException bodyRefusal(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = req.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        if (chunked) {
            // Without a declared length the size is known only once read too far; Quarkus then answers 413
            // with no body. Every client that builds a JSON body knows its length.
            return new ApiException(411, ErrorCode.BAD_ARGUMENTS, "a request body must declare its length in Content-Length"
                    + " (Transfer-Encoding: chunked is not accepted)", null, Map.of());
        }
        long bytes = 0;
        if (length != null) {
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = -1;
            }
            if (bytes < 0) return ApiException.badArguments("Content-Length must be a number of bytes", null);
        }
        if (bytes > bodyBytesMax.asLongValue()) {
            return new ApiException(413, ErrorCode.BAD_ARGUMENTS, "the request body is " + bytes + " bytes, over the limit of "
                    + bodyBytesMax.asLongValue() + " (quarkus.http.limits.max-body-size)", null, Map.of());
        }
        String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
        // HTTP/2 may carry a body without Content-Length; a declared type other than JSON is refused there too.
        boolean body = bytes > 0 || length == null && req.version() == HttpVersion.HTTP_2 && type != null;
        if (!body) return null;
        String why = notJson(type);
        return why == null ? null : new ApiException(415, ErrorCode.BAD_ARGUMENTS, why, null, Map.of());
    }

    /**
     * Null if {@code type} is JSON ({@code application/json}, any parameters, a charset only if UTF-8: JSON
     * is UTF-8), else why not. Requiring it is what makes a browser's cross-site form post, which can only be
     * {@code text/plain}, form-encoded or multipart, fail here even without an Origin.
     */
    static String notJson(String type) {
        if (type == null || type.isBlank()) return "a request body needs Content-Type: application/json";
        String[] parts = type.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return "unsupported Content-Type \"" + OriginPolicy.shortened(type) + "\": send the body as application/json";
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("charset")) {
                String charset = kv[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    return "unsupported charset \"" + OriginPolicy.shortened(charset) + "\": JSON bodies are UTF-8";
                }
            }
        }
        return null;
    }

    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status < 400 || status >= 500 || ctx.response().ended() || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        String message = ctx.failure() != null && ctx.failure().getMessage() != null ? ctx.failure().getMessage()
                : "the request was refused by the HTTP layer (status " + status + ")";
        refuse(ctx, new ApiException(status, ErrorCode.BAD_ARGUMENTS, message, null, Map.of()), false);
    }

    private void unmatched(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten()) return;
        ApiException e = targetRefusal(ctx.request().uri(), ctx.request().path());
        if (e == null) {
            String why = ctx.failure() == null || ctx.failure().getMessage() == null ? "a malformed request" : ctx.failure().getMessage();
            e = ApiException.badArguments("the request was refused by the HTTP layer: " + why, null);
        }
        refuse(ctx, e, false);
    }

    private static void refuse(RoutingContext ctx, ApiException e, boolean close) {
        HttpServerResponse r = ctx.response();
        r.setStatusCode(e.status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (e.status == 503) r.putHeader("Retry-After", "1");
        if (close) {
            r.putHeader(HttpHeaders.CONNECTION, "close");
            r.endHandler(v -> ctx.request().connection().close());
        }
        r.end(json(e));
    }

    private static String json(ApiException e) {
        try {
            return MAPPER.writeValueAsString(Errors.body(e));
        } catch (JsonProcessingException x) {
            throw new IllegalStateException("an error body is always serializable", x);
        }
    }
}
